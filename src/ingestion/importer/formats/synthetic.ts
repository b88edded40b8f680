import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ID_PATTERN, TAG_MAX, TAGS_MAX, WEIGHT_MAX } from '../../limits';
import { Dataset, FriendshipRow, InteractionRow, ItemRow, Problems } from '../dataset';
import { columns, int, Line, readLines, withHeader } from '../lines';
import { SYNTHETIC_FILES, SYNTHETIC_FORMAT, SYNTHETIC_HEADERS, SYNTHETIC_VERSION } from '../synthetic';
import { DatasetFormat } from './dataset-format';
import { checkTitle } from './rows';

const EVENT_TYPE = 'PLAY';

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
  if (m.format !== SYNTHETIC_FORMAT)
    problems.add(file, 1, `format: expected ${JSON.stringify(SYNTHETIC_FORMAT)}, got ${JSON.stringify(m.format)}`);
  if (m.version !== SYNTHETIC_VERSION)
    problems.add(
      file,
      1,
      `version: expected ${SYNTHETIC_VERSION}, got ${JSON.stringify(m.version)} (written by another generator version?)`,
    );
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
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
        problems.add(file, 1, `counts.${k}: expected a non-negative integer, got ${JSON.stringify(v)}`);
      else counts[k] = v;
    }
  }
  return communitiesOk ? { communities, counts, seed: obj(m.params) ? m.params.seed : undefined } : null;
}

/** `<id>\t<community>` leading columns shared by users.tsv and items.tsv; the id must be new. */
function idAndCommunity(
  cols: string[],
  what: string,
  seen: Map<number, Line>,
  k: number | null,
  line: Line,
  file: string,
  problems: Problems,
): [number, number] | null {
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
function read(folder: string, problems: Problems): Dataset {
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
    if (bad !== undefined)
      problems.add(
        itf,
        line.no,
        `tag ${JSON.stringify(bad.slice(0, 80))}: tags must be 1..${TAG_MAX} printable characters without leading or trailing spaces`,
      );
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
    const [u, i, w] = [
      int(cols[0], 'user', line, inf, problems),
      int(cols[1], 'item', line, inf, problems),
      int(cols[2], 'plays', line, inf, problems),
    ];
    const split = cols[3];
    if (split !== 'train' && split !== 'test')
      problems.add(inf, line.no, `split: expected train or test, got ${JSON.stringify(split.slice(0, 40))}`);
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
    interactions.push({ u: `${P}u${u}`, i: `${P}i${i}`, t: EVENT_TYPE, w, c: 1, s: split });
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
  if (manifest)
    notes.push(
      `synthetic dataset, seed ${JSON.stringify(manifest.seed)}, ${manifest.communities.length} planted communities (${manifest.communities.join(', ')})`,
    );
  const cold = userIds.filter((u) => !interacted.has(u));
  if (cold.length)
    notes.push(
      `${cold.length} cold-start user(s) with no interactions (${cold.filter((u) => befriended.has(u)).length} with friends): ${cold.slice(0, 5).join(', ')}`,
    );
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

export const syntheticFormat: DatasetFormat = {
  name: 'synthetic',
  markers: SYNTHETIC_FILES,
  manifest: 'synthetic.json',
  eventType: EVENT_TYPE,
  description:
    'The seeded synthetic dataset (npm run synthetic): users and items with planted communities, PLAY edges with play counts and a split, one row per friendship; strict (duplicates are errors)',
  read,
};
