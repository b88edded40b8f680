/**
 * Pure vector helpers for serving: partial top-k selection, cosine similarity, weighted means and
 * the tag vectors that let items unknown to the model (new items) be scored.
 */

/**
 * Indices of the `n` best scores, best first (ties: lower index first). Skips -Infinity/NaN.
 * A bounded min-heap: O(I log n) instead of sorting the whole score array.
 */
export function topK(scores: ArrayLike<number>, n: number): number[] {
  if (n <= 0) return [];
  const heap: number[] = []; // indices; heap[0] is the worst kept
  // a is "worse" than b when it scores lower, or equal and has a higher index
  const worse = (a: number, b: number): boolean => scores[a] < scores[b] || (scores[a] === scores[b] && a > b);
  const up = (k: number) => {
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (!worse(heap[k], heap[p])) break;
      [heap[k], heap[p]] = [heap[p], heap[k]];
      k = p;
    }
  };
  const down = (k: number) => {
    for (;;) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < heap.length && worse(heap[l], heap[m])) m = l;
      if (r < heap.length && worse(heap[r], heap[m])) m = r;
      if (m === k) break;
      [heap[k], heap[m]] = [heap[m], heap[k]];
      k = m;
    }
  };
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (!(s > -Infinity)) continue; // excluded or NaN
    if (heap.length < n) {
      heap.push(i);
      up(heap.length - 1);
    } else if (worse(heap[0], i)) {
      heap[0] = i;
      down(0);
    }
  }
  return heap.sort((a, b) => scores[b] - scores[a] || a - b);
}

export function dot(a: Float32Array, aOff: number, b: Float32Array, bOff: number, dim: number): number {
  let s = 0;
  for (let d = 0; d < dim; d++) s += a[aOff + d] * b[bOff + d];
  return s;
}

/** L2 norm of every row of a row-major matrix. */
export function rowNorms(m: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(m.length / dim);
  rowNormsInto(out, m, dim, 0, out.length);
  return out;
}

/** Rows [from, to) of rowNorms into `out` (large tables are filled a slice at a time). */
export function rowNormsInto(out: Float32Array, m: Float32Array, dim: number, from: number, to: number): void {
  for (let r = from; r < to; r++) out[r] = Math.sqrt(dot(m, r * dim, m, r * dim, dim));
}

export function cosine(a: Float32Array, aOff: number, aNorm: number, b: Float32Array, bOff: number, bNorm: number, dim: number): number {
  if (aNorm === 0 || bNorm === 0) return 0;
  return dot(a, aOff, b, bOff, dim) / (aNorm * bNorm);
}

/** Weighted mean of rows of `m` (weights need not sum to 1); null when no weight is positive. */
export function weightedMean(m: Float32Array, dim: number, rows: number[], weights: number[]): Float32Array | null {
  const out = new Float32Array(dim);
  let total = 0;
  rows.forEach((r, k) => {
    const w = weights[k];
    if (!(w > 0)) return;
    total += w;
    for (let d = 0; d < dim; d++) out[d] += w * m[r * dim + d];
  });
  if (total === 0) return null;
  for (let d = 0; d < dim; d++) out[d] /= total;
  return out;
}

/** Per tag: the sum of the model's item embeddings carrying it, their count and the sum of their norms. */
export interface TagStats {
  sum: Float32Array;
  count: number;
  normSum: number;
}

export function tagStats(itemEmb: Float32Array, dim: number, itemTags: string[][], norms: Float32Array): Map<string, TagStats> {
  const out = new Map<string, TagStats>();
  addTagStats(out, itemEmb, dim, itemTags, norms, 0, itemTags.length);
  return out;
}

/** Items [from, to) of tagStats added into `out` (large models are summed a slice at a time). */
export function addTagStats(
  out: Map<string, TagStats>,
  itemEmb: Float32Array,
  dim: number,
  itemTags: string[][],
  norms: Float32Array,
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) {
    const tags = itemTags[i];
    for (let k = 0; k < tags.length; k++) {
      const t = tags[k];
      if (tags.indexOf(t) < k) continue; // a tag repeated on one item counts once
      let s = out.get(t);
      if (!s) out.set(t, (s = { sum: new Float32Array(dim), count: 0, normSum: 0 }));
      for (let d = 0; d < dim; d++) s.sum[d] += itemEmb[i * dim + d];
      s.count++;
      s.normSum += norms[i];
    }
  }
}

/**
 * The embedding of an item the model has never seen: the mean embedding of the model items sharing
 * its tags (an item sharing two tags counts twice), rescaled to those items' mean norm so that its
 * dot-product scores are on the same scale as theirs. Null when no model item shares a tag.
 */
export function tagVector(tags: string[], stats: Map<string, TagStats>, dim: number): Float32Array | null {
  const v = new Float32Array(dim);
  let count = 0;
  let normSum = 0;
  for (const t of new Set(tags)) {
    const s = stats.get(t);
    if (!s) continue;
    for (let d = 0; d < dim; d++) v[d] += s.sum[d];
    count += s.count;
    normSum += s.normSum;
  }
  if (count === 0) return null;
  const n = Math.sqrt(dot(v, 0, v, 0, dim));
  if (n === 0) return null;
  const scale = normSum / count / n;
  for (let d = 0; d < dim; d++) v[d] *= scale;
  return v;
}

/** Min-max scaling to [0, 1] over the finite entries (all equal: 0). */
export function minMax(values: Float64Array): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const out = new Float64Array(values.length);
  const span = hi - lo;
  for (let i = 0; i < values.length; i++) out[i] = Number.isFinite(values[i]) && span > 0 ? (values[i] - lo) / span : 0;
  return out;
}

/**
 * Friends' picks: adds β·(σ_s/σ_c)·log(1 + c_k) to every finite score, where c_k is how many of the
 * user's friends interacted with slot k, σ_s the standard deviation of the finite scores and σ_c that
 * of log(1 + c) over the same slots. The ranking is the trainer's z(s) + β·z(log(1 + c)) (β picked
 * on validation, metrics.json friends_blend) while the scores keep the model's scale: items no
 * friend touched keep their score.
 */
export function addFriendsPicks(scores: Float64Array, counts: ArrayLike<number>, beta: number): void {
  if (!(beta > 0)) return;
  let n = 0;
  let s1 = 0;
  let s2 = 0;
  let c1 = 0;
  let c2 = 0;
  for (let k = 0; k < scores.length; k++) {
    if (!Number.isFinite(scores[k])) continue;
    const c = Math.log1p(counts[k]);
    n++;
    s1 += scores[k];
    s2 += scores[k] * scores[k];
    c1 += c;
    c2 += c * c;
  }
  const w = friendsPickWeight({ n, s1, s2, c1, c2 }, beta);
  if (w === 0) return; // no friend's item among the slots, or a flat model score
  for (let k = 0; k < scores.length; k++) if (counts[k] > 0 && Number.isFinite(scores[k])) scores[k] += w * Math.log1p(counts[k]);
}

/** Sums over the finite scores s and their slots' c = log(1 + friends' count): count, Σs, Σs², Σc, Σc². */
export interface FriendsMoments {
  n: number;
  s1: number;
  s2: number;
  c1: number;
  c2: number;
}

/** β·σ_s/σ_c from the moments (sample standard deviations); 0 when either is flat or fewer than two scores. */
export function friendsPickWeight({ n, s1, s2, c1, c2 }: FriendsMoments, beta: number): number {
  if (n < 2 || !(beta > 0)) return 0;
  const sdS = Math.sqrt(Math.max(0, (s2 - (s1 * s1) / n) / (n - 1)));
  const sdC = Math.sqrt(Math.max(0, (c2 - (c1 * c1) / n) / (n - 1)));
  if (!(sdC > 0) || !(sdS > 0)) return 0;
  return (beta * sdS) / sdC;
}
