import { TITLE_MAX, WEIGHT_MAX } from '../../limits';
import { FriendshipRow, InteractionRow, Problems } from '../dataset';
import { Line } from '../lines';

/** Merges rows of the same (user, item) pair: counts and weights add up, a 'train' row wins over 'test'. */
export class InteractionMerger {
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
export class FriendshipSet {
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

/** The raw ids of an index → raw id map, by index. */
export const sortedValues = (m: Map<number, string>): string[] => [...m.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);

/** A trimmed title, null when empty; too long is a problem. */
export function checkTitle(name: string, file: string, line: Line, problems: Problems): string | null {
  const title = name.trim();
  if (!title) return null;
  if (title.length > TITLE_MAX) {
    problems.add(file, line.no, `name longer than ${TITLE_MAX} characters`);
    return null;
  }
  return title;
}
