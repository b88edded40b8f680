import { ID_PATTERN, TAG_MAX, WEIGHT_MAX } from '../../limits';
import { Problems } from '../dataset';
import { columns, int, Line, readLines, withHeader } from '../lines';
import { checkTitle } from './rows';

/** Tags kept per artist (most frequent first). */
export const TAGS_PER_ITEM = 10;

/** What the HetRec 2011 lastfm-2k files give, keyed by raw artist and user ids. */
export interface HetrecFiles {
  titles: Map<string, string | null>;
  tagsOf: (artist: string) => string[];
  /** `<userID>\t<artistID>` → listening count and its line. */
  weights: Map<string, { w: number; line: Line }>;
  /** Tags dropped so far by tagsOf (empty, too long or with control characters). */
  skippedTags: () => number;
}

/**
 * HetRec raw files, read by the hetrec format (in the folder itself) and by lastfm (under `raw/`):
 * artists.dat titles, top tags per artist (tags.dat is Latin-1), user_artists.dat listening counts.
 */
export function readHetrecFiles(folder: string, dir: string, problems: Problems): HetrecFiles {
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
    const [u, a, w] = [
      int(cols[0], 'userID', line, ua, problems),
      int(cols[1], 'artistID', line, ua, problems),
      int(cols[2], 'weight', line, ua, problems),
    ];
    if (u === null || a === null || w === null) continue;
    if (w > WEIGHT_MAX) {
      problems.add(ua, line.no, `weight ${w} is larger than ${WEIGHT_MAX}`);
      continue;
    }
    const key = `${cols[0]}\t${cols[1]}`;
    if (weights.has(key))
      problems.add(ua, line.no, `duplicate (userID, artistID) ${cols[0]}, ${cols[1]} (first at line ${weights.get(key)!.line.no})`);
    weights.set(key, { w, line });
  }
  return { titles, tagsOf, weights, skippedTags: () => skippedTags };
}

/** The note for dropped tags, or none: it counts the tags dropped by the tagsOf calls made so far, so take it after building the items. */
export const skippedTagsNote = (files: HetrecFiles): string[] =>
  files.skippedTags() ? [`${files.skippedTags()} tag(s) skipped (empty, longer than ${TAG_MAX} or with control characters)`] : [];
