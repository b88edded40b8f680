/**
 * Replica freshness benchmark (`npm run bench -- replicas [--writes 100]`): two API processes on the
 * same Neo4j, Redis and SQL; each write goes through A (a LIKE of the user's first recommendation
 * as B serves it, so B holds the user's state), then B is read until the item is gone. Figures: the
 * milliseconds from A's answer to B's first answer that shows the write (p50/p99), the share of
 * writes whose first read on B already showed it (read-your-writes across replicas), A's write
 * latency. Then a training worker (a third process) trains a quick LightGCN started through A and
 * promotes it: per replica, the wall-clock milliseconds from the version's activatedAt in the
 * registry to that replica's first answer with it (promotionSwapToServedMs; one clock, one
 * machine), and the failed requests on A and B under a steady read load from the start of the run
 * until both serve it (promotionErrors of promotionRequests).
 * Then open-loop load (bench/lib/open-loop.ts) with the model served: 200 requests/s on A alone
 * next to 100 + 100 on A and B (the pair), alternated over --rounds rounds of --load-seconds each;
 * and 100 + 100 while A is SIGKILLed half way (errors on B, which must be 0, and on A).
 * Each process has its own run folder and artefact cache; the registry is a PostgreSQL database of
 * this run (no shared files). Runs on its own Neo4j (bolt 29687, http 29474), Redis (29379) and
 * PostgreSQL (29432) on a small seeded graph (test/support/model.ts's seedTasteGraph), all stopped
 * at the end. Ends with one JSON line (bench/lib/report.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { seedTasteGraph } from '../test/support/model';
import { AppProcess, spawnApp, stopApps } from '../test/support/processes';
import { openLoop, OpenLoopResult } from './lib/open-loop';
import { emit, median, percentile } from './lib/report';
import { BenchServices, dropPgDatabase } from './lib/services';

const BOLT = process.env.BENCH_REPLICAS_BOLT_PORT ?? '29687';
const HTTP = process.env.BENCH_REPLICAS_HTTP_PORT ?? '29474';
const REDIS_PORT = process.env.BENCH_REPLICAS_REDIS_PORT ?? '29379';
const URI = `bolt://127.0.0.1:${BOLT}`;
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const WRITES = Number(arg('--writes') ?? 100);
const LOAD_S = Number(arg('--load-seconds') ?? 20);
const ROUNDS = Number(arg('--rounds') ?? 2);
const PG_PORT = process.env.BENCH_REPLICAS_PG_PORT ?? '29432';
const PG_DATABASE = `bench_replicas_${Date.now().toString(36)}`;
const PREFIX = 'bench-replicas:';
const log = (msg: string) => process.stderr.write(`[bench replicas] ${msg}\n`);
const round = (x: number) => Math.round(x * 10) / 10;

async function firstIds(app: AppProcess, userId: string): Promise<string[]> {
  const res = await app.gql(`query($u: ID!) { recommendations(userId: $u, first: 10) { edges { node { item { id } } } } }`, { u: userId });
  if (res.errors) throw new Error(`${app.name}: ${JSON.stringify(res.errors[0])}`);
  return res.data.recommendations.edges.map((e: { node: { item: { id: string } } }) => e.node.item.id);
}

async function measure(a: AppProcess, b: AppProcess, users: string[]) {
  const lags: number[] = [];
  const writes: number[] = [];
  let firstRead = 0;
  for (let n = 0; n < WRITES; n++) {
    const user = users[n % users.length];
    const top = (await firstIds(b, user))[0];
    const w0 = performance.now();
    const res = await a.gql(`mutation($e: [InteractionInput!]!) { recordInteractions(events: $e) { __typename } }`, {
      e: [{ userId: user, itemId: top, type: 'LIKE' }],
    });
    const t0 = performance.now();
    if (res.errors) throw new Error(`write: ${JSON.stringify(res.errors[0])}`);
    writes.push(t0 - w0);
    let reads = 0;
    while ((await firstIds(b, user)).includes(top)) {
      reads++;
      if (performance.now() - t0 > 5_000) throw new Error(`B did not show the write of ${user} within 5 s`);
    }
    if (reads === 0) firstRead++;
    lags.push(performance.now() - t0);
  }
  return { lags, writes, firstRead };
}

const ADMIN = 'bench-replicas-admin';
const QUICK = { epochs: 10, evalEvery: 5, patience: 2, maxMinutes: 1, batchSize: 1024, dim: 16 };

async function servedVersion(app: AppProcess, userId: string): Promise<string | null> {
  const res = await app.gql(`query($u: ID!) { recommendations(userId: $u, first: 10) { modelVersionId } }`, { u: userId });
  if (res.errors) throw new Error(`${app.name}: ${JSON.stringify(res.errors[0])}`);
  return res.data.recommendations.modelVersionId;
}

/**
 * A quick training run through A, with a read load on every replica until all serve its version:
 * per replica, the wall-clock milliseconds from the version's activatedAt in the registry to that
 * replica's first answer with it; the requests and failures under the load.
 */
async function promotion(a: AppProcess, replicas: AppProcess[], users: string[]) {
  const auth = { authorization: `Bearer ${ADMIN}` };
  const before = new Map(await Promise.all(replicas.map(async (app) => [app.name, await servedVersion(app, users[0])] as const)));
  const firstServed = new Map<string, { version: string; at: number }>();
  let requests = 0;
  let errors = 0;
  let stop = false;
  const load = Promise.all(
    replicas.map(async (app, k) => {
      for (let n = 0; !stop; n++) {
        const res = await app
          .gql(`query($u: ID!) { recommendations(userId: $u, first: 10) { modelVersionId } }`, { u: users[(k * 7 + n) % users.length] })
          .catch((e: Error) => ({ errors: [e], data: undefined }));
        const at = Date.now();
        requests++;
        if (res.errors) errors++;
        const version = res.data?.recommendations?.modelVersionId;
        if (version && version !== before.get(app.name) && !firstServed.has(app.name)) firstServed.set(app.name, { version, at });
      }
    }),
  );
  try {
    const started = await a.gql(
      `mutation($p: TrainingParamsInput) { startRetraining(model: LIGHTGCN, params: $p) { id } }`,
      { p: { ...QUICK, idPrefix: PREFIX } },
      auth,
    );
    if (started.errors) throw new Error(`startRetraining: ${JSON.stringify(started.errors[0])}`);
    const id = started.data.startRetraining.id;
    const deadline = Date.now() + 180_000;
    let run: { status: string; promoted: boolean; modelVersionId: string | null; failureReason: string | null };
    for (;;) {
      const res = await a.gql(`query($id: ID!) { trainingRun(id: $id) { status promoted modelVersionId failureReason } }`, { id }, auth);
      if (res.errors) throw new Error(`trainingRun: ${JSON.stringify(res.errors[0])}`);
      run = res.data.trainingRun;
      if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status)) break;
      if (Date.now() > deadline) throw new Error(`run ${id} still ${run.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!run.promoted || !run.modelVersionId) throw new Error(`run ${id} ${run.status}, not promoted: ${run.failureReason}`);
    const served = Date.now() + 15_000;
    while (replicas.some((app) => !firstServed.has(app.name))) {
      if (Date.now() > served) throw new Error(`not every replica served ${run.modelVersionId} within 15 s of the run's end`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const versions = await a.gql(`query { modelVersions(first: 5) { edges { node { id activatedAt } } } }`, {}, auth);
    if (versions.errors) throw new Error(`modelVersions: ${JSON.stringify(versions.errors[0])}`);
    const activated = (versions.data.modelVersions.edges as Array<{ node: { id: string; activatedAt: string | null } }>)
      .map((e) => e.node)
      .find((v) => v.id === run.modelVersionId);
    if (!activated?.activatedAt) throw new Error(`version ${run.modelVersionId} has no activatedAt`);
    const activatedAt = Date.parse(activated.activatedAt);
    const swapToServedMs: Record<string, number> = {};
    for (const app of replicas) {
      const seen = firstServed.get(app.name)!;
      if (seen.version !== run.modelVersionId) throw new Error(`${app.name} first served ${seen.version}, not ${run.modelVersionId}`);
      swapToServedMs[app.name] = seen.at - activatedAt;
    }
    return { swapToServedMs, requests, errors };
  } finally {
    stop = true;
    await load;
  }
}

const LOAD_QUERY = `query($u: ID!) { recommendations(userId: $u, first: 10) { modelVersionId edges { node { id } } } }`;

/** One open-loop load per replica at `rate` each, run together; latencies merged. */
async function loadOn(apps: AppProcess[], rate: number, users: string[], during?: () => Promise<void>): Promise<OpenLoopResult[]> {
  const bodies = users.map((u) => JSON.stringify({ query: LOAD_QUERY, variables: { u } }));
  const loads = apps.map((app) => openLoop({ url: `${app.url}/graphql`, rate, durationS: LOAD_S, bodies }));
  await during?.();
  return Promise.all(loads);
}

const summary = (rs: OpenLoopResult[]) => {
  const lat = rs.flatMap((r) => r.latencies);
  return {
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    sent: rs.reduce((n, r) => n + r.sent, 0),
    errors: rs.reduce((n, r) => n + r.errors, 0),
  };
};

/** 200 requests/s on A alone, then 100 + 100 on A and B; alternated, medians over the rounds. */
async function singleVsPair(a: AppProcess, b: AppProcess, users: string[]) {
  const single: ReturnType<typeof summary>[] = [];
  const pair: ReturnType<typeof summary>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    single.push(summary(await loadOn([a], 200, users)));
    pair.push(summary(await loadOn([a, b], 100, users)));
  }
  const med = (xs: ReturnType<typeof summary>[]) => ({
    p50Ms: round(median(xs.map((x) => x.p50))),
    p99Ms: round(median(xs.map((x) => x.p99))),
    sent: xs.reduce((n, x) => n + x.sent, 0),
    errors: xs.reduce((n, x) => n + x.errors, 0),
  });
  return { ratePerS: 200, seconds: LOAD_S, rounds: ROUNDS, single: med(single), pair: med(pair) };
}

/** 100 + 100 requests/s on A and B; A gets SIGKILL half way. */
async function killUnderLoad(a: AppProcess, b: AppProcess, users: string[]) {
  const [onA, onB] = await loadOn([a, b], 100, users, async () => {
    await new Promise((r) => setTimeout(r, (LOAD_S * 1000) / 2));
    a.child.kill('SIGKILL');
  });
  return {
    ratePerSEach: 100,
    seconds: LOAD_S,
    survivor: { sent: onB.sent, errors: onB.errors, p99Ms: round(onB.p99) },
    killed: { sent: onA.sent, errors: onA.errors, note: 'requests to A after its SIGKILL; a load balancer sends these to B' },
  };
}

async function main(): Promise<void> {
  const svc = new BenchServices(log);
  svc.start('neo4j', { NEO4J_BOLT_PORT: BOLT, NEO4J_HTTP_PORT: HTTP });
  svc.start('redis', { REDIS_PORT });
  svc.start('postgres', { WITH_POSTGRES: '1', PG_PORT, PG_DATABASE });
  const root = mkdtempSync(join(tmpdir(), 'tg-bench-replicas-'));
  const driver = neo4j.driver(URI);
  let a: AppProcess | undefined;
  let b: AppProcess | undefined;
  let worker: AppProcess | undefined;
  try {
    await driver.executeQuery(`MATCH (n) WHERE n.id STARTS WITH $p DETACH DELETE n`, { p: PREFIX });
    const g = await seedTasteGraph(driver, PREFIX);
    const env = {
      NODE_ENV: 'test',
      NEO4J_URI: URI,
      NEO4J_PASSWORD: '',
      REDIS_PORT,
      REDIS_PREFIX: `bench-replicas-${Date.now()}`,
      ADMIN_TOKEN: ADMIN,
      DATABASE_URL: `postgres://postgres@127.0.0.1:${PG_PORT}/${PG_DATABASE}`,
      TRAINER_WORKER: 'false',
      TRAINING_ID_PREFIX: PREFIX,
      TRAINING_PROMOTE_MIN_RATIO: '0.0001',
      RETRAIN_CRON: '',
      RATE_LIMIT_ENABLED: 'false',
    };
    const own = (name: string) => ({ TRAINER_RUNS_DIR: join(root, name, 'runs'), ARTIFACT_CACHE_DIR: join(root, name, 'artifact-cache') });
    a = await spawnApp('a', { ...env, ...own('a') }, root);
    b = await spawnApp('b', { ...env, ...own('b') }, root);
    const users = g.genres.flatMap((genre) => g.users[genre]);
    log(`${WRITES} writes through A, each read through B until it shows`);
    const { lags, writes, firstRead } = await measure(a, b, users);
    worker = await spawnApp('worker', { ...env, ...own('worker'), TRAINER_WORKER: 'true' }, root);
    log('a quick LightGCN trained by the worker and promoted, under reads on A and B');
    const promoted = await promotion(a, [a, b], users);
    log(`open-loop load: 200 requests/s on A alone and on the pair, ${ROUNDS} rounds of ${LOAD_S} s`);
    const load = await singleVsPair(a, b, users);
    log(`100 + 100 requests/s while A gets SIGKILL after ${LOAD_S / 2} s`);
    const kill = await killUnderLoad(a, b, users);
    emit('replicas', {
      writes: WRITES,
      graph: 'seedTasteGraph (48 users, 36 items)',
      freshnessP50Ms: round(percentile(lags, 50)),
      freshnessP99Ms: round(percentile(lags, 99)),
      freshnessMaxMs: round(Math.max(...lags)),
      firstReadShowsWrite: firstRead / WRITES,
      writeP50Ms: round(percentile(writes, 50)),
      writeP99Ms: round(percentile(writes, 99)),
      promotionSwapToServedMs: promoted.swapToServedMs,
      promotionRequests: promoted.requests,
      promotionErrors: promoted.errors,
      load,
      sigkill: kill,
    });
  } finally {
    await stopApps([a, b, worker]);
    await driver.executeQuery(`MATCH (n) WHERE n.id STARTS WITH $p DETACH DELETE n`, { p: PREFIX }).catch(() => undefined);
    await driver.close();
    rmSync(root, { recursive: true, force: true });
    await dropPgDatabase(PG_PORT, PG_DATABASE).catch((err: Error) => log(`could not drop ${PG_DATABASE}: ${err.message}`));
    svc.stopAll();
  }
}

main().catch((err: Error) => {
  log(`failed: ${err.stack ?? err.message}`);
  process.exitCode = 1;
});
