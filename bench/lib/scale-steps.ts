/**
 * The steps bench/scale.ts times at each rung of the synthetic ladder, each through the command a
 * user runs (`npm run synthetic`, `npm run import`, `npm run snapshot`, the trainer), plus the
 * serving compute on the trained model: exact (ONNX scorer over every item + top-k) against the ANN
 * index (src/model-registry/ann-index.ts, built and saved as the worker does: index-files.ts) with the
 * exact re-score, and Recall@20 between them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadArtifacts, releaseArtifacts, sha256File } from '../../src/model-registry/artifacts';
import { INDEX_MANIFEST, readItemIndexes, readManifest, WrittenIndexes, writeItemIndexes } from '../../src/model-registry/index-files';
import { OnnxScorer } from '../../src/recommendations/onnx-scorer';
import { topK } from '../../src/recommendations/scoring';
import { processRssMiB } from './api-process';
import { percentile } from './report';
import { ROOT } from './services';

const secondsOf = (t0: number) => +((performance.now() - t0) / 1000).toFixed(2);

function run(cmd: string, args: string[], env: Record<string, string> = {}): { out: string; seconds: number; peakMiB: number } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'PEAK_KB %M', cmd, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
  });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${(r.stderr ?? '').slice(-2000)}`);
  const peak = /PEAK_KB (\d+)/.exec(r.stderr ?? '');
  return { out: r.stdout, seconds: secondsOf(t0), peakMiB: peak ? +(Number(peak[1]) / 1024).toFixed(0) : NaN };
}

const lastJson = (out: string) =>
  JSON.parse(
    out
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .pop() ?? '{}',
  ) as Record<string, any>;

export function generate(folder: string, scale: number) {
  if (existsSync(join(folder, 'synthetic.json'))) {
    const m = JSON.parse(readFileSync(join(folder, 'synthetic.json'), 'utf8')) as {
      params?: { scale?: number };
      counts: Record<string, number>;
    };
    if (m.params?.scale === scale) return { seconds: null, peakMiB: null, counts: m.counts, reused: true };
  }
  const r = run(process.execPath, ['dist/src/cli/synthetic.js', folder, '--scale', String(scale)]);
  return { seconds: r.seconds, peakMiB: r.peakMiB, counts: lastJson(r.out).counts as Record<string, number>, reused: false };
}

export function importRung(folder: string, prefix: string, uri: string) {
  // the synthetic format is parsed whole before it is written (8,079 MiB peak RSS at 100×: over Node's default heap limit)
  const r = run(process.execPath, ['--max-old-space-size=12288', 'dist/src/cli/import.js', folder, '--id-prefix', prefix, '--json'], {
    NEO4J_URI: uri,
    NEO4J_PASSWORD: '',
  });
  const j = lastJson(r.out);
  const inter = j.phases?.interactions;
  return {
    skipped: !!j.skipped,
    seconds: +(j.seconds ?? r.seconds).toFixed(1),
    interactionsPerS: inter?.seconds ? Math.round(inter.rows / inter.seconds) : null,
    rowsPerS: j.seconds ? Math.round(Object.values(j.phases ?? {}).reduce((n: number, p: any) => n + p.rows, 0) / j.seconds) : null,
    peakMiB: r.peakMiB,
  };
}

export function exportSnapshot(out: string, prefix: string, uri: string) {
  const r = run(process.execPath, ['dist/src/cli/snapshot.js', '--out', out, '--prefix', prefix], { NEO4J_URI: uri, NEO4J_PASSWORD: '' });
  return { seconds: r.seconds, peakMiB: r.peakMiB };
}

/**
 * A short LightGCN run on the CPU. `batchSize`: pairs per step; every step propagates over the whole
 * graph, so with a fixed batch an epoch's cost grows with edges x steps (quadratic in the graph) and the
 * bench passes a batch that keeps the steps per epoch fixed instead (--train-steps).
 */
export function train(snapshot: string, out: string, epochs: number, batchSize: number) {
  const python = join(ROOT, 'models/.venv/bin/python');
  const args = ['-m', 'tastegraph_trainer', 'train', '--model', 'lightgcn', '--snapshot', snapshot, '--out', out];
  // no friends' picks blend: choosing its weight ranks every validation user several times over every item
  // validation and test on 20,000 users at most: ranking every user over every item costs users x items (at the 100x
  // rung one pass over the validation users took more than 15 minutes); the 1x and 10x rungs have fewer users
  const flags = [
    '--epochs',
    String(epochs),
    '--batch-size',
    String(batchSize),
    '--eval-every',
    '1000',
    '--friends-beta',
    'off',
    '--eval-users',
    '20000',
  ];
  const r = run(python, [...args, ...flags, '--device', 'cpu', '--threads', '2', '--dim', '64'], { PYTHONPATH: join(ROOT, 'models') });
  const events = r.out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { event?: string; epoch_s?: number; name?: string; sha256?: string });
  const epochS = events.flatMap((e) => (e.event === 'epoch' && e.epoch_s !== undefined ? [e.epoch_s] : []));
  // the artefacts' checksums as the trainer reported them: the registry checks the files against these
  const checksums: Record<string, string> = {};
  for (const e of events) if (e.event === 'artifact' && e.name && e.sha256) checksums[e.name] = e.sha256;
  return {
    seconds: r.seconds,
    epochS: epochS.length ? +(epochS.reduce((a, b) => a + b, 0) / epochS.length).toFixed(2) : null,
    peakMiB: r.peakMiB,
    batchSize,
    checksums,
  };
}

/** The pid of the bench's Neo4j on this bolt port (its pid file), or null when it is not running. */
export function neo4jPid(boltPort: string): number | null {
  for (const f of ['run/neo4j.pid', 'neo4j.pid']) {
    const p = join(ROOT, '.neo4j', `run-${boltPort}`, f);
    const pid = existsSync(p) ? Number(readFileSync(p, 'utf8').trim()) : NaN;
    if (pid > 0 && processRssMiB(pid) !== null) return pid;
  }
  return null;
}

export function neo4jRssMiB(boltPort: string): number | null {
  const pid = neo4jPid(boltPort);
  return pid === null ? null : processRssMiB(pid);
}

/**
 * The worker's index step on the trained model (index-files.ts: both indexes built and saved beside the
 * artefacts, timed), the replica's load of them (timed), then exact and ANN serving compute over `queries`
 * of the model's users (spread evenly), and Recall@20 of ANN against exact. Returns the index files' sha256, which the HTTP
 * step registers with the artefacts so its ANN API loads them instead of building.
 */
export async function servingCompute(runDir: string, queries: number, reuseIndexes = false, retrieve = 276) {
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const model = await loadArtifacts(runDir);
  const rssModel = process.memoryUsage().rss;
  const written = reuseIndexes ? (savedIndexes(runDir) ?? (await writeItemIndexes(runDir, 0))) : await writeItemIndexes(runDir, 0);
  const indexChecksums: Record<string, string> = {};
  for (const name of written.files) indexChecksums[name] = await sha256File(join(runDir, name));
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let t0 = performance.now();
  const loaded = await readItemIndexes(runDir, model.itemEmb, model.dim);
  const loadS = secondsOf(t0);
  const rssIndex = process.memoryUsage().rss;
  const index = loaded?.ann;
  if (!index) throw new Error(`no ANN index was saved in ${runDir} (left out: ${written.leftOut.join(', ')})`);
  const onnx = new OnnxScorer();
  const dim = model.dim;
  const exactMs: number[] = [];
  const annMs: number[] = [];
  let hits = 0;
  const nq = Math.min(queries, model.users.length);
  for (let q = 0; q < nq; q++) {
    const user = Math.floor((q * model.users.length) / nq); // spread over the set, not its first users
    const u = model.userEmb.slice(user * dim, (user + 1) * dim);
    t0 = performance.now();
    const exact = topK(await onnx.score(model, u), 20);
    exactMs.push(performance.now() - t0);
    t0 = performance.now();
    const cand = index.search(u, retrieve);
    const scores = Float64Array.from(cand, (i) => {
      let s = 0;
      for (let d = 0; d < dim; d++) s += u[d] * model.itemEmb[i * dim + d];
      return s;
    });
    const top = topK(scores, 20).map((k) => cand[k]);
    annMs.push(performance.now() - t0);
    const want = new Set(exact);
    hits += top.filter((i) => want.has(i)).length;
  }
  await releaseArtifacts(model);
  const ms = (xs: number[], p: number) => +percentile(xs, p).toFixed(3);
  const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
  return {
    items: model.items.length,
    users: model.users.length,
    exactP50Ms: ms(exactMs, 50),
    exactP99Ms: ms(exactMs, 99),
    annP50Ms: ms(annMs, 50),
    annP99Ms: ms(annMs, 99),
    annRecall20: +(hits / (20 * nq)).toFixed(4),
    /** the worker's builds (INDEX stage) and a replica's load of both */
    annBuildS: +(written.annBuildMs! / 1000).toFixed(2),
    similarBuildS: +(written.similarBuildMs! / 1000).toFixed(2),
    indexLoadS: loadS,
    indexFileMiB: mib(written.files.reduce((n, f) => n + statSync(join(runDir, f)).size, 0)),
    indexLeftOut: written.leftOut,
    modelRssMiB: mib(rssModel - rss0),
    indexRssMiB: mib(rssIndex - rssBefore),
    processRssMiB: mib(process.memoryUsage().rss),
    indexChecksums,
  };
}

/**
 * The indexes a previous run of this step saved in `runDir` (its manifest names them and their build
 * times), or null when there are none: `--reuse` then skips the builds (69 minutes at 100× on 2 cores).
 */
function savedIndexes(runDir: string): WrittenIndexes | null {
  const m = readManifest(runDir);
  if (!m?.ann || !m.similar) return null;
  return {
    files: [INDEX_MANIFEST, ...m.ann.graphs.map((g) => g.file), m.similar.file],
    items: m.items,
    annBuildMs: m.ann.buildMs,
    similarBuildMs: m.similar.buildMs,
    leftOut: [],
  };
}

/** Log-log slope of cost against size between the first and the last rung that have both. */
export function slope(points: Array<[number, number | null | undefined]>): number | null {
  const ok = points.filter((p): p is [number, number] => typeof p[1] === 'number' && p[1] > 0);
  if (ok.length < 2) return null;
  const [a, b] = [ok[0], ok[ok.length - 1]];
  return +(Math.log(b[1] / a[1]) / Math.log(b[0] / a[0])).toFixed(3);
}
