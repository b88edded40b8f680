/**
 * Random-walk bookkeeping, kept apart from the database: the repository asks Cypher for one step of
 * all walkers (grouped by their current node) and this class assigns the moves and counts visits.
 */
export interface StepMove {
  cur: string;
  next: string;
}

export interface VisitedNode {
  id: string;
  visits: number;
  /** visits / all visits of this seed's walks that did not land on the seed (importance weight). */
  weight: number;
}

export class WalkState {
  private readonly cur: string[];
  private readonly seedOf: Int32Array;
  readonly visits: Array<Map<string, number>>;

  constructor(
    readonly seeds: readonly string[],
    walksPerSeed: number,
    private readonly random: () => number = Math.random,
  ) {
    const n = seeds.length * walksPerSeed;
    this.cur = new Array<string>(n);
    this.seedOf = new Int32Array(n);
    for (let s = 0, w = 0; s < seeds.length; s++) {
      for (let j = 0; j < walksPerSeed; j++, w++) {
        this.cur[w] = seeds[s];
        this.seedOf[w] = s;
      }
    }
    this.visits = seeds.map(() => new Map<string, number>());
  }

  get walkers(): number {
    return this.cur.length;
  }

  /** Before a step: each walker jumps back to its seed with probability p. */
  restart(p: number): void {
    if (p <= 0) return;
    for (let w = 0; w < this.cur.length; w++) if (this.random() < p) this.cur[w] = this.seeds[this.seedOf[w]];
  }

  /** Walkers per current node, the parameter of one step query. */
  groups(): Array<{ id: string; n: number }> {
    const counts = new Map<string, number>();
    for (const c of this.cur) counts.set(c, (counts.get(c) ?? 0) + 1);
    return [...counts].map(([id, n]) => ({ id, n }));
  }

  /**
   * Applies one step: the moves for walkers on node x are i.i.d. draws, so they are handed out in
   * order. A walker without a move (dead end) goes back to its seed and counts no visit.
   */
  advance(moves: Iterable<StepMove>): void {
    const byCur = new Map<string, string[]>();
    for (const m of moves) {
      const list = byCur.get(m.cur);
      if (list) list.push(m.next);
      else byCur.set(m.cur, [m.next]);
    }
    for (let w = 0; w < this.cur.length; w++) {
      const next = byCur.get(this.cur[w])?.pop();
      const s = this.seedOf[w];
      if (next === undefined) {
        this.cur[w] = this.seeds[s];
        continue;
      }
      this.cur[w] = next;
      const v = this.visits[s];
      v.set(next, (v.get(next) ?? 0) + 1);
    }
  }
}

/**
 * The k most visited nodes of one seed's walks, excluding the seed itself (and any node `skip`
 * rejects), by visits descending then id; weight = visits / total visits that did not land on the seed.
 */
export function topVisited(
  visits: Map<string, number>,
  seed: string,
  k: number,
  skip: (id: string) => boolean = () => false,
): VisitedNode[] {
  let total = 0;
  for (const [id, n] of visits) if (id !== seed) total += n;
  if (total === 0) return [];
  return [...visits]
    .filter(([id]) => id !== seed && !skip(id))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, k)
    .map(([id, n]) => ({ id, visits: n, weight: n / total }));
}
