/**
 * One usearch HNSW graph over a matrix of vectors, built in slices on the event loop: what the
 * recommendation index (ann-index.ts, one graph per norm range) and the similar-items index
 * (cosine-index.ts) are made of (docs/decisions/0024-ann-retrieval.md, 0035-similar-items-ann.md).
 */
import { Index, MetricKind } from 'usearch';

/** HNSW parameters (measured in docs/scale.md: Recall@20 of the re-scored top-20 ≥ 0.999 on lastfm). */
export const ANN_CONNECTIVITY = 16;
export const ANN_EXPANSION_ADD = 128;
/** The search's beam is at least this (and at least k). */
export const ANN_EXPANSION_SEARCH = 64;
/** Items added per slice: the build yields to the event loop between slices, so serving goes on while it runs. */
const BUILD_SLICE = 2_048;

/** What serving and /health/ready read of any built index. */
export interface BuiltIndex {
  readonly engine: 'usearch';
  readonly size: number;
  readonly buildMs: number;
  /** the index's memory, estimated: its vectors (float32) and base-layer links */
  readonly bytes: number;
}

export interface GraphOptions {
  /** insertion threads (1; 0 = every core); the first slice always one */
  threads?: number;
  connectivity?: number;
  expansionAdd?: number;
  /** checked between slices: a build for a model released meanwhile stops */
  signal?: AbortSignal;
  /** the key of each row (the model's item index); the row number when omitted */
  keys?: ArrayLike<number>;
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

/**
 * A graph over the `vectors.length / dims` rows of `vectors`, keyed by `keys` (by row, 0 … n − 1, by default), added in
 * slices with a yield between them. One insertion thread by default. With more (the worker's builds), the
 * first slice is still added by one: usearch's concurrent `add` into an empty graph built graphs of
 * Recall@20 0.835 instead of 1.000 in one of three builds of 3,000 skewed vectors (ann-index.spec.ts);
 * seeded this way, 1.000 in every build, and on the 10× rung's 176,320 items the same recall as one
 * thread in 54% of the time on 2 cores (docs/journal/2026-12-07-index-built-by-the-worker.md).
 */
export async function buildGraph(vectors: Float32Array, dims: number, metric: MetricKind, opts: GraphOptions = {}): Promise<Index> {
  const { threads = 1, connectivity = ANN_CONNECTIVITY, expansionAdd = ANN_EXPANSION_ADD, signal, keys: rowKeys } = opts;
  const n = vectors.length / dims;
  const index = newIndex(dims, metric, connectivity, expansionAdd);
  // usearch sizes its per-thread contexts only when an add grows the capacity (size + added ≥ capacity): a
  // concurrent add before one has grown it fails ("Reserve capacity ahead of insertions!"), so the first
  // concurrent slice is made long enough to grow it, and a graph too small for that stays on one thread.
  let concurrent = false;
  for (let start = 0; start < n;) {
    if (signal?.aborted) throw new Error('index build aborted: its model was released');
    let end = Math.min(n, start + BUILD_SLICE);
    if (start > 0 && threads !== 1 && !concurrent && n - start >= index.capacity() - index.size()) {
      end = Math.max(end, start + index.capacity() - index.size());
      concurrent = true;
    }
    const keys = new BigUint64Array(end - start);
    for (let r = start; r < end; r++) keys[r - start] = BigInt(rowKeys ? rowKeys[r] : r);
    index.add(keys, vectors.subarray(start * dims, end * dims), concurrent ? threads : 1);
    start = end;
    await yieldToLoop();
  }
  if (index.size() !== n) throw new Error(`an index holds ${index.size()} of ${n} items`);
  return index;
}

function newIndex(dims: number, metric: MetricKind, connectivity: number, expansionAdd: number): Index {
  return new Index({
    dimensions: dims,
    metric,
    connectivity,
    expansion_add: expansionAdd,
    expansion_search: ANN_EXPANSION_SEARCH,
  } as ConstructorParameters<typeof Index>[0]);
}

/**
 * A graph saved by `Index.save` (the worker's, index-files.ts), read into memory (not mapped: a
 * mapped file cut short under a running process kills it), checked to hold `size` vectors of `dims`.
 */
export function loadGraph(path: string, dims: number, metric: MetricKind, size: number, connectivity = ANN_CONNECTIVITY): Index {
  const index = newIndex(dims, metric, connectivity, ANN_EXPANSION_ADD);
  index.load(path);
  if (index.dimensions() !== dims || index.size() !== size)
    throw new Error(`${path} holds ${index.size()} vectors of ${index.dimensions()} dimensions, expected ${size} of ${dims}`);
  return index;
}

/** The estimated memory of a graph of n rows of `dims` floats: the vectors, the base layer's links and a key each. */
export function graphBytes(n: number, dims: number, connectivity = ANN_CONNECTIVITY): number {
  return n * (dims * 4 + 2 * connectivity * 4 + 4);
}
