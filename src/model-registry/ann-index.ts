/**
 * The approximate-nearest-neighbour index over a model's item embeddings (usearch HNSW, in process),
 * built when the model loads and held by its ModelArtifacts: it is versioned, swapped and released
 * with the model (docs/decisions/0024-ann-retrieval.md).
 *
 * Serving ranks by dot product (the scorer is `user · itemᵀ`), which HNSW does not search well as a
 * metric. Items are split by norm into NORM_BUCKETS ranges; in each, an item is held as
 * [x, √(M² − |x|²)] (M the bucket's largest norm) and queried with [q, 0]: then
 * |q' − x'|² = |q|² + M² − 2 q·x, so the L2 order is the dot-product order (Bachrach et al., 2014).
 * One bucket for all items fails on trained embeddings: norms are skewed (lastfm LightGCN: median
 * 0.78, max 5.9), the extra coordinate swamps the rest and some users got 0 of their top 20;
 * ranging the norms (Yan et al., 2018) keeps each bucket's M close to its items' norms. A search
 * visits the buckets from the largest norms down and stops when |q|·M of the next cannot beat the
 * k-th best found.
 */
import { Index, MetricKind } from 'usearch';
import { BuiltIndex, buildGraph, graphBytes } from './hnsw-graph';

export { ANN_CONNECTIVITY, ANN_EXPANSION_ADD, ANN_EXPANSION_SEARCH } from './hnsw-graph';
/** Norm ranges (each its own HNSW graph); fewer when the catalogue is small. */
export const NORM_BUCKETS = 8;
/** Neighbouring ranges are merged while the largest norm is at most this × the smallest. */
export const NORM_RATIO = 1.5;

/** What serving reads of a model's index. */
export interface AnnIndex extends BuiltIndex {
  readonly dim: number;
  /** Model item indices, about the `k` best by dot product with `q` (best first); all of them once k ≥ size. */
  search(q: Float32Array, k: number): Int32Array;
  /** The items' column sums and Gram matrix (float64, dim × dim): Σ scores and Σ scores² of any user without a pass over the items. */
  readonly colSum: Float64Array;
  readonly gram: Float64Array;
  /** its graphs, largest norms first (what the worker saves) */
  readonly graphs: readonly NormGraph[];
}

/**
 * A model's index: EXACT below the threshold, READY with an index (built by the worker with the model and
 * loaded from its files, or built by this process at load), FAILED when it could not be built
 * (exact serving, reported on /health/ready), BUILDING while built in the background (similarItems').
 */
export type AnnState<I extends BuiltIndex = AnnIndex> =
  | { status: 'EXACT'; reason: string }
  | { status: 'BUILDING'; abort: AbortController }
  | { status: 'READY'; index: I; builtBy: 'WORKER' | 'API'; loadMs?: number }
  | { status: 'FAILED'; error: string };

/** Rows `rows` of `emb` (all rows by default) as [x, √(M² − |x|²)], M the largest of their norms. */
export function augmentForMips(emb: Float32Array, dim: number, rows?: ArrayLike<number>): Float32Array {
  const ids = rows ?? Int32Array.from({ length: emb.length / dim }, (_, i) => i);
  const n = ids.length;
  const norms2 = new Float64Array(n);
  let max2 = 0;
  for (let r = 0; r < n; r++) {
    const o = ids[r] * dim;
    let s = 0;
    for (let d = 0; d < dim; d++) s += emb[o + d] * emb[o + d];
    norms2[r] = s;
    if (s > max2) max2 = s;
  }
  const out = new Float32Array(n * (dim + 1));
  for (let r = 0; r < n; r++) {
    out.set(emb.subarray(ids[r] * dim, (ids[r] + 1) * dim), r * (dim + 1));
    out[r * (dim + 1) + dim] = Math.sqrt(Math.max(0, max2 - norms2[r]));
  }
  return out;
}

/**
 * Item indices in ranges of norm, largest norms first, with each range's largest norm: up to
 * `buckets` ranges of equal size, neighbours merged while the merged range's largest norm is at most
 * `maxRatio` × its smallest (similar norms search well as one graph; each range is one more search).
 */
export function normBuckets(
  emb: Float32Array,
  dim: number,
  buckets: number,
  maxRatio = NORM_RATIO,
): Array<{ ids: Int32Array; maxNorm: number }> {
  const n = emb.length / dim;
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += emb[i * dim + d] * emb[i * dim + d];
    norms[i] = Math.sqrt(s);
  }
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => norms[b] - norms[a] || a - b);
  const b = Math.max(1, Math.min(buckets, Math.ceil(n / 512)));
  const cuts = Array.from({ length: b + 1 }, (_, k) => Math.floor((k * n) / b));
  const out: Array<{ ids: Int32Array; maxNorm: number }> = [];
  let start = 0;
  for (let k = 1; k <= b; k++) {
    const next = k < b ? cuts[k + 1] - 1 : -1; // last item of the following range
    if (next >= 0 && norms[order[start]] <= maxRatio * norms[order[next]]) continue;
    out.push({ ids: order.slice(start, cuts[k]), maxNorm: norms[order[start]] });
    start = cuts[k];
  }
  return out;
}

/** Σ rows and Σ rowᵀrow of `emb` (n × dim), in float64. */
export function momentMatrices(emb: Float32Array, dim: number): { colSum: Float64Array; gram: Float64Array } {
  const n = emb.length / dim;
  const colSum = new Float64Array(dim);
  const gram = new Float64Array(dim * dim);
  for (let i = 0; i < n; i++) {
    const o = i * dim;
    for (let a = 0; a < dim; a++) {
      const xa = emb[o + a];
      colSum[a] += xa;
      for (let b = a; b < dim; b++) gram[a * dim + b] += xa * emb[o + b];
    }
  }
  for (let a = 0; a < dim; a++) for (let b = 0; b < a; b++) gram[a * dim + b] = gram[b * dim + a];
  return { colSum, gram };
}

/** One norm range's graph: its items keyed by their model index, its largest norm. */
export interface NormGraph {
  readonly maxNorm: number;
  readonly index: Index;
}

/** Builds the index over `emb` (n × dim): one graph per norm range (hnsw-graph.ts: in slices, one insertion thread by default). */
export async function buildAnnIndex(emb: Float32Array, dim: number, buckets = NORM_BUCKETS, threads = 1): Promise<AnnIndex> {
  const t0 = performance.now();
  const n = emb.length / dim;
  if (!Number.isInteger(n) || n === 0) throw new Error(`item embeddings of length ${emb.length} are not a non-empty n × ${dim} matrix`);
  const moments = momentMatrices(emb, dim);
  const graphs: NormGraph[] = [];
  for (const { ids, maxNorm } of normBuckets(emb, dim, buckets)) {
    const index = await buildGraph(augmentForMips(emb, dim, ids), dim + 1, MetricKind.L2sq, { threads, keys: ids });
    graphs.push({ maxNorm, index });
  }
  return annIndexOf(emb, dim, graphs, moments, Math.round(performance.now() - t0));
}

/** The index over `emb` (n × dim) made of `graphs` (built here, or loaded from the worker's files: index-files.ts). */
export function annIndexOf(
  emb: Float32Array,
  dim: number,
  graphs: NormGraph[],
  { colSum, gram }: { colSum: Float64Array; gram: Float64Array },
  buildMs: number,
): AnnIndex {
  const n = emb.length / dim;
  const query = new Float32Array(dim + 1);
  const score = (q: Float32Array, i: number) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += q[d] * emb[i * dim + d];
    return s;
  };
  return {
    engine: 'usearch',
    size: n,
    dim,
    colSum,
    gram,
    graphs,
    bytes: graphs.reduce((b, g) => b + graphBytes(g.index.size(), dim + 1), 0),
    buildMs,
    search(q: Float32Array, k: number): Int32Array {
      query.set(q.subarray(0, dim));
      let qNorm = 0;
      for (let d = 0; d < dim; d++) qNorm += q[d] * q[d];
      qNorm = Math.sqrt(qNorm);
      const want = Math.max(1, Math.min(k, n));
      let found: Array<[number, number]> = [];
      for (const g of graphs) {
        // no item of this range (nor of the smaller ones after it) can beat the k-th best found
        if (found.length >= want && found[want - 1][1] >= qNorm * g.maxNorm) break;
        const m = g.index.search(query, Math.min(want, g.index.size()), 1);
        for (const key of m.keys) {
          const i = Number(key);
          found.push([i, score(q, i)]);
        }
        found.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
        if (found.length > want) found = found.slice(0, want);
      }
      return Int32Array.from(found, ([i]) => i);
    },
  };
}

/** A model's index: none below `minItems` items, FAILED (with why) when building throws. */
export async function annState<I extends BuiltIndex = AnnIndex>(
  emb: Float32Array,
  dim: number,
  minItems: number,
  build: (emb: Float32Array, dim: number) => Promise<I> = buildAnnIndex as unknown as (emb: Float32Array, dim: number) => Promise<I>, // I = AnnIndex when omitted
): Promise<AnnState<I>> {
  const n = Math.floor(emb.length / dim);
  if (n < minItems) return { status: 'EXACT', reason: `${n} items, below ANN_MIN_ITEMS=${minItems}` };
  try {
    return { status: 'READY', index: await build(emb, dim), builtBy: 'API' };
  } catch (err) {
    return { status: 'FAILED', error: (err as Error).message };
  }
}

/** What /health/ready says of a model's index. */
export function annSummary(ann: AnnState<BuiltIndex>): Record<string, unknown> {
  if (ann.status === 'READY') {
    const { engine, size, buildMs, bytes } = ann.index;
    return {
      status: ann.status,
      engine,
      items: size,
      builtBy: ann.builtBy,
      buildMs,
      ...(ann.loadMs !== undefined ? { loadMs: ann.loadMs } : {}),
      bytes,
    };
  }
  if (ann.status === 'BUILDING') return { status: ann.status };
  return ann.status === 'FAILED' ? { status: ann.status, error: ann.error } : { status: ann.status, reason: ann.reason };
}
