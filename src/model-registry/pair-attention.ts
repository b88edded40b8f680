export interface PairAttention {
  a: string;
  b: string;
  attention: number;
  kept: boolean;
}

/**
 * One row per friendship from a model's directed attention (keys `${a}\u0000${b}`, as in ModelArtifacts):
 * the mean of the two directions, kept when either direction is.
 */
export function pairAttention(directed: ReadonlyMap<string, { attention: number; kept: boolean }>): PairAttention[] {
  const pairs = new Map<string, { a: string; b: string; sum: number; n: number; kept: boolean }>();
  for (const [key, v] of directed) {
    const [x, y] = key.split('\u0000');
    const [a, b] = x < y ? [x, y] : [y, x];
    const k = `${a}\u0000${b}`;
    const p = pairs.get(k) ?? { a, b, sum: 0, n: 0, kept: false };
    p.sum += v.attention;
    p.n += 1;
    p.kept ||= v.kept;
    pairs.set(k, p);
  }
  return [...pairs.values()].map((p) => ({ a: p.a, b: p.b, attention: p.sum / p.n, kept: p.kept }));
}
