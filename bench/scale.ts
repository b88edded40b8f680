/**
 * The cost curve over the synthetic scale ladder (s × lastfm, src/ingestion/importer/synthetic-ladder.ts):
 *
 *   npm run build && npm run bench -- scale [--sizes 1,10] [--epochs 2] [--queries 200] [--reuse]
 *
 * Per size: generation seconds, import rate (interactions/s of `npm run import`), snapshot export
 * seconds (`npm run snapshot`), LightGCN training seconds per epoch on the CPU (a short run of
 * --epochs, no evaluation; an epoch is --train-steps steps (40) of training pairs / steps each,
 * since every step propagates over the whole graph) with the trainer's peak RSS, Neo4j's RSS after the import, and the serving
 * compute on that model: exact (the ONNX scorer over every item + top-20) against the ANN index
 * (built and saved as the worker's INDEX stage does, with the similar-items index: build seconds of each,
 * load seconds and RSS of both in a replica; search + exact re-score of 276 candidates), p50/p99, and ANN Recall@20
 * against exact top-20 over the same users. Then each cost's log-log slope against size, and one JSON line.
 * Data under var/ladder/x<s> (git-ignored), runs under var/scale/x<s>; Neo4j on bolt
 * BENCH_SCALE_BOLT_PORT (27693) / http BENCH_SCALE_HTTP_PORT (27480) with NEO4J_HEAP / NEO4J_PAGECACHE
 * from the environment (scripts/services.sh); BENCH_KEEP_NEO4J=1 leaves it running. Each rung is
 * imported under its own prefix (`s<s>-`), so a rerun skips finished imports (rate then not measured again).
 * --reuse: a rung whose trained run folder exists skips export and training (their figures null), and the index
 * builds when a previous run saved both indexes there (the build seconds are then that run's, from its manifest).
 * Then HTTP serving (bench/lib/scale-serving.ts): the model registered and promoted, two API processes
 * (exact, ANN) over the rung's graph at --http-rate requests/s (200), --http-rounds alternating warm rounds of
 * --http-duration seconds (3 of 20) and one cold round per arm (users never asked: every request a cache
 * miss); --http-rounds 0 skips it. Redis on BENCH_SCALE_REDIS_PORT (26393).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { emit } from './lib/report';
import { servingHttp } from './lib/scale-serving';
import { exportSnapshot, generate, importRung, neo4jPid, neo4jRssMiB, servingCompute, slope, train } from './lib/scale-steps';
import { BenchServices, ROOT } from './lib/services';

const log = (msg: string) => process.stderr.write(`[scale ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const BOLT = process.env.BENCH_SCALE_BOLT_PORT ?? '27693';
const HTTP = process.env.BENCH_SCALE_HTTP_PORT ?? '27480';
const URI = `bolt://127.0.0.1:${BOLT}`;
const REDIS_PORT = process.env.BENCH_SCALE_REDIS_PORT ?? '26393';

interface Rung {
  scale: number;
  counts: Record<string, number>;
  generate: ReturnType<typeof generate>;
  import: ReturnType<typeof importRung>;
  neo4jRssMiB: number | null;
  export: ReturnType<typeof exportSnapshot> | { seconds: null; peakMiB: null };
  train: Omit<ReturnType<typeof train>, 'checksums'> | { seconds: null; epochS: null; peakMiB: null; batchSize?: undefined };
  serving: Omit<Awaited<ReturnType<typeof servingCompute>>, 'indexChecksums'>;
  http: Awaited<ReturnType<typeof servingHttp>> | null;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '1,10' },
      epochs: { type: 'string', default: '2' },
      queries: { type: 'string', default: '200' },
      reuse: { type: 'boolean', default: false },
      'http-rate': { type: 'string', default: '200' },
      'http-rounds': { type: 'string', default: '3' },
      'http-duration': { type: 'string', default: '20' },
      'train-steps': { type: 'string', default: '40' },
    },
  });
  const sizes = values.sizes.split(',').map(Number);
  if (sizes.some((s) => !Number.isInteger(s) || s < 1 || s > 1000)) throw new Error('--sizes: integers 1..1000, comma-separated');
  const svc = new BenchServices(log, { keep: process.env.BENCH_KEEP_NEO4J === '1' });
  svc.start('neo4j', { NEO4J_BOLT_PORT: BOLT, NEO4J_HTTP_PORT: HTTP });
  const httpRounds = Number(values['http-rounds']);
  if (httpRounds > 0) svc.start('redis', { REDIS_PORT });

  const rungs: Rung[] = [];
  for (const s of sizes) {
    const folder = join(ROOT, 'var/ladder', `x${s}`);
    const work = join(ROOT, 'var/scale', `x${s}`);
    log(`${s}×: generating`);
    const gen = generate(folder, s);
    log(`${s}×: ${JSON.stringify(gen)}; importing`);
    const imp = importRung(folder, `s${s}-`, URI);
    const neo4jMiB = neo4jRssMiB(BOLT);
    log(`${s}×: import ${JSON.stringify(imp)}, Neo4j RSS ${neo4jMiB} MiB; exporting`);
    const reuse = values.reuse && existsSync(join(work, 'run', 'metrics.json'));
    const exp = reuse ? { seconds: null, peakMiB: null } : exportSnapshot(join(work, 'snapshot'), `s${s}-synthetic:`, URI);
    log(`${s}×: export ${JSON.stringify(exp)}; training`);
    const checksumsFile = join(work, 'checksums.json');
    let tr: Rung['train'] = { seconds: null, epochS: null, peakMiB: null };
    if (!reuse) {
      const batch = Math.ceil(gen.counts.train / Number(values['train-steps']));
      const { checksums, ...figures } = train(join(work, 'snapshot'), join(work, 'run'), Number(values.epochs), batch);
      writeFileSync(checksumsFile, JSON.stringify(checksums));
      tr = figures;
    }
    log(`${s}×: training ${JSON.stringify(tr)}; serving compute`);
    const { indexChecksums, ...serve } = await servingCompute(join(work, 'run'), Number(values.queries), reuse);
    log(`${s}×: serving ${JSON.stringify(serve)}`);
    const http =
      httpRounds > 0 && existsSync(checksumsFile)
        ? await servingHttp({
            runDir: join(work, 'run'),
            // the trainer's artefacts and the index files built as the worker builds them: the ANN API loads them
            checksums: { ...(JSON.parse(readFileSync(checksumsFile, 'utf8')) as Record<string, string>), ...indexChecksums },
            prefix: `s${s}-synthetic:`,
            work: join(work, 'http'),
            uri: URI,
            redisPort: REDIS_PORT,
            neo4jPid: neo4jPid(BOLT),
            rate: Number(values['http-rate']),
            rounds: httpRounds,
            durationS: Number(values['http-duration']),
            log,
          })
        : null;
    if (http) log(`${s}×: HTTP serving ${JSON.stringify(http)}`);
    rungs.push({
      scale: s,
      counts: gen.counts,
      generate: gen,
      import: imp,
      neo4jRssMiB: neo4jMiB,
      export: exp,
      train: tr,
      serving: serve,
      http,
    });
  }
  svc.stopAll();
  const by = (f: (r: Rung) => number | null | undefined, x: (r: Rung) => number) => slope(rungs.map((r) => [x(r), f(r)]));
  const edges = (r: Rung) => r.counts.interactions + r.counts.friendships;
  const items = (r: Rung) => r.counts.items;
  const slopes = {
    generateVsEdges: by((r) => r.generate.seconds, edges),
    importSecondsVsEdges: by((r) => r.import.seconds, edges),
    exportVsEdges: by((r) => r.export.seconds, edges),
    epochVsEdges: by((r) => r.train.epochS, edges),
    neo4jRssVsEdges: by((r) => r.neo4jRssMiB, edges),
    exactP50VsItems: by((r) => r.serving.exactP50Ms, items),
    annP50VsItems: by((r) => r.serving.annP50Ms, items),
    annP99VsItems: by((r) => r.serving.annP99Ms, items),
    annBuildVsItems: by((r) => r.serving.annBuildS, items),
    similarBuildVsItems: by((r) => r.serving.similarBuildS, items),
    indexLoadVsItems: by((r) => r.serving.indexLoadS, items),
    httpExactP99VsItems: by((r) => r.http?.exact.p99Ms, items),
    httpAnnP50VsItems: by((r) => r.http?.ann.p50Ms, items),
    httpAnnP99VsItems: by((r) => r.http?.ann.p99Ms, items),
    httpAnnColdP99VsItems: by((r) => r.http?.ann.cold?.p99Ms, items),
  };
  log(`log-log slopes: ${JSON.stringify(slopes)}`);
  emit('scale', {
    sizes,
    epochs: Number(values.epochs),
    rungs,
    slopes,
    loadAverage1m: +loadavg()[0].toFixed(2),
  });
}

main().catch((err: Error) => {
  log(err.stack ?? err.message);
  process.exit(1);
});
