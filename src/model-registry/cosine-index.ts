/**
 * similarItems' index: the model's item embeddings normalised to unit length in one usearch HNSW
 * graph (inner product on unit vectors = cosine), built, versioned, swapped and released with the
 * model like the recommendation index (ann-index.ts; docs/decisions/0035-similar-items-ann.md).
 * Only model items are in it: new items (tag vectors) are compared exactly by the caller.
 */
import { Index, MetricKind } from 'usearch';
import { BuiltIndex, buildGraph, graphBytes } from './hnsw-graph';

/**
 * Denser than the recommendation index's graph (16 / 128): item embeddings crowd by cosine, and at
 * 100,000 items the search for 1,024 held 0.979 of the exact top 20 with 16 / 128, 0.9935 with
 * 32 / 256 (and searched faster: 1.9 ms against 2.8), for 2.7× the build (docs/scale.md).
 */
export const COSINE_CONNECTIVITY = 32;
export const COSINE_EXPANSION_ADD = 256;

export interface CosineIndex extends BuiltIndex {
  readonly dim: number;
  /**
   * Model item indices about the `k` nearest to `dim` values of `vec` from `off` by cosine, nearest
   * first; every item once k ≥ size. A zero query has no direction: callers score it exactly.
   */
  search(vec: Float32Array, off: number, k: number): Int32Array;
  /** its graph (what the worker saves) */
  readonly graph: Index;
}

/** Rows of `emb` (n × dim) divided by their L2 norms (norms in float64); zero rows stay zero (cosine 0 to everything, as scoring.ts's). */
export function unitRows(emb: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(emb.length);
  for (let o = 0; o < emb.length; o += dim) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += emb[o + d] * emb[o + d];
    if (s === 0) continue;
    const inv = 1 / Math.sqrt(s);
    for (let d = 0; d < dim; d++) out[o + d] = emb[o + d] * inv;
  }
  return out;
}

/** Builds the cosine index over `emb` (n × dim). */
export async function buildCosineIndex(
  emb: Float32Array,
  dim: number,
  { threads = 1, signal }: { threads?: number; signal?: AbortSignal } = {},
): Promise<CosineIndex> {
  const t0 = performance.now();
  const n = emb.length / dim;
  if (!Number.isInteger(n) || n === 0) throw new Error(`item embeddings of length ${emb.length} are not a non-empty n × ${dim} matrix`);
  const index = await buildGraph(unitRows(emb, dim), dim, MetricKind.IP, {
    threads,
    signal,
    connectivity: COSINE_CONNECTIVITY,
    expansionAdd: COSINE_EXPANSION_ADD,
  });
  return cosineIndexOf(index, dim, Math.round(performance.now() - t0));
}

/** The index made of `graph` (built here, or loaded from the worker's file: index-files.ts) over items of `dim` values. */
export function cosineIndexOf(graph: Index, dim: number, buildMs: number): CosineIndex {
  const n = graph.size();
  const query = new Float32Array(dim);
  return {
    engine: 'usearch',
    size: n,
    dim,
    graph,
    bytes: graphBytes(n, dim, COSINE_CONNECTIVITY),
    buildMs,
    search(vec: Float32Array, off: number, k: number): Int32Array {
      query.set(unitRows(vec.subarray(off, off + dim), dim));
      const m = graph.search(query, Math.max(1, Math.min(k, n)), 1);
      return Int32Array.from(m.keys, Number);
    },
  };
}
