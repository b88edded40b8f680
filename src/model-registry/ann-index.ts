/**
 * The approximate-nearest-neighbour index over a model's item embeddings (usearch HNSW, in process),
 * built when the model loads and held by its ModelArtifacts: it is versioned, swapped and released
 * with the model (docs/decisions/0024-ann-retrieval.md).
 *
 * Serving ranks by dot product (the scorer is `user · itemᵀ`), which HNSW does not search well as a
 * metric. The index holds each item as [x, √(M² − |x|²)] (M the largest item norm) and is queried
 * with [q, 0]: then |q' − x'|² = |q|² + M² − 2 q·x, so the L2 order is exactly the dot-product order
 * (the reduction of Bachrach et al., 2014). Retrieved items are re-scored exactly by the caller.
 */
import { Index, MetricKind } from 'usearch';

/** HNSW parameters (measured in docs/scale.md: Recall@20 of the re-scored top-20 ≥ 0.999 on lastfm). */
export const ANN_CONNECTIVITY = 16;
export const ANN_EXPANSION_ADD = 128;
/** The search's beam is at least this (and at least k). */
export const ANN_EXPANSION_SEARCH = 64;
/** Items added per slice: the build yields to the event loop between slices, so serving goes on while it runs. */
const BUILD_SLICE = 2_048;

/** What serving reads of a model's index. */
export interface AnnIndex {
  readonly engine: 'usearch';
  readonly size: number;
  readonly dim: number;
  /** Model item indices, about the `k` best by dot product with `q` (best first); all of them once k ≥ size. */
  search(q: Float32Array, k: number): Int32Array;
  /** The items' column sums and Gram matrix (float64, dim × dim): Σ scores and Σ scores² of any user without a pass over the items. */
  readonly colSum: Float64Array;
  readonly gram: Float64Array;
  readonly buildMs: number;
  /** the index's memory, estimated: its vectors (float32) and base-layer links (2 × connectivity × 4 bytes per item) */
  readonly bytes: number;
}

/** The model's ANN state: EXACT below the threshold, READY with an index, FAILED when it could not be built (exact serving, reported on /health/ready). */
export type AnnState = { status: 'EXACT'; reason: string } | { status: 'READY'; index: AnnIndex } | { status: 'FAILED'; error: string };

/** Rows of `emb` (n × dim) as [x, √(M² − |x|²)]. */
export function augmentForMips(emb: Float32Array, dim: number): Float32Array {
  const n = emb.length / dim;
  const norms2 = new Float64Array(n);
  let max2 = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += emb[i * dim + d] * emb[i * dim + d];
    norms2[i] = s;
    if (s > max2) max2 = s;
  }
  const out = new Float32Array(n * (dim + 1));
  for (let i = 0; i < n; i++) {
    out.set(emb.subarray(i * dim, (i + 1) * dim), i * (dim + 1));
    out[i * (dim + 1) + dim] = Math.sqrt(Math.max(0, max2 - norms2[i]));
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

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

/** Builds the index over `emb` (n × dim) in slices, yielding between them. */
export async function buildAnnIndex(emb: Float32Array, dim: number, threads = 0): Promise<AnnIndex> {
  const t0 = performance.now();
  const n = emb.length / dim;
  if (!Number.isInteger(n) || n === 0) throw new Error(`item embeddings of length ${emb.length} are not a non-empty n × ${dim} matrix`);
  const aug = augmentForMips(emb, dim);
  const { colSum, gram } = momentMatrices(emb, dim);
  const index = new Index({
    dimensions: dim + 1,
    metric: MetricKind.L2sq,
    connectivity: ANN_CONNECTIVITY,
    expansion_add: ANN_EXPANSION_ADD,
    expansion_search: ANN_EXPANSION_SEARCH,
  } as ConstructorParameters<typeof Index>[0]);
  for (let start = 0; start < n; start += BUILD_SLICE) {
    const end = Math.min(n, start + BUILD_SLICE);
    const keys = new BigUint64Array(end - start);
    for (let i = start; i < end; i++) keys[i - start] = BigInt(i);
    index.add(keys, aug.subarray(start * (dim + 1), end * (dim + 1)), threads);
    await yieldToLoop();
  }
  if (index.size() !== n) throw new Error(`the index holds ${index.size()} of ${n} items`);
  const query = new Float32Array(dim + 1);
  const bytes = aug.byteLength + n * 2 * ANN_CONNECTIVITY * 4;
  return {
    engine: 'usearch',
    size: n,
    dim,
    colSum,
    gram,
    bytes,
    buildMs: Math.round(performance.now() - t0),
    search(q: Float32Array, k: number): Int32Array {
      query.set(q.subarray(0, dim));
      const m = index.search(query, Math.max(1, Math.min(k, n)), 1);
      return Int32Array.from(m.keys, (key) => Number(key));
    },
  };
}

/** The model's index: none below `minItems` items, FAILED (with why) when building throws. */
export async function annState(
  emb: Float32Array,
  dim: number,
  minItems: number,
  build: (emb: Float32Array, dim: number) => Promise<AnnIndex> = buildAnnIndex,
): Promise<AnnState> {
  const n = Math.floor(emb.length / dim);
  if (n < minItems) return { status: 'EXACT', reason: `${n} items, below ANN_MIN_ITEMS=${minItems}` };
  try {
    return { status: 'READY', index: await build(emb, dim) };
  } catch (err) {
    return { status: 'FAILED', error: (err as Error).message };
  }
}

/** What /health/ready says of a model's index. */
export function annSummary(ann: AnnState): Record<string, unknown> {
  if (ann.status === 'READY') {
    const { engine, size, buildMs, bytes } = ann.index;
    return { status: ann.status, engine, items: size, buildMs, bytes };
  }
  return ann.status === 'FAILED' ? { status: ann.status, error: ann.error } : { status: ann.status, reason: ann.reason };
}
