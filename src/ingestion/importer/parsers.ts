import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ID_PATTERN, TAG_MAX, TAGS_MAX, TITLE_MAX, WEIGHT_MAX } from '../limits';
import { Dataset, DatasetName, FriendshipRow, InteractionRow, ItemRow, Problems } from './dataset';
import { columns, int, Line, readLines, withHeader } from './lines';
import { SYNTHETIC_FILES, SYNTHETIC_FORMAT, SYNTHETIC_HEADERS, SYNTHETIC_VERSION } from './synthetic';

/** Tags kept per artist (most frequent first). */
export const TAGS_PER_ITEM = 10;

/** The event type each dataset's interactions get (all in the default INGEST_EVENT_WEIGHTS). */
export const DATASET_EVENT_TYPE: Record<DatasetName, string> = { lastfm: 'PLAY', hetrec: 'PLAY', ciao: 'RATING', gowalla: 'VIEW', synthetic: 'PLAY' };

/** Which files mark each format (checked in this order). */
const MARKERS: Array<[DatasetName, string[]]> = [
  ['lastfm', ['train_set.txt', 'test_set.txt', 'trust.txt', 'userReindex.json', 'itemReindex.json', 'raw/artists.dat', 'raw/user_artists.dat']],
  ['ciao', ['train_set.txt', 'test_set.txt', 'trust.txt', 'userReindex.json', 'itemReindex.json']],
  ['gowalla', ['train.txt', 'valid.txt', 'test.txt', 'user_list.txt', 'item_list.txt']],
  ['hetrec', ['user_artists.dat', 'user_friends.dat', 'artists.dat', 'tags.dat', 'user_taggedartists.dat']],
  ['synthetic', [...SYNTHETIC_FILES]],
];

/** The format of a dataset folder, from the files it holds; `expected` (from --dataset) must match. */
export function detectFormat(folder: string, expected?: DatasetName): DatasetName {
  if (!existsSync(folder)) throw new Error(`dataset folder ${folder} does not exist`);
  const has = (files: string[]) => files.every((f) => existsSync(join(folder, f)));
  if (expected) {
    const files = MARKERS.find(([n]) => n === expected)![1];
    const missing = files.filter((f) => !existsSync(join(folder, f)));
    if (missing.length) throw new Error(`${folder} is not a ${expected} dataset folder: missing ${missing.join(', ')}`);
    return expected;
  }
  const found = MARKERS.find(([, files]) => has(files));
  if (!found && existsSync(join(folder, 'synthetic.json'))) {
    // The manifest names the format: say which of its files are missing rather than listing every format.
    const missing = SYNTHETIC_FILES.filter((f) => !existsSync(join(folder, f)));
    throw new Error(`${folder} has synthetic.json but is not a complete synthetic dataset folder: missing ${missing.join(', ')}`);
  }
  if (!found) {
    throw new Error(`cannot tell the dataset format of ${folder}: expected the files of one of ${MARKERS.map(([n, f]) => `${n} (${f.join(', ')})`).join('; ')}`);
  }
  return found[0];
}

/** Merges rows of the same (user, item) pair: counts and weights add up, a 'train' row wins over 'test'. */
class InteractionMerger {
  private readonly byPair = new Map<string, InteractionRow>();
  merged = 0;
  add(u: string, i: string, t: string, w: number, s: 'train' | 'test' | null): void {
    const key = `${u}\t${i}`;
    const prev = this.byPair.get(key);
    if (!prev) {
      this.byPair.set(key, { u, i, t, w, c: 1, s });
      return;
    }
    this.merged += 1;
    prev.c += 1;
    prev.w = Math.min(WEIGHT_MAX, prev.w + w);
    if (s === 'train') prev.s = 'train';
  }
  rows(): InteractionRow[] {
    return [...this.byPair.values()];
  }
}

/** Keeps one FRIEND edge per unordered pair. */
class FriendshipSet {
  private readonly pairs = new Map<string, FriendshipRow>();
  rowsSeen = 0;
  add(a: string, b: string): void {
    this.rowsSeen += 1;
    const [lo, hi] = a < b ? [a, b] : [b, a];
    const key = `${lo}\t${hi}`;
    if (!this.pairs.has(key)) this.pairs.set(key, { lo, hi });
  }
  rows(): FriendshipRow[] {
    return [...this.pairs.values()];
  }
}

/** `{"<raw id>": <0-based index>}` → index → raw id. */
function readReindex(folder: string, file: string, problems: Problems): Map<number, string> {
  const out = new Map<number, string>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(folder, file), 'utf8'));
  } catch (err) {
    problems.add(file, 1, `not valid JSON: ${(err as Error).message}`);
    return out;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    problems.add(file, 1, 'expected a JSON object {"<raw id>": <index>}');
    return out;
  }
  for (const [raw, idx] of Object.entries(parsed as Record<string, unknown>)) {
    if (!/^\d+$/.test(raw) || typeof idx !== 'number' || !Number.isInteger(idx) || idx < 0) {
      problems.add(file, 1, `bad entry ${JSON.stringify(raw)}: ${JSON.stringify(idx)} (want "<raw id>": <non-negative integer>)`);
      continue;
    }
    if (out.has(idx)) problems.add(file, 1, `index ${idx} is mapped twice`);
    out.set(idx, raw);
  }
  return out;
}

/** `user,item` (or `user,friend`) CSV rows of 0-based indices. */
function readIndexPairs(folder: string, file: string, header: string, problems: Problems): Array<[number, number, Line]> {
  const out: Array<[number, number, Line]> = [];
  for (const line of withHeader(readLines(folder, file, problems), file, header, problems)) {
    const cols = columns(line, file, ',', 2, problems);
    if (!cols) continue;
    const a = int(cols[0], header.split(',')[0], line, file, problems);
    const b = int(cols[1], header.split(',')[1], line, file, problems);
    if (a !== null && b !== null) out.push([a, b, line]);
  }
  return out;
}

function checkTitle(name: string, file: string, line: Line, problems: Problems): string | null {
  const title = name.trim();
  if (!title) return null;
  if (title.length > TITLE_MAX) {
    problems.add(file, line.no, `name longer than ${TITLE_MAX} characters`);
    return null;
  }
  return title;
}

/** HetRec raw files: artists.dat titles, top tags per artist (tags.dat is Latin-1), listening counts. */
function readLastfmRaw(folder: string, dir: string, problems: Problems, notes: string[]) {
  const f = (name: string) => (dir ? `${dir}/${name}` : name);
  const titles = new Map<string, string | null>();
  for (const line of withHeader(readLines(folder, f('artists.dat'), problems), f('artists.dat'), 'id\tname\turl\tpictureURL', problems)) {
    const cols = columns(line, f('artists.dat'), '\t', 4, problems);
    if (!cols) continue;
    if (int(cols[0], 'id', line, f('artists.dat'), problems) === null) continue;
    titles.set(cols[0], checkTitle(cols[1], f('artists.dat'), line, problems));
  }
  const tagNames = new Map<string, string>();
  for (const line of withHeader(readLines(folder, f('tags.dat'), problems, 'latin1'), f('tags.dat'), 'tagID\ttagValue', problems)) {
    const cols = columns(line, f('tags.dat'), '\t', 2, problems);
    if (!cols || int(cols[0], 'tagID', line, f('tags.dat'), problems) === null) continue;
    tagNames.set(cols[0], cols[1].trim());
  }
  const tagCounts = new Map<string, Map<string, number>>();
  const ut = f('user_taggedartists.dat');
  for (const line of withHeader(readLines(folder, ut, problems), ut, 'userID\tartistID\ttagID\tday\tmonth\tyear', problems)) {
    const cols = columns(line, ut, '\t', 6, problems);
    if (!cols) continue;
    if (cols.some((c, k) => int(c, ['userID', 'artistID', 'tagID', 'day', 'month', 'year'][k], line, ut, problems) === null)) continue;
    if (!tagNames.has(cols[2])) {
      problems.add(ut, line.no, `tagID ${cols[2]} is not in tags.dat`);
      continue;
    }
    const m = tagCounts.get(cols[1]) ?? new Map<string, number>();
    m.set(cols[2], (m.get(cols[2]) ?? 0) + 1);
    tagCounts.set(cols[1], m);
  }
  let skippedTags = 0;
  const tagsOf = (artist: string): string[] => {
    const m = tagCounts.get(artist);
    if (!m) return [];
    const named = [...m.entries()]
      .map(([id, n]) => ({ name: tagNames.get(id)!, n }))
      .filter((t) => {
        const ok = t.name.length > 0 && t.name.length <= TAG_MAX && ID_PATTERN.test(t.name);
        if (!ok) skippedTags += 1;
        return ok;
      });
    // Most used first; ties by name so the result is stable. Names that differ only by id merge.
    named.sort((a, b) => b.n - a.n || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return [...new Set(named.map((t) => t.name))].slice(0, TAGS_PER_ITEM);
  };
  const weights = new Map<string, { w: number; line: Line }>();
  const ua = f('user_artists.dat');
  for (const line of withHeader(readLines(folder, ua, problems), ua, 'userID\tartistID\tweight', problems)) {
    const cols = columns(line, ua, '\t', 3, problems);
    if (!cols) continue;
    const [u, a, w] = [int(cols[0], 'userID', line, ua, problems), int(cols[1], 'artistID', line, ua, problems), int(cols[2], 'weight', line, ua, problems)];
    if (u === null || a === null || w === null) continue;
    if (w > WEIGHT_MAX) {
      problems.add(ua, line.no, `weight ${w} is larger than ${WEIGHT_MAX}`);
      continue;
    }
    const key = `${cols[0]}\t${cols[1]}`;
    if (weights.has(key)) problems.add(ua, line.no, `duplicate (userID, artistID) ${cols[0]}, ${cols[1]} (first at line ${weights.get(key)!.line.no})`);
    weights.set(key, { w, line });
  }
  return { titles, tagsOf, weights, skippedTags: () => skippedTags, notes };
}

/** SocialLGN lastfm: the official split, trust.txt, reindex maps, and the HetRec raw files for titles, tags and play counts. */
function parseLastfm(folder: string, problems: Problems): Dataset {
  const notes: string[] = [];
  const users = readReindex(folder, 'userReindex.json', problems);
  const items = readReindex(folder, 'itemReindex.json', problems);
  const raw = readLastfmRaw(folder, 'raw', problems, notes);
  const P = 'lastfm:';
  const merger = new InteractionMerger();
  let noWeight = 0;
  for (const [file, split] of [['train_set.txt', 'train'], ['test_set.txt', 'test']] as const) {
    for (const [ui, ii, line] of readIndexPairs(folder, file, 'user,item', problems)) {
      const ru = users.get(ui);
      const ri = items.get(ii);
      if (ru === undefined) problems.add(file, line.no, `user index ${ui} is not in userReindex.json`);
      if (ri === undefined) problems.add(file, line.no, `item index ${ii} is not in itemReindex.json`);
      if (ru === undefined || ri === undefined) continue;
      const w = raw.weights.get(`${ru}\t${ri}`);
      if (!w) noWeight += 1;
      merger.add(`${P}u${ru}`, `${P}i${ri}`, DATASET_EVENT_TYPE.lastfm, w ? w.w : 1, split);
    }
  }
  const friends = readTrust(folder, 'trust.txt', users, P, problems);
  if (noWeight) notes.push(`${noWeight} split pair(s) without a listening count in raw/user_artists.dat got weight 1`);
  if (merger.merged) notes.push(`${merger.merged} duplicate split row(s) merged into their pair's edge`);
  if (raw.skippedTags()) notes.push(`${raw.skippedTags()} tag(s) skipped (empty, longer than ${TAG_MAX} or with control characters)`);
  notes.push(`trust.txt: ${friends.rowsSeen} directed rows stored as ${friends.rows().length} FRIEND edges (one per unordered pair)`);
  return {
    name: 'lastfm',
    prefix: P,
    users: sortedValues(users).map((r) => `${P}u${r}`),
    items: sortedValues(items).map((r) => ({ id: `${P}i${r}`, title: raw.titles.get(r) ?? null, tags: raw.tagsOf(r) })),
    interactions: merger.rows(),
    friendships: friends.rows(),
    notes,
  };
}

function readTrust(folder: string, file: string, users: Map<number, string>, prefix: string, problems: Problems): FriendshipSet {
  const friends = new FriendshipSet();
  for (const [a, b, line] of readIndexPairs(folder, file, 'user,friend', problems)) {
    const ra = users.get(a);
    const rb = users.get(b);
    if (ra === undefined) problems.add(file, line.no, `user index ${a} is not in userReindex.json`);
    if (rb === undefined) problems.add(file, line.no, `friend index ${b} is not in userReindex.json`);
    if (ra === undefined || rb === undefined) continue;
    if (ra === rb) {
      problems.add(file, line.no, `self-friendship of user index ${a}`);
      continue;
    }
    friends.add(`${prefix}u${ra}`, `${prefix}u${rb}`);
  }
  return friends;
}

const sortedValues = (m: Map<number, string>): string[] => [...m.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);

/** SocialLGN ciao: the split (duplicate rows merge: count and weight add up; a pair in both files is 'train'), directed trust stored once per pair. */
function parseCiao(folder: string, problems: Problems): Dataset {
  const notes: string[] = [];
  const users = readReindex(folder, 'userReindex.json', problems);
  const items = readReindex(folder, 'itemReindex.json', problems);
  const P = 'ciao:';
  const merger = new InteractionMerger();
  for (const [file, split] of [['train_set.txt', 'train'], ['test_set.txt', 'test']] as const) {
    for (const [ui, ii, line] of readIndexPairs(folder, file, 'user,item', problems)) {
      const ru = users.get(ui);
      const ri = items.get(ii);
      if (ru === undefined) problems.add(file, line.no, `user index ${ui} is not in userReindex.json`);
      if (ri === undefined) problems.add(file, line.no, `item index ${ii} is not in itemReindex.json`);
      if (ru === undefined || ri === undefined) continue;
      merger.add(`${P}u${ru}`, `${P}i${ri}`, DATASET_EVENT_TYPE.ciao, 1, split);
    }
  }
  const friends = readTrust(folder, 'trust.txt', users, P, problems);
  if (merger.merged) notes.push(`${merger.merged} duplicate row(s) merged into their pair's edge (count and weight add up; 'train' wins over 'test')`);
  notes.push(`trust.txt: ${friends.rowsSeen} directed trust rows stored as ${friends.rows().length} FRIEND edges (one per unordered pair; direction is not kept)`);
  return {
    name: 'ciao',
    prefix: P,
    users: sortedValues(users).map((r) => `${P}u${r}`),
    items: sortedValues(items).map((r) => ({ id: `${P}i${r}`, title: null, tags: null })),
    interactions: merger.rows(),
    friendships: friends.rows(),
    notes,
  };
}

/** `org_id remap_id` lists → remap → org. */
function readRemap(folder: string, file: string, problems: Problems): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of withHeader(readLines(folder, file, problems), file, 'org_id remap_id', problems)) {
    const cols = columns(line, file, ' ', 2, problems);
    if (!cols) continue;
    const org = int(cols[0], 'org_id', line, file, problems);
    const remap = int(cols[1], 'remap_id', line, file, problems);
    if (org === null || remap === null) continue;
    if (out.has(remap)) problems.add(file, line.no, `remap_id ${remap} listed twice`);
    out.set(remap, cols[0]);
  }
  return out;
}

/** LightGCN gowalla: `user item item ...` lines; train.txt + valid.txt = split 'train', test.txt = 'test'; no social edges. */
function parseGowalla(folder: string, problems: Problems): Dataset {
  const users = readRemap(folder, 'user_list.txt', problems);
  const items = readRemap(folder, 'item_list.txt', problems);
  const P = 'gowalla:';
  const merger = new InteractionMerger();
  for (const [file, split] of [['train.txt', 'train'], ['valid.txt', 'train'], ['test.txt', 'test']] as const) {
    for (const line of readLines(folder, file, problems)) {
      if (line.text === '') {
        problems.add(file, line.no, 'empty line');
        continue;
      }
      const cols = line.text.split(' ');
      const ids = cols.map((c, k) => int(c, k === 0 ? 'user' : `item ${k}`, line, file, problems));
      if (ids.some((x) => x === null)) continue;
      const ru = users.get(ids[0]!);
      if (ru === undefined) {
        problems.add(file, line.no, `user ${ids[0]} is not in user_list.txt`);
        continue;
      }
      if (cols.length < 2) {
        problems.add(file, line.no, 'a user with no items (truncated line?)');
        continue;
      }
      for (const ii of ids.slice(1)) {
        const ri = items.get(ii!);
        if (ri === undefined) problems.add(file, line.no, `item ${ii} is not in item_list.txt`);
        else merger.add(`${P}u${ru}`, `${P}i${ri}`, DATASET_EVENT_TYPE.gowalla, 1, split);
      }
    }
  }
  const notes = merger.merged ? [`${merger.merged} duplicate row(s) merged`] : [];
  return {
    name: 'gowalla',
    prefix: P,
    users: sortedValues(users).map((r) => `${P}u${r}`),
    items: sortedValues(items).map((r) => ({ id: `${P}i${r}`, title: null, tags: null })),
    interactions: merger.rows(),
    friendships: [],
    notes,
  };
}

/** The original HetRec 2011 lastfm-2k files: no split (null), ids in the `hetrec:` namespace. */
function parseHetrec(folder: string, problems: Problems): Dataset {
  const notes: string[] = [];
  const raw = readLastfmRaw(folder, '', problems, notes);
  const P = 'hetrec:';
  const users = new Set<number>();
  const itemIds = new Set<number>([...raw.titles.keys()].map(Number));
  const merger = new InteractionMerger();
  for (const [key, { w }] of raw.weights) {
    const [u, a] = key.split('\t');
    users.add(Number(u));
    itemIds.add(Number(a));
    merger.add(`${P}u${u}`, `${P}i${a}`, DATASET_EVENT_TYPE.hetrec, w, null);
  }
  const friends = new FriendshipSet();
  const uf = 'user_friends.dat';
  for (const line of withHeader(readLines(folder, uf, problems), uf, 'userID\tfriendID', problems)) {
    const cols = columns(line, uf, '\t', 2, problems);
    if (!cols) continue;
    const a = int(cols[0], 'userID', line, uf, problems);
    const b = int(cols[1], 'friendID', line, uf, problems);
    if (a === null || b === null) continue;
    if (a === b) {
      problems.add(uf, line.no, `self-friendship of user ${a}`);
      continue;
    }
    users.add(a);
    users.add(b);
    friends.add(`${P}u${a}`, `${P}u${b}`);
  }
  if (raw.skippedTags()) notes.push(`${raw.skippedTags()} tag(s) skipped (empty, longer than ${TAG_MAX} or with control characters)`);
  notes.push(`user_friends.dat: ${friends.rowsSeen} directed rows stored as ${friends.rows().length} FRIEND edges (one per unordered pair)`);
  return {
    name: 'hetrec',
    prefix: P,
    users: [...users].sort((a, b) => a - b).map((u) => `${P}u${u}`),
    items: [...itemIds].sort((a, b) => a - b).map((a) => ({ id: `${P}i${a}`, title: raw.titles.get(String(a)) ?? null, tags: raw.tagsOf(String(a)) })),
    interactions: merger.rows(),
    friendships: friends.rows(),
    notes,
  };
}

interface SyntheticManifestView {
  communities: string[];
  counts: Partial<Record<'users' | 'items' | 'interactions' | 'train' | 'test' | 'friendships', number>>;
  seed: unknown;
}

/** synthetic.json: format, version, the community list and the row counts the files must have. */
function readSyntheticManifest(folder: string, problems: Problems): SyntheticManifestView | null {
  const file = 'synthetic.json';
  let m: unknown;
  try {
    m = JSON.parse(readFileSync(join(folder, file), 'utf8'));
  } catch (err) {
    problems.add(file, 1, `not valid JSON: ${(err as Error).message}`);
    return null;
  }
  const obj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (!obj(m)) {
    problems.add(file, 1, 'expected a JSON object');
    return null;
  }
  if (m.format !== SYNTHETIC_FORMAT) problems.add(file, 1, `format: expected ${JSON.stringify(SYNTHETIC_FORMAT)}, got ${JSON.stringify(m.format)}`);
  if (m.version !== SYNTHETIC_VERSION) problems.add(file, 1, `version: expected ${SYNTHETIC_VERSION}, got ${JSON.stringify(m.version)} (written by another generator version?)`);
  const communities: string[] = [];
  let communitiesOk = Array.isArray(m.communities) && m.communities.length > 0;
  if (!communitiesOk) problems.add(file, 1, 'communities: expected a non-empty array');
  else {
    (m.communities as unknown[]).forEach((c, k) => {
      if (obj(c) && c.id === k && typeof c.genre === 'string' && c.genre) communities.push(c.genre);
      else {
        problems.add(file, 1, `communities[${k}]: expected {"id": ${k}, "genre": "<name>", ...}`);
        communitiesOk = false;
      }
    });
  }
  const counts: SyntheticManifestView['counts'] = {};
  if (!obj(m.counts)) problems.add(file, 1, 'counts: expected an object');
  else {
    for (const k of ['users', 'items', 'interactions', 'train', 'test', 'friendships'] as const) {
      const v = m.counts[k];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) problems.add(file, 1, `counts.${k}: expected a non-negative integer, got ${JSON.stringify(v)}`);
      else counts[k] = v;
    }
  }
  return communitiesOk ? { communities, counts, seed: obj(m.params) ? m.params.seed : undefined } : null;
}

/** `<id>\t<community>` leading columns shared by users.tsv and items.tsv; the id must be new. */
function idAndCommunity(cols: string[], what: string, seen: Map<number, Line>, k: number | null, line: Line, file: string, problems: Problems): [number, number] | null {
  const id = int(cols[0], what, line, file, problems);
  const c = int(cols[1], 'community', line, file, problems);
  if (id === null || c === null) return null;
  if (id === 0) {
    problems.add(file, line.no, `${what}: ids start at 1, got 0`);
    return null;
  }
  if (k !== null && c >= k) {
    problems.add(file, line.no, `community ${c} is not in synthetic.json (it lists ${k})`);
    return null;
  }
  const first = seen.get(id);
  if (first) {
    problems.add(file, line.no, `${what} ${id} listed twice (first at line ${first.no})`);
    return null;
  }
  seen.set(id, line);
  return [id, c];
}

/**
 * The seeded synthetic dataset (`npm run synthetic`): a manifest, users and items with their
 * community, PLAY interactions with play counts and a train/test split, and one row per friendship.
 * The format is strict (it is generated): duplicates and self-loops are errors, not merged, and the
 * row counts must match the manifest (a truncated file is caught even when it ends on a full line).
 */
function parseSynthetic(folder: string, problems: Problems): Dataset {
  const P = 'synthetic:';
  const manifest = readSyntheticManifest(folder, problems);
  const k = manifest ? manifest.communities.length : null;

  const users = new Map<number, Line>();
  const uf = 'users.tsv';
  for (const line of withHeader(readLines(folder, uf, problems), uf, SYNTHETIC_HEADERS.users, problems)) {
    const cols = columns(line, uf, '\t', 2, problems);
    if (cols) idAndCommunity(cols, 'user', users, k, line, uf, problems);
  }

  const itemLines = new Map<number, Line>();
  const items: Array<{ n: number; row: ItemRow }> = [];
  const itf = 'items.tsv';
  for (const line of withHeader(readLines(folder, itf, problems), itf, SYNTHETIC_HEADERS.items, problems)) {
    const cols = columns(line, itf, '\t', 4, problems);
    if (!cols) continue;
    const head = idAndCommunity(cols, 'item', itemLines, k, line, itf, problems);
    const title = checkTitle(cols[2], itf, line, problems);
    const tags = cols[3] === '' ? [] : cols[3].split(',');
    const bad = tags.find((t) => !t || t.length > TAG_MAX || !ID_PATTERN.test(t));
    if (bad !== undefined) problems.add(itf, line.no, `tag ${JSON.stringify(bad.slice(0, 80))}: tags must be 1..${TAG_MAX} printable characters without leading or trailing spaces`);
    else if (tags.length > TAGS_MAX) problems.add(itf, line.no, `${tags.length} tags, at most ${TAGS_MAX}`);
    else if (new Set(tags).size !== tags.length) problems.add(itf, line.no, 'a tag is listed twice');
    else if (head) items.push({ n: head[0], row: { id: `${P}i${head[0]}`, title, tags } });
  }

  const interactions: InteractionRow[] = [];
  const pairs = new Map<string, number>();
  const inf = 'interactions.tsv';
  for (const line of withHeader(readLines(folder, inf, problems), inf, SYNTHETIC_HEADERS.interactions, problems)) {
    const cols = columns(line, inf, '\t', 4, problems);
    if (!cols) continue;
    const [u, i, w] = [int(cols[0], 'user', line, inf, problems), int(cols[1], 'item', line, inf, problems), int(cols[2], 'plays', line, inf, problems)];
    const split = cols[3];
    if (split !== 'train' && split !== 'test') problems.add(inf, line.no, `split: expected train or test, got ${JSON.stringify(split.slice(0, 40))}`);
    if (u === null || i === null || w === null || (split !== 'train' && split !== 'test')) continue;
    if (!users.has(u)) problems.add(inf, line.no, `user ${u} is not in users.tsv`);
    if (!itemLines.has(i)) problems.add(inf, line.no, `item ${i} is not in items.tsv`);
    if (w > WEIGHT_MAX) problems.add(inf, line.no, `plays ${w} is larger than ${WEIGHT_MAX}`);
    if (!users.has(u) || !itemLines.has(i) || w > WEIGHT_MAX) continue;
    const key = `${u}\t${i}`;
    const first = pairs.get(key);
    if (first) {
      problems.add(inf, line.no, `duplicate (user, item) ${u}, ${i} (first at line ${first})`);
      continue;
    }
    pairs.set(key, line.no);
    interactions.push({ u: `${P}u${u}`, i: `${P}i${i}`, t: DATASET_EVENT_TYPE.synthetic, w, c: 1, s: split });
  }

  const friendships: FriendshipRow[] = [];
  const friendPairs = new Map<string, number>();
  const ff = 'friends.tsv';
  for (const line of withHeader(readLines(folder, ff, problems), ff, SYNTHETIC_HEADERS.friends, problems)) {
    const cols = columns(line, ff, '\t', 2, problems);
    if (!cols) continue;
    const a = int(cols[0], 'user', line, ff, problems);
    const b = int(cols[1], 'friend', line, ff, problems);
    if (a === null || b === null) continue;
    if (!users.has(a)) problems.add(ff, line.no, `user ${a} is not in users.tsv`);
    if (!users.has(b)) problems.add(ff, line.no, `friend ${b} is not in users.tsv`);
    if (a === b) problems.add(ff, line.no, `self-friendship of user ${a}`);
    if (!users.has(a) || !users.has(b) || a === b) continue;
    const key = a < b ? `${a}\t${b}` : `${b}\t${a}`;
    const first = friendPairs.get(key);
    if (first) {
      problems.add(ff, line.no, `friendship ${a}, ${b} listed twice (first at line ${first}; one row per unordered pair)`);
      continue;
    }
    friendPairs.set(key, line.no);
    const [lo, hi] = [`${P}u${a}`, `${P}u${b}`];
    friendships.push(lo < hi ? { lo, hi } : { lo: hi, hi: lo });
  }

  if (manifest) {
    const found = {
      users: users.size,
      items: itemLines.size,
      interactions: pairs.size,
      train: interactions.filter((r) => r.s === 'train').length,
      test: interactions.filter((r) => r.s === 'test').length,
      friendships: friendPairs.size,
    };
    // Only meaningful when every line parsed: otherwise the bad lines are already reported.
    if (!problems.total) {
      for (const key of Object.keys(found) as Array<keyof typeof found>) {
        const want = manifest.counts[key];
        if (want !== undefined && want !== found[key]) {
          problems.add('synthetic.json', 1, `counts.${key} is ${want} but the files hold ${found[key]} (truncated or edited file?)`);
        }
      }
    }
  }

  const interacted = new Set(interactions.map((r) => r.u));
  const befriended = new Set(friendships.flatMap((f) => [f.lo, f.hi]));
  const playedItems = new Set(interactions.map((r) => r.i));
  const userIds = [...users.keys()].sort((a, b) => a - b).map((u) => `${P}u${u}`);
  const notes: string[] = [];
  if (manifest) notes.push(`synthetic dataset, seed ${JSON.stringify(manifest.seed)}, ${manifest.communities.length} planted communities (${manifest.communities.join(', ')})`);
  const cold = userIds.filter((u) => !interacted.has(u));
  if (cold.length) notes.push(`${cold.length} cold-start user(s) with no interactions (${cold.filter((u) => befriended.has(u)).length} with friends): ${cold.slice(0, 5).join(', ')}`);
  const fresh = items.filter((x) => !playedItems.has(x.row.id)).length;
  if (fresh) notes.push(`${fresh} item(s) with no interactions yet`);
  return {
    name: 'synthetic',
    prefix: P,
    users: userIds,
    items: items.sort((a, b) => a.n - b.n).map((x) => x.row),
    interactions,
    friendships,
    notes,
  };
}

/**
 * Reads and validates a whole dataset folder before anything is written: every bad line is
 * collected (the first 50 are shown) and any problem throws DatasetInvalidError.
 */
export function parseDataset(folder: string, name: DatasetName): Dataset {
  const problems = new Problems();
  const parse = { lastfm: parseLastfm, ciao: parseCiao, gowalla: parseGowalla, hetrec: parseHetrec, synthetic: parseSynthetic }[name];
  const ds = parse(folder, problems);
  problems.throwIfAny();
  return ds;
}

/** Keeps the first n users (dataset order) with their interactions, the items those touch, and friendships among them. */
export function limitUsers(ds: Dataset, n: number): Dataset {
  const users = ds.users.slice(0, n);
  const keep = new Set(users);
  const interactions = ds.interactions.filter((r) => keep.has(r.u));
  const itemIds = new Set(interactions.map((r) => r.i));
  return {
    ...ds,
    users,
    items: ds.items.filter((i) => itemIds.has(i.id)),
    interactions,
    friendships: ds.friendships.filter((f) => keep.has(f.lo) && keep.has(f.hi)),
    notes: [...ds.notes, `limited to the first ${users.length} user(s)`],
  };
}

export type { ItemRow };
