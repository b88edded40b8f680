export interface PairAttention {
  /** The pair's lower id (JavaScript string order), the start of its stored FRIEND edge. */
  a: string;
  /** The pair's higher id, the end of the edge. */
  b: string;
  /** a's attention on b (null when the model has no row for that direction). */
  ab: number | null;
  /** b's attention on a. */
  ba: number | null;
  /** Whether the model's attention filter kept each direction (false when it has no row). */
  keptAb: boolean;
  keptBa: boolean;
}

/**
 * One row per friendship from a model's directed attention (keys `${a}\u0000${b}`, as in ModelArtifacts),
 * both directions kept apart: FRIEND is stored once per pair (docs/decisions/0016), so the row names which
 * id is the edge's start (`a`, the lower) and carries a→b and b→a side by side.
 */
export function pairAttention(directed: ReadonlyMap<string, { attention: number; kept: boolean }>): PairAttention[] {
  const pairs = new Map<string, PairAttention>();
  for (const [key, v] of directed) {
    const [x, y] = key.split('\u0000');
    const [a, b] = x < y ? [x, y] : [y, x];
    const k = `${a}\u0000${b}`;
    const p = pairs.get(k) ?? { a, b, ab: null, ba: null, keptAb: false, keptBa: false };
    if (x === a) {
      p.ab = v.attention;
      p.keptAb = v.kept;
    } else {
      p.ba = v.attention;
      p.keptBa = v.kept;
    }
    pairs.set(k, p);
  }
  return [...pairs.values()];
}
