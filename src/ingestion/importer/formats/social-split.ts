import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Problems } from '../dataset';
import { columns, int, Line, readLines, withHeader } from '../lines';
import { FriendshipSet, InteractionMerger } from './rows';

/**
 * The SocialLGN release layout shared by its lastfm and ciao folders: userReindex.json and
 * itemReindex.json map raw ids to 0-based indices; train_set.txt and test_set.txt hold `user,item`
 * index pairs (the official split); trust.txt holds directed `user,friend` index pairs.
 */
export const SOCIAL_SPLIT_FILES = ['train_set.txt', 'test_set.txt', 'trust.txt', 'userReindex.json', 'itemReindex.json'] as const;

/** index → raw id, for users and items. */
export interface SocialSplitIds {
  users: Map<number, string>;
  items: Map<number, string>;
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

/** userReindex.json and itemReindex.json. */
export function readSplitIds(folder: string, problems: Problems): SocialSplitIds {
  return { users: readReindex(folder, 'userReindex.json', problems), items: readReindex(folder, 'itemReindex.json', problems) };
}

/**
 * train_set.txt then test_set.txt as `<prefix>u<raw>` → `<prefix>i<raw>` edges of one event type,
 * merged per pair (a pair in both files is 'train'); `weightOf` gives each row's weight from the raw ids.
 */
export function readSplitInteractions(
  folder: string,
  ids: SocialSplitIds,
  prefix: string,
  eventType: string,
  weightOf: (rawUser: string, rawItem: string) => number,
  problems: Problems,
): InteractionMerger {
  const merger = new InteractionMerger();
  for (const [file, split] of [
    ['train_set.txt', 'train'],
    ['test_set.txt', 'test'],
  ] as const) {
    for (const [ui, ii, line] of readIndexPairs(folder, file, 'user,item', problems)) {
      const ru = ids.users.get(ui);
      const ri = ids.items.get(ii);
      if (ru === undefined) problems.add(file, line.no, `user index ${ui} is not in userReindex.json`);
      if (ri === undefined) problems.add(file, line.no, `item index ${ii} is not in itemReindex.json`);
      if (ru === undefined || ri === undefined) continue;
      merger.add(`${prefix}u${ru}`, `${prefix}i${ri}`, eventType, weightOf(ru, ri), split);
    }
  }
  return merger;
}

/** trust.txt: directed rows, one FRIEND edge per unordered pair; self-trust is a problem. */
export function readTrust(folder: string, users: Map<number, string>, prefix: string, problems: Problems): FriendshipSet {
  const file = 'trust.txt';
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
