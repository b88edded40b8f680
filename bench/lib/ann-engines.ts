/**
 * The ANN engines compared for candidate retrieval (bench/ann.ts, bench/scale.ts), each over the
 * same item embeddings and ranking by dot product: usearch and hnswlib-node in process, with the
 * inner-product metric or on MIPS-augmented vectors (src/model-registry/ann-index.ts), and Neo4j 5's
 * native vector index (cosine on the augmented vectors: all have norm M, so cosine orders by dot).
 */
import { readFileSync } from 'node:fs';
import { HierarchicalNSW } from 'hnswlib-node';
import neo4j, { Driver } from 'neo4j-driver';
import { Index, MetricKind } from 'usearch';
import {
  ANN_CONNECTIVITY,
  ANN_EXPANSION_ADD,
  ANN_EXPANSION_SEARCH,
  augmentForMips,
  buildAnnIndex,
} from '../../src/model-registry/ann-index';
import { topK } from '../../src/recommendations/scoring';

export interface Embeddings {
  name: string;
  dim: number;
  items: Float32Array;
  n: number;
  queries: Float32Array;
  nq: number;
}

/** An engine built over a set: search(q, k) → item indices. */
export interface BuiltEngine {
  search(q: Float32Array, k: number): Promise<Int32Array> | Int32Array;
  close?(): Promise<void>;
}

export function readNpy(path: string): { data: Float32Array; rows: number; cols: number } {
  const b = readFileSync(path);
  const hl = b.readUInt16LE(8);
  const header = b.subarray(10, 10 + hl).toString();
  const m = /\((\d+), (\d+)\)/.exec(header);
  if (!m || !header.includes("'<f4'")) throw new Error(`${path}: not a float32 2-d .npy`);
  const body = b.subarray(10 + hl);
  return { data: new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.length)), rows: +m[1], cols: +m[2] };
}

/** Seeded uniform PRNG in [0, 1) (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` item vectors like a trained model's at a larger catalogue: each a random real item's vector
 * plus Gaussian noise of `noise` × that coordinate's standard deviation (so the clusters the model
 * learned are kept, and no two items coincide).
 */
export function inflate(base: Float32Array, dim: number, n: number, seed: number, noise = 0.35): Float32Array {
  const rows = base.length / dim;
  const sd = new Float64Array(dim);
  const mean = new Float64Array(dim);
  for (let i = 0; i < rows; i++) for (let d = 0; d < dim; d++) mean[d] += base[i * dim + d] / rows;
  for (let i = 0; i < rows; i++) for (let d = 0; d < dim; d++) sd[d] += (base[i * dim + d] - mean[d]) ** 2 / rows;
  for (let d = 0; d < dim; d++) sd[d] = Math.sqrt(sd[d]);
  const r = prng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const src = i < rows ? i : Math.floor(r() * rows);
    for (let d = 0; d < dim; d++) out[i * dim + d] = base[src * dim + d] + (i < rows ? 0 : noise * sd[d] * gauss());
  }
  return out;
}

/** Exact top-k by dot product for each query (the reference). */
export function exactTop(e: Embeddings, q: number, k: number): number[] {
  const s = new Float64Array(e.n);
  const o = q * e.dim;
  for (let i = 0; i < e.n; i++) {
    let x = 0;
    for (let d = 0; d < e.dim; d++) x += e.queries[o + d] * e.items[i * e.dim + d];
    s[i] = x;
  }
  return topK(s, k);
}

/** The best `k` of `cand` re-scored exactly (what serving does with retrieved candidates). */
export function rescored(e: Embeddings, q: number, cand: ArrayLike<number>, k: number): number[] {
  const o = q * e.dim;
  const s = Array.from(cand, (i) => {
    let x = 0;
    for (let d = 0; d < e.dim; d++) x += e.queries[o + d] * e.items[i * e.dim + d];
    return [i, x] as const;
  });
  return s
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, k)
    .map(([i]) => i);
}

const keys = (n: number, from = 0) => BigUint64Array.from({ length: n }, (_, i) => BigInt(from + i));

/** usearch-ranged is serving's (src/model-registry/ann-index.ts); -aug: one augmented graph over every norm; -ip: the inner-product metric. */
export type EngineName = 'usearch-ranged' | 'usearch-aug' | 'usearch-ip' | 'hnswlib-aug' | 'hnswlib-ip' | 'neo4j-vector';
export const ENGINES: EngineName[] = ['usearch-ranged', 'usearch-aug', 'usearch-ip', 'hnswlib-aug', 'hnswlib-ip', 'neo4j-vector'];

export async function buildEngine(name: EngineName, e: Embeddings, driver?: Driver): Promise<BuiltEngine> {
  const { dim, n } = e;
  if (name === 'usearch-ranged') return buildAnnIndex(e.items, dim);
  if (name === 'usearch-ip' || name === 'usearch-aug') {
    const aug = name === 'usearch-aug';
    const metric = aug ? MetricKind.L2sq : MetricKind.IP;
    const cfg = { dimensions: aug ? dim + 1 : dim, metric, connectivity: ANN_CONNECTIVITY, expansion_add: ANN_EXPANSION_ADD };
    const index = new Index({ ...cfg, expansion_search: ANN_EXPANSION_SEARCH } as ConstructorParameters<typeof Index>[0]);
    index.add(keys(n), aug ? augmentForMips(e.items, dim) : e.items, 0);
    const qq = new Float32Array(cfg.dimensions);
    return {
      search: (q, k) => {
        qq.set(q.subarray(0, dim));
        return Int32Array.from(index.search(qq, Math.min(k, n), 1).keys, Number);
      },
    };
  }
  if (name === 'hnswlib-aug' || name === 'hnswlib-ip') {
    const aug = name === 'hnswlib-aug';
    const d = aug ? dim + 1 : dim;
    const data = aug ? augmentForMips(e.items, dim) : e.items;
    const index = new HierarchicalNSW(aug ? 'l2' : 'ip', d);
    index.initIndex(n, ANN_CONNECTIVITY, ANN_EXPANSION_ADD, 100);
    for (let i = 0; i < n; i++) index.addPoint(Array.from(data.subarray(i * d, (i + 1) * d)), i);
    return {
      search: (q, k) => {
        index.setEf(Math.max(ANN_EXPANSION_SEARCH, k));
        const qq = aug ? [...q.subarray(0, dim), 0] : Array.from(q.subarray(0, dim));
        const r = index.searchKnn(qq, Math.min(k, n));
        return Int32Array.from(r.neighbors);
      },
    };
  }
  if (!driver) throw new Error('neo4j-vector needs a driver');
  return buildNeo4jVector(driver, e);
}

/** Items as (:AnnBench {i, v}) with a cosine vector index over the augmented vectors; dropped by close(). */
async function buildNeo4jVector(driver: Driver, e: Embeddings): Promise<BuiltEngine> {
  const d = e.dim + 1;
  const aug = augmentForMips(e.items, e.dim);
  const clear = async () => {
    await driver.executeQuery('DROP INDEX annBench IF EXISTS');
    const session = driver.session(); // CALL … IN TRANSACTIONS needs an auto-commit transaction
    try {
      await session.run('MATCH (n:AnnBench) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
    } finally {
      await session.close();
    }
  };
  await clear();
  for (let start = 0; start < e.n; start += 5_000) {
    const rows = [];
    for (let i = start; i < Math.min(e.n, start + 5_000); i++) rows.push({ i, v: Array.from(aug.subarray(i * d, (i + 1) * d)) });
    await driver.executeQuery('UNWIND $rows AS r CREATE (:AnnBench {i: r.i, v: r.v})', { rows });
  }
  await driver.executeQuery(
    `CREATE VECTOR INDEX annBench IF NOT EXISTS FOR (n:AnnBench) ON n.v
     OPTIONS {indexConfig: {\`vector.dimensions\`: ${d}, \`vector.similarity_function\`: 'cosine'}}`,
  );
  await driver.executeQuery('CALL db.awaitIndex("annBench", 3600)');
  return {
    search: async (q, k) => {
      const { records } = await driver.executeQuery(
        'CALL db.index.vector.queryNodes("annBench", $k, $q) YIELD node RETURN node.i AS i',
        { k: neo4j.int(Math.min(k, e.n)), q: [...q.subarray(0, e.dim), 0] },
        { routing: 'READ' },
      );
      return Int32Array.from(records, (r) => Number(r.get('i')));
    },
    close: clear,
  };
}
