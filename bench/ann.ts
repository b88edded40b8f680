/**
 * ANN engines for candidate retrieval, measured on the item embeddings of a trained model:
 *
 *   npm run bench -- ann --artifacts <run folder> [--sizes 17632,100000] [--engines usearch-aug,neo4j-vector]
 *                        [--queries 300] [--retrieve 276] [--similar-queries 200]
 *
 * For each catalogue size (the model's own items, or that many items inflated from them: each a real
 * item's vector plus noise, bench/lib/ann-engines.ts) and each engine: build seconds, the process's
 * RSS growth (in-process engines), query latency p50/p99 for `--retrieve` candidates (serving asks
 * BASE_DEPTH + the user's seen items), and Recall@20: the share of the exact top-20 (by dot product,
 * over the model's user vectors as queries) found in the top-20 of the retrieved candidates re-scored
 * exactly (what serving returns), and `rawRecall20`, the engine's own top-20 without re-scoring.
 * Neo4j (neo4j-vector) runs on its own instance: bolt BENCH_ANN_BOLT_PORT (27691), http
 * BENCH_ANN_HTTP_PORT (27478); BENCH_KEEP_NEO4J=1 leaves it running. At each size, similarItems
 * (`similar`, bench/lib/similar-bench.ts): the cosine index's build and memory, per-query latency of
 * comparing every item against the index (serving's code), Recall@20 of the index's answer against
 * the exact one, over `--similar-queries` items (0: skipped). Ends with one JSON line.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import neo4j, { Driver } from 'neo4j-driver';
import { buildEngine, EngineName, ENGINES, Embeddings, exactTop, inflate, readNpy, rescored } from './lib/ann-engines';
import { emit, percentile } from './lib/report';
import { BenchServices } from './lib/services';
import { measureSimilar } from './lib/similar-bench';

const log = (msg: string) => process.stderr.write(`[ann ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const BOLT = process.env.BENCH_ANN_BOLT_PORT ?? '27691';
const HTTP = process.env.BENCH_ANN_HTTP_PORT ?? '27478';

async function measure(name: EngineName, e: Embeddings, retrieve: number, driver?: Driver) {
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const engine = await buildEngine(name, e, driver);
  const buildS = (performance.now() - t0) / 1000;
  global.gc?.();
  const rssMiB = (process.memoryUsage().rss - rss0) / 2 ** 20;
  const lat: number[] = [];
  let hits = 0;
  let rawHits = 0;
  for (let q = 0; q < e.nq; q++) {
    const qv = e.queries.subarray(q * e.dim, (q + 1) * e.dim);
    const t = performance.now();
    const cand = await engine.search(qv, retrieve);
    lat.push(performance.now() - t);
    const exact = new Set(exactTop(e, q, 20));
    hits += rescored(e, q, cand, 20).filter((i) => exact.has(i)).length;
    rawHits += [...(await engine.search(qv, 20))].filter((i) => exact.has(i)).length;
  }
  await engine.close?.();
  return {
    engine: name,
    items: e.n,
    buildS: +buildS.toFixed(2),
    rssMiB: name === 'neo4j-vector' ? null : +rssMiB.toFixed(1),
    p50Ms: +percentile(lat, 50).toFixed(3),
    p99Ms: +percentile(lat, 99).toFixed(3),
    recall20: +(hits / (20 * e.nq)).toFixed(4),
    rawRecall20: +(rawHits / (20 * e.nq)).toFixed(4),
  };
}

/** Exact scoring's latency at this size: one pass of dot products and a top-k (JavaScript; ONNX is measured by bench/scale.ts). */
function exactLatency(e: Embeddings, k: number): { p50Ms: number; p99Ms: number } {
  const lat: number[] = [];
  for (let q = 0; q < Math.min(e.nq, 100); q++) {
    const t = performance.now();
    exactTop(e, q, k);
    lat.push(performance.now() - t);
  }
  return { p50Ms: +percentile(lat, 50).toFixed(3), p99Ms: +percentile(lat, 99).toFixed(3) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      artifacts: { type: 'string' },
      sizes: { type: 'string', default: '' },
      engines: { type: 'string', default: ENGINES.join(',') },
      queries: { type: 'string', default: '300' },
      retrieve: { type: 'string', default: '276' },
      'similar-queries': { type: 'string', default: '200' },
    },
  });
  if (!values.artifacts) throw new Error('--artifacts <run folder with item_embeddings.npy and user_embeddings.npy> is required');
  const items = readNpy(join(values.artifacts, 'item_embeddings.npy'));
  const users = readNpy(join(values.artifacts, 'user_embeddings.npy'));
  const nq = Math.min(users.rows, Number(values.queries));
  const engines = values.engines.split(',') as EngineName[];
  for (const n of engines) if (!ENGINES.includes(n)) throw new Error(`unknown engine ${n}; known: ${ENGINES.join(', ')}`);
  const sizes = values.sizes ? values.sizes.split(',').map(Number) : [items.rows];
  const retrieve = Number(values.retrieve);
  const similarQueries = Number(values['similar-queries']);

  let driver: Driver | undefined;
  if (engines.includes('neo4j-vector')) {
    const svc = new BenchServices(log, { keep: process.env.BENCH_KEEP_NEO4J === '1' });
    svc.start('neo4j', { NEO4J_BOLT_PORT: BOLT, NEO4J_HTTP_PORT: HTTP });
    driver = neo4j.driver(`bolt://127.0.0.1:${BOLT}`);
  }
  const results = [];
  const exact = [];
  const similar = [];
  for (const size of sizes) {
    const e: Embeddings = {
      name: size === items.rows ? 'model' : 'inflated',
      dim: items.cols,
      items: size === items.rows ? items.data : inflate(items.data, items.cols, size, 11),
      n: size,
      queries: users.data.subarray(0, nq * users.cols),
      nq,
    };
    exact.push({ items: size, ...exactLatency(e, 20) });
    log(`${size} items: exact top-20 p50 ${exact[exact.length - 1].p50Ms} ms`);
    for (const name of engines) {
      const r = await measure(name, e, retrieve, driver);
      log(JSON.stringify(r));
      results.push(r);
    }
    if (similarQueries > 0) {
      similar.push(await measureSimilar(e, Math.min(similarQueries, size)));
      log(`similarItems: ${JSON.stringify(similar[similar.length - 1])}`);
    }
  }
  await driver?.close();
  emit('ann', { artifacts: values.artifacts, dim: items.cols, queries: nq, retrieve, exact, results, similarQueries, similar });
}

main().catch((err: Error) => {
  log(err.stack ?? err.message);
  process.exit(1);
});
