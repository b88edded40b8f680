/**
 * `npm run bench -- chaos [--cases N] [--soak-minutes M] [--only fuzz,sigkill,neo4j,redis,soak]`
 *
 * The fault and fuzz suite (issue #21 item 6). Starts its own Neo4j (bolt 28687, http 28474) and
 * Redis (28379) and runs the API as a child process (src/main.ts, port 28400), then:
 *   fuzz     the property-based cases of test/fuzz.e2e-spec.ts, N per operation (default 100,000);
 *   sigkill  SIGKILL of the API during a stream of acknowledged ingestion writes, restart, count losses;
 *   neo4j    Neo4j stopped and restarted under mixed recommendation reads and ingestion writes;
 *   redis    Redis down at start-up and mid-run: recommendations keep serving, enqueue says UNAVAILABLE;
 *   corrupt  two trained versions; the trainer of a third run SIGKILLed (the run FAILS, the active one serves); the candidate's artefacts corrupted on disk: promotion refused, the active one serves;
 *   soak     M minutes (default 30) of 200 recommendation requests/s plus 50 ingestion requests/s.
 * Ends with one JSON line of figures. Every request goes to 127.0.0.1.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { BenchServices, ROOT } from './lib/services';
import { fuzzOperations, loadSchema } from '../test/support/fuzz/operations';
import { fuzzIds, fuzzOperation, FuzzFigures, HttpResult, postGraphql, seedKnownGraph } from '../test/support/fuzz/runner';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const CASES = Number(arg('cases', '100000'));
const SOAK_MIN = Number(arg('soak-minutes', '30'));
const ONLY = new Set(arg('only', 'fuzz,sigkill,neo4j,redis,corrupt,soak').split(','));
const BOLT = '28687';
const HTTP = '28474';
const REDIS = '28379';
const PORT = '28400';
const URL = `http://127.0.0.1:${PORT}`;
const ADMIN = 'chaos-admin-token';
const HEADERS = { authorization: `Bearer ${ADMIN}` };
const NEO4J_ENV = { NEO4J_BOLT_PORT: BOLT, NEO4J_HTTP_PORT: HTTP };
const PREFIX = `chaos-${Date.now().toString(36)}-`;

const log = (msg: string) => process.stderr.write(`[bench chaos ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const runDir = mkdtempSync(join(tmpdir(), 'tg-chaos-'));

/** The API as a child process, as production runs it (a ts-node transpile of src/main.ts). */
class Api {
  child?: ChildProcess;
  async start(timeoutMs = 120_000, extraEnv: Record<string, string> = {}): Promise<number> {
    const t0 = Date.now();
    this.child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT,
        HOST: '127.0.0.1',
        NEO4J_URI: `bolt://127.0.0.1:${BOLT}`,
        NEO4J_PASSWORD: '',
        REDIS_PORT: REDIS,
        REDIS_PREFIX: 'chaos',
        DATABASE_SQLITE_PATH: join(runDir, 'registry.sqlite'),
        TRAINER_RUNS_DIR: join(runDir, 'runs'),
        TRAINER_WORKER: 'false',
        RETRAIN_CRON: '',
        ADMIN_TOKEN: ADMIN,
        LOG_LEVEL: 'error',
        TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
        ...extraEnv,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    while (Date.now() - t0 < timeoutMs) {
      if (this.child.exitCode !== null) throw new Error(`the API exited with ${this.child.exitCode} during start-up`);
      try {
        const r = await fetch(`${URL}/health/live`, { signal: AbortSignal.timeout(1000) });
        if (r.status < 500) return (Date.now() - t0) / 1000;
      } catch {
        /* not listening yet */
      }
      await sleep(200);
    }
    throw new Error('the API did not start in time');
  }
  rssMb(): number {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.child!.pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  }
  kill(signal: NodeJS.Signals): Promise<void> {
    const c = this.child!;
    if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
    return new Promise((res) => {
      c.once('exit', () => res());
      c.kill(signal);
    });
  }
}

/** scripts/services.sh without blocking the event loop, so the load keeps running while Neo4j stops and starts. */
const servicesAsync = (cmd: 'start' | 'stop', what: 'neo4j' | 'redis', env: Record<string, string>) =>
  promisify(execFile)('bash', [join(ROOT, 'scripts/services.sh'), cmd, what], {
    cwd: ROOT,
    env: { ...process.env, NEO4J_PASSWORD: '', NEO4J_HEAP: '1g', ...env },
    timeout: 240_000,
  });

const ok = (r: HttpResult) => r.status < 500 && !!r.body && !r.body.errors?.length;
const errorCode = (r: HttpResult) => String(r.body?.errors?.[0]?.extensions?.code ?? (r.status >= 500 ? `HTTP ${r.status}` : 'none'));

async function tryPost(q: string, v: Record<string, unknown>): Promise<HttpResult | null> {
  try {
    return await postGraphql(URL, q, v, HEADERS, 10_000);
  } catch {
    return null;
  }
}

const REC = `query($u: ID!) { recommendations(userId: $u, first: 10) { edges { node { item { id } } } path } }`;
const INGEST = `mutation($e: [InteractionInput!]!) { recordInteractions(events: $e, createMissing: true) { events } }`;
const ENQUEUE = `mutation { startRetraining(model: LIGHTGCN, params: { epochs: 1 }) { id status } }`;

/** A stream of writes, each a unique (user, item) pair, remembering which were acknowledged. */
class Writer {
  acked: Array<[string, string]> = [];
  failed = 0;
  sent = 0;
  codes: Record<string, number> = {};
  private n = 0;
  constructor(private readonly tag: string) {}
  async once(): Promise<boolean> {
    const k = this.n++;
    const pair: [string, string] = [`${PREFIX}${this.tag}-u${k % 50}`, `${PREFIX}${this.tag}-i${k}`];
    this.sent++;
    const r = await tryPost(INGEST, { e: [{ userId: pair[0], itemId: pair[1], type: 'VIEW' }] });
    if (r && ok(r)) {
      this.acked.push(pair);
      return true;
    }
    this.failed++;
    const c = r ? errorCode(r) : 'transport';
    this.codes[c] = (this.codes[c] ?? 0) + 1;
    return false;
  }
}

async function lostOf(pairs: Array<[string, string]>): Promise<number> {
  const driver = neo4j.driver(`bolt://127.0.0.1:${BOLT}`);
  try {
    const { records } = await driver.executeQuery(
      `UNWIND $pairs AS p OPTIONAL MATCH (:User {id: p[0]})-[r:INTERACTED]->(:Item {id: p[1]}) WITH p, r WHERE r IS NULL RETURN count(p) AS lost`,
      { pairs },
    );
    return (records[0].get('lost') as { toNumber(): number }).toNumber();
  } finally {
    await driver.close();
  }
}

async function fuzz(): Promise<Record<string, unknown>> {
  const ids = fuzzIds(`${PREFIX}fz-`);
  await seedKnownGraph(URL, ids, HEADERS);
  const driver = neo4j.driver(`bolt://127.0.0.1:${BOLT}`);
  const per: FuzzFigures[] = [];
  try {
    for (const op of fuzzOperations(loadSchema(), ids)) {
      const f = await fuzzOperation(op, {
        url: URL,
        headers: HEADERS,
        cases: CASES,
        seed: 20261206,
        driver,
        ids,
        reseed: async () => {
          await driver.executeQuery(`MATCH (n) WHERE (n:User OR n:Item) AND n.id STARTS WITH $p DETACH DELETE n`, { p: ids.prefix });
          await seedKnownGraph(URL, ids, HEADERS);
        },
      });
      log(
        `fuzz ${op.name}: ${f.cases} cases in ${f.seconds}s, internal ${f.internal}, partial writes ${f.partialWrites}, unstable ${f.unstable}`,
      );
      for (const e of f.examples) log(`  ${e.problems.join('; ')} <- ${JSON.stringify(e.variables).slice(0, 300)}`);
      per.push(f);
    }
  } finally {
    await driver.close();
  }
  const sum = (k: keyof FuzzFigures) => per.reduce((s, f) => s + (f[k] as number), 0);
  return {
    casesPerOperation: CASES,
    operations: per.length,
    cases: sum('cases'),
    internal: sum('internal'),
    http5xx: sum('http5xx'),
    unstable: sum('unstable'),
    partialWrites: sum('partialWrites'),
    transport: sum('transport'),
    nonGraphql: sum('nonGraphql'),
    seconds: Math.round(sum('seconds')),
  };
}

async function sigkill(api: Api): Promise<Record<string, unknown>> {
  const w = new Writer('kill');
  let stop = false;
  const loops = [0, 1, 2, 3].map(async () => {
    while (!stop) await w.once();
  });
  await sleep(3000);
  const ackedBeforeKill = w.acked.length;
  await api.kill('SIGKILL');
  const killedAt = Date.now();
  await sleep(500);
  stop = true;
  await Promise.all(loops);
  const restart = await api.start();
  // The first acknowledged write after the restart ends the outage.
  while (!(await w.once())) await sleep(100);
  return {
    acknowledged: w.acked.length,
    ackedBeforeKill,
    acknowledgedLost: await lostOf(w.acked),
    requestsFailed: w.failed,
    restartSeconds: restart,
    recoverSeconds: (Date.now() - killedAt) / 1000,
  };
}

async function neo4jRestart(users: string[]): Promise<Record<string, unknown>> {
  const w = new Writer('neo');
  let reads = 0;
  let readsFailed = 0;
  const codes: Record<string, number> = {};
  let stop = false;
  let lastFailure = 0;
  const reader = async () => {
    while (!stop) {
      const r = await tryPost(REC, { u: users[reads++ % users.length] });
      if (!r || !ok(r)) {
        readsFailed++;
        lastFailure = Date.now();
        const c = r ? errorCode(r) : 'transport';
        codes[c] = (codes[c] ?? 0) + 1;
        await sleep(50);
      }
    }
  };
  const writer = async () => {
    while (!stop) {
      if (await w.once()) continue;
      lastFailure = Date.now();
      await sleep(50);
    }
  };
  const loops = [reader(), reader(), writer()];
  await sleep(2000);
  const t0 = Date.now();
  await servicesAsync('stop', 'neo4j', NEO4J_ENV);
  const stoppedAt = Date.now();
  await servicesAsync('start', 'neo4j', NEO4J_ENV);
  const startedAt = Date.now();
  // Recovered once 3 s pass without a failure.
  while (Date.now() - Math.max(lastFailure, startedAt) < 3000) await sleep(200);
  stop = true;
  await Promise.all(loops);
  return {
    reads,
    readsFailed,
    writes: w.sent,
    writesFailed: w.failed,
    readErrorCodes: codes,
    writeErrorCodes: w.codes,
    downSeconds: (startedAt - stoppedAt) / 1000,
    recoverSecondsAfterNeo4jUp: Math.max(0, (lastFailure - startedAt) / 1000),
    outageSeconds: (Math.max(lastFailure, stoppedAt) - t0) / 1000,
    acknowledgedLost: await lostOf(w.acked),
  };
}

async function redisDrills(svc: BenchServices, api: Api, users: string[]): Promise<Record<string, unknown>> {
  const recs = async (n: number) => {
    let failed = 0;
    for (let i = 0; i < n; i++) {
      const r = await tryPost(REC, { u: users[i % users.length] });
      if (!r || !ok(r)) failed++;
    }
    return failed;
  };
  const enqueueCode = async () => {
    const r = await tryPost(ENQUEUE, {});
    return r ? (ok(r) ? 'ok' : `${errorCode(r)} ${String(r.body?.errors?.[0]?.extensions?.reason ?? '')}`.trim()) : 'transport';
  };
  // Mid-run.
  svc.stop('redis', { REDIS_PORT: REDIS });
  const midFailed = await recs(100);
  const midEnqueue = await enqueueCode();
  svc.start('redis', { REDIS_PORT: REDIS });
  await sleep(2000);
  const midAfter = await enqueueCode();
  // At start-up.
  await api.kill('SIGTERM');
  svc.stop('redis', { REDIS_PORT: REDIS });
  let startupSeconds: number | string;
  try {
    startupSeconds = await api.start(60_000);
  } catch (err) {
    startupSeconds = `did not start: ${(err as Error).message}`;
  }
  const startFailed = api.child?.exitCode === null ? await recs(100) : 100;
  const startEnqueue = api.child?.exitCode === null ? await enqueueCode() : 'api down';
  svc.start('redis', { REDIS_PORT: REDIS });
  const t0 = Date.now();
  let recovered = 'no';
  while (Date.now() - t0 < 30_000) {
    if ((await enqueueCode()) === 'ok') {
      recovered = `${(Date.now() - t0) / 1000}`;
      break;
    }
    await sleep(500);
  }
  if (api.child?.exitCode !== null) await api.start();
  return {
    midRun: { recommendationsFailed: midFailed, of: 100, enqueueWhileDown: midEnqueue, enqueueAfterRestart: midAfter },
    atStartup: {
      apiStartSeconds: startupSeconds,
      recommendationsFailed: startFailed,
      of: 100,
      enqueueWhileDown: startEnqueue,
      enqueueRecoverSeconds: recovered,
    },
  };
}

const RUN = `query($id: ID!) { trainingRun(id: $id) { status modelVersionId failureReason } }`;

/** Starts a run and waits for it to end; its version id, or an error with the run's failure. */
async function train(model: string): Promise<string> {
  const r = await tryPost(`mutation($p: TrainingParamsInput) { startRetraining(model: ${model}, params: $p) { id } }`, {
    p: { epochs: 2, dim: 8, idPrefix: `${PREFIX}r-` },
  });
  if (!r || !ok(r)) throw new Error(`startRetraining: ${JSON.stringify(r?.body)}`);
  const id = (r.body!.data!.startRetraining as { id: string }).id;
  const t0 = Date.now();
  while (Date.now() - t0 < 240_000) {
    const s = await tryPost(RUN, { id });
    const run = s?.body?.data?.trainingRun as { status: string; modelVersionId: string; failureReason: string } | undefined;
    if (run?.status === 'SUCCEEDED') return run.modelVersionId;
    if (run && ['FAILED', 'CANCELLED'].includes(run.status)) throw new Error(`run ${id} ${run.status}: ${run.failureReason}`);
    await sleep(1000);
  }
  throw new Error(`run ${id} did not finish in 240 s`);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** The trainer processes of this benchmark's runs (their command lines name the run folder). */
function trainerPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
        return cmd.includes(runDir) && /python/.test(cmd);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** SIGKILL of the trainer mid-run: the run ends FAILED, the active version keeps serving. */
async function killTrainer(active: string, users: string[]): Promise<Record<string, unknown>> {
  const r = await tryPost(
    `mutation { startRetraining(model: LIGHTGCN, params: { epochs: 200, dim: 8, idPrefix: "${PREFIX}r-" }) { id } }`,
    {},
  );
  if (!r || !ok(r)) throw new Error(`startRetraining: ${JSON.stringify(r?.body)}`);
  const id = (r.body!.data!.startRetraining as { id: string }).id;
  let pids: number[] = [];
  const t0 = Date.now();
  while (!pids.length && Date.now() - t0 < 120_000) {
    await sleep(300);
    pids = trainerPids();
  }
  if (!pids.length) return { error: 'no trainer process seen' };
  await sleep(1000);
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  const killedAt = Date.now();
  let run: { status: string; failureReason: string } | undefined;
  while (Date.now() - killedAt < 60_000) {
    run = (await tryPost(RUN, { id }))?.body?.data?.trainingRun as typeof run;
    if (run && !['QUEUED', 'RUNNING'].includes(run.status)) break;
    await sleep(500);
  }
  let failed = 0;
  let servedBy = '';
  for (let i = 0; i < 50; i++) {
    const q = await tryPost(`query($u: ID!) { recommendations(userId: $u, first: 5) { modelVersionId } }`, { u: users[i % users.length] });
    if (!q || !ok(q)) failed++;
    else servedBy = String((q.body!.data!.recommendations as { modelVersionId: string }).modelVersionId);
  }
  return {
    runStatus: run?.status ?? 'unknown',
    failureReason: run?.failureReason?.slice(0, 120) ?? null,
    secondsToFailed: (Date.now() - killedAt) / 1000,
    activeStillServing: servedBy === active ? 'yes' : 'no',
    recommendationsFailed: failed,
    of: 50,
  };
}

async function corruptArtefact(api: Api, users: string[]): Promise<Record<string, unknown>> {
  await api.kill('SIGTERM');
  await api.start(120_000, { TRAINER_WORKER: 'true', TRAINING_AUTO_PROMOTE: 'false' });
  const active = await train('LIGHTGCN');
  const p1 = await tryPost(`mutation($id: ID!) { promoteModelVersion(id: $id) { id status } }`, { id: active });
  if (!p1 || !ok(p1)) throw new Error(`promoting ${active}: ${JSON.stringify(p1?.body)}`);
  const candidate = await train('LIGHTGCN');
  // The candidate's run folder is the newest; flip bytes in every artefact file of it.
  const runs = readdirSync(join(runDir, 'runs'))
    .map((d) => join(runDir, 'runs', d))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  const corrupted = filesUnder(runs[0]).filter((f) => /\.(onnx|npy)$/.test(f));
  for (const f of corrupted) {
    const buf = readFileSync(f);
    for (let i = 0; i < buf.length; i += 97) buf[i] ^= 0xff;
    writeFileSync(f, buf);
  }
  const promote = await tryPost(`mutation($id: ID!) { promoteModelVersion(id: $id) { id status } }`, { id: candidate });
  const am = await tryPost(`{ activeModel { id } }`, {});
  let failed = 0;
  let servedBy = '';
  for (let i = 0; i < 100; i++) {
    const r = await tryPost(`query($u: ID!) { recommendations(userId: $u, first: 5) { modelVersionId } }`, { u: users[i % users.length] });
    if (!r || !ok(r)) failed++;
    else servedBy = String((r.body!.data!.recommendations as { modelVersionId: string }).modelVersionId);
  }
  const trainerKill = await killTrainer(active, users);
  await api.kill('SIGTERM');
  await api.start();
  return {
    trainerKill,
    corruptedFiles: corrupted.length,
    promotion:
      promote && ok(promote)
        ? 'accepted (bad)'
        : promote
          ? `refused ${errorCode(promote)} ${String(promote.body?.errors?.[0]?.extensions?.reason ?? '')}`.trim()
          : 'transport',
    activeStillServing: (am?.body?.data?.activeModel as { id: string } | null)?.id === active && servedBy === active ? 'yes' : 'no',
    recommendationsFailed: failed,
    of: 100,
  };
}

/** Open-loop load: `rate` calls/s of `fn`, latencies in ms; a call that fails counts as an error. */
function openLoop(rate: number, ms: number, fn: (i: number) => Promise<boolean>): Promise<{ sent: number; errors: number; lat: number[] }> {
  const lat: number[] = [];
  let errors = 0;
  let sent = 0;
  const pending: Promise<void>[] = [];
  const t0 = Date.now();
  return new Promise((res) => {
    const tick = setInterval(() => {
      const due = Math.floor(((Date.now() - t0) / 1000) * rate);
      while (sent < due) {
        const i = sent++;
        const s = performance.now();
        pending.push(
          fn(i).then((good) => {
            lat.push(performance.now() - s);
            if (!good) errors++;
          }),
        );
      }
      if (Date.now() - t0 >= ms) {
        clearInterval(tick);
        void Promise.all(pending).then(() => res({ sent, errors, lat }));
      }
    }, 5);
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 10) / 10 : null;
};

async function soak(api: Api, users: string[]): Promise<Record<string, unknown>> {
  const ms = SOAK_MIN * 60_000;
  const rss: Array<[number, number]> = [];
  const t0 = Date.now();
  const sampler = setInterval(() => rss.push([(Date.now() - t0) / 60_000, api.rssMb()]), 5000);
  const w = new Writer('soak');
  const [rec, ing] = await Promise.all([
    openLoop(200, ms, async (i) => {
      const r = await tryPost(REC, { u: users[i % users.length] });
      return !!r && ok(r);
    }),
    openLoop(50, ms, () => w.once()),
  ]);
  clearInterval(sampler);
  // Least-squares slope of RSS over time, after the first minute (warm-up).
  const pts = rss.filter(([m]) => m >= Math.min(1, SOAK_MIN / 4));
  const mx = pts.reduce((s, [x]) => s + x, 0) / pts.length;
  const my = pts.reduce((s, [, y]) => s + y, 0) / pts.length;
  const slope = pts.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / pts.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return {
    minutes: SOAK_MIN,
    recommendations: {
      sent: rec.sent,
      errors: rec.errors,
      p50Ms: pct(rec.lat, 50),
      p99Ms: pct(rec.lat, 99),
      ratePerS: Math.round(rec.sent / (ms / 1000)),
    },
    ingestion: {
      sent: ing.sent,
      errors: ing.errors,
      p50Ms: pct(ing.lat, 50),
      p99Ms: pct(ing.lat, 99),
      ratePerS: Math.round(ing.sent / (ms / 1000)),
    },
    acknowledgedLost: await lostOf(w.acked),
    rssMb: {
      first: rss[0]?.[1] ?? null,
      last: rss.at(-1)?.[1] ?? null,
      max: Math.max(...rss.map(([, y]) => y)),
      samples: rss.length,
      slopeMbPerMin: Math.round(slope * 100) / 100,
    },
  };
}

async function main(): Promise<void> {
  const svc = new BenchServices(log);
  const api = new Api();
  process.once('exit', () => {
    api.child?.kill('SIGKILL');
    rmSync(runDir, { recursive: true, force: true });
  });
  svc.start('neo4j', { ...NEO4J_ENV, NEO4J_HEAP: '1g' });
  svc.start('redis', { REDIS_PORT: REDIS });
  log(`API start-up: ${await api.start()}s`);
  const figures: Record<string, unknown> = { bench: 'chaos', prefix: PREFIX };
  // Users with items, so recommendations take the real path.
  const users = Array.from({ length: 20 }, (_, i) => `${PREFIX}r-u${i}`);
  const seed = await tryPost(INGEST, {
    e: users.flatMap((u, i) => [0, 1, 2].map((k) => ({ userId: u, itemId: `${PREFIX}r-i${(i + k) % 30}`, type: 'VIEW' }))),
  });
  if (!seed || !ok(seed)) throw new Error(`seeding failed: ${JSON.stringify(seed?.body)}`);
  const drills: Array<[string, () => Promise<Record<string, unknown>>]> = [
    ['fuzz', fuzz],
    ['sigkill', () => sigkill(api)],
    ['neo4j', () => neo4jRestart(users)],
    ['redis', () => redisDrills(svc, api, users)],
    ['corrupt', () => corruptArtefact(api, users)],
    ['soak', () => soak(api, users)],
  ];
  for (const [name, fn] of drills) {
    if (!ONLY.has(name)) continue;
    log(`${name}: start`);
    try {
      figures[name] = await fn();
    } catch (err) {
      figures[name] = { error: (err as Error).message };
    }
    // The active model (here: serving at all) still answers after each drill.
    const after = await tryPost(REC, { u: users[0] });
    (figures[name] as Record<string, unknown>).servingAfter = after && ok(after) ? 'yes' : 'no';
    log(`${name}: ${JSON.stringify(figures[name])}`);
  }
  await api.kill('SIGTERM');
  svc.stopAll();
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((err: unknown) => {
  log(`failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
