/**
 * Serving benchmark (`npm run bench -- serving [--quick]`): the `recommendations` query over HTTP
 * against the real app, with Neo4j on this machine holding the lastfm graph.
 *
 * - Its own Neo4j instance: bolt 27689 / http 27476 (BENCH_SERVING_BOLT_PORT / _HTTP_PORT override;
 *   not 27687, which the ingestion benchmark wipes, nor 27688, the sampling benchmark's), its own Redis
 *   on 26389 (BENCH_SERVING_REDIS_PORT).
 * - lastfm is imported with the dataset importer when missing; a quick SocialGCN model is trained
 *   on it (snapshot → real trainer → register → promote) unless the bench's own registry
 *   (var/bench-serving.sqlite) already has an active version whose artefacts still exist
 *   (var/bench-serving-models/). The Neo4j instance is stopped at the end (BENCH_KEEP_NEO4J=1 keeps it).
 * - Load at 50, 200 and 500 requests/s, without and with `explain`, cycling over 400 random lastfm
 *   users, from worker threads (load generation does not share the app's event loop): p50, p99,
 *   errors (HTTP errors, timeouts and GraphQL errors). Two generators: an open-loop one at a fixed
 *   arrival rate (bench/lib/open-loop-worker.js: 8 keep-alive node:http connections, latency from
 *   each request's due time; the targets are read from it) and autocannon with `overallRate` (32 connections; a
 *   per-second quota per connection, so bursts of up to 32 requests at each second: for comparison).
 * - Where the time goes: (1) sequential requests with the service's per-stage timers (ServingProfile),
 *   medians, cold (every user's cached state dropped first: a Neo4j round trip, fold-in and scoring
 *   per request, as right after the user's own write) and warm (cached); the HTTP + GraphQL share
 *   is the client p50 minus the service's total p50; (2) a V8 CPU profile of the app's thread during
 *   an extra 200 requests/s run: the share of wall time per layer (HTTP, GraphQL, Nest, Neo4j driver,
 *   ONNX, serving code, GC, idle). The load runs report stage medians and cache counters too.
 * - Freshness: a user records new interactions through `recordInteractions`; the time from sending
 *   the mutation to the first `recommendations` answer that differs (no retraining).
 * Ends with one JSON line (bench/lib/report.ts).
 */
import './lib/production-env';
import { existsSync, mkdirSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/config.schema';
import { ModelStore } from '../src/model-registry/model-store';
import { ServingProfile } from '../src/recommendations/serving-profile';
import { UserStateService } from '../src/recommendations/user-state.service';
import { trainAndRegister } from '../test/support/model';
import { CpuProfiler } from './lib/cpu-profile';
import { StallMonitor } from './lib/stall-monitor';
import { emit, median, percentile } from './lib/report';
import { openLoop } from './lib/open-loop';
import { BenchServices, ensureLastfm, ROOT } from './lib/services';
import { activeUserIds } from './lib/api-process';

// autocannon ships no types
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>, cb: (err: Error | null, res: CannonResult) => void) => void;

const BOLT = process.env.BENCH_SERVING_BOLT_PORT ?? '27689';
const HTTP = process.env.BENCH_SERVING_HTTP_PORT ?? '27476';
const REDIS_PORT = process.env.BENCH_SERVING_REDIS_PORT ?? '26389';
const URI = `bolt://127.0.0.1:${BOLT}`;
const QUICK = process.argv.includes('--quick');
const DURATION_S = QUICK ? 5 : 15;
/** `--rates 200` (comma-separated) and `--plain` (no explain runs) narrow the load runs, for A/B checks. */
const argAfter = (flag: string) => (process.argv.includes(flag) ? process.argv[process.argv.indexOf(flag) + 1] : undefined);
const RATES = (argAfter('--rates') ?? '50,200,500').split(',').map(Number);
const EXPLAIN_RUNS = process.argv.includes('--plain') ? [false] : [false, true];
/**
 * Keep-alive connections of the open-loop generator (as wrk2's -c, or a reverse proxy's upstream
 * pool): requests due while all are busy wait for one, their latency still counted from the due
 * time. Measured here: at 200 requests/s, 8 connections p50 5.4 ms / p99 150 ms, 32 connections
 * p50 54 ms / p99 1.0 s, 256 connections throughput fell to 147/s (load average about 6).
 */
const OPEN_LOOP_CONNECTIONS = Number(process.env.BENCH_SERVING_CONNECTIONS ?? 8);
const PREFIX = 'lastfm:';

const log = (msg: string) => process.stderr.write(`[bench serving] ${msg}\n`);

interface CannonResult {
  latency: { p50: number; p99: number; mean: number; max: number };
  requests: { total: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** autocannon in one worker thread (its own workers mode), so load generation does not share the app's event loop. */
function cannon(opts: Record<string, unknown>): Promise<CannonResult> {
  return new Promise((ok, fail) => {
    autocannon({ ...opts, workers: 1 }, (err: Error | null, res: CannonResult) => (err ? fail(err) : ok(res)));
  });
}

const REC_QUERY = (explain: boolean) =>
  `query($u: ID!) { recommendations(userId: $u, first: 20, explain: ${explain}) { path edges { node { id item { id title } score rank isNew${
    explain ? ' explanation { sentence friends { user { id name } } basedOn { item { id title } similarity } }' : ''
  } } } } }`;

async function main(): Promise<void> {
  // Leave nothing running, also after a failure or Ctrl-C (BENCH_KEEP_NEO4J=1 keeps the instance for the next run).
  const svc = new BenchServices(log, { keep: process.env.BENCH_KEEP_NEO4J === '1' });
  svc.start('neo4j', { NEO4J_BOLT_PORT: BOLT, NEO4J_HTTP_PORT: HTTP });
  svc.start('redis', { REDIS_PORT });
  const driver = neo4j.driver(URI);
  await ensureLastfm(driver, URI, log);

  mkdirSync(join(ROOT, 'var'), { recursive: true });
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    NEO4J_URI: URI,
    NEO4J_PASSWORD: '',
    REDIS_PORT,
    REDIS_PREFIX: 'tgbench-serving',
    DATABASE_SQLITE_PATH: 'var/bench-serving.sqlite',
    TRAINER_WORKER: 'false',
    RETRAIN_CRON: '',
    TRAINING_ID_PREFIX: PREFIX,
    API_KEYS: '',
    // one client sends the whole load: the per-client limits (600 reads a minute) would refuse most of it
    RATE_LIMIT_ENABLED: 'false',
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  // Idle keep-alive sockets outlive the training pause on the client side: keep the server's longer.
  (app.getHttpServer() as { keepAliveTimeout: number }).keepAliveTimeout = 120_000;
  const gql = async (query: string, variables: Record<string, unknown>, retry = true): Promise<{ data?: any; errors?: any[] }> => {
    try {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as { data?: any; errors?: any[] };
    } catch (err) {
      // a socket closed under a reused keep-alive connection: once more on a fresh one
      if (!retry) throw new Error(`${(err as Error).message}: ${String((err as { cause?: unknown }).cause)}`, { cause: err });
      log(`request failed (${String((err as { cause?: unknown }).cause ?? err)}), retrying once`);
      return gql(query, variables, false);
    }
  };

  const freshUsers: string[] = [];
  try {
    const store = app.get(ModelStore);
    let model = store.active();
    if (!model || !existsSync(model.version.artifactDir)) {
      log('no usable model in var/bench-serving.sqlite: training a quick SocialGCN on lastfm (CPU)');
      const t = await trainAndRegister(app, {
        idPrefix: PREFIX,
        kind: 'SOCIALGCN',
        epochs: QUICK ? 5 : 20,
        dim: 64,
        extraArgs: ['--eval-every', '5', '--max-minutes', '4'],
        timeoutMs: 600_000,
        workDir: join(ROOT, 'var', 'bench-serving-models'),
      });
      log(`trained ${t.version.id} in ${(t.trainMs / 1000).toFixed(1)} s`);
      model = store.active();
    }
    const version = model!.version;
    log(
      `serving ${version.kind} ${version.id} (${model!.model.items.length} items, ${model!.model.users.length} users, dim ${model!.model.dim})`,
    );

    const users = await activeUserIds(driver, PREFIX);
    const profile = app.get(ServingProfile);
    const userState = app.get(UserStateService);

    // Warm-up (JIT, connection pool, catalogue cache) and a correctness pass over every bench user.
    for (const explain of [false, true]) {
      let gqlErrors = 0;
      for (const u of explain ? users.slice(0, 100) : users) if ((await gql(REC_QUERY(explain), { u })).errors) gqlErrors++;
      if (gqlErrors) throw new Error(`${gqlErrors} GraphQL errors in the warm-up (explain ${explain})`);
    }

    // The machine's floor: a trivial Cypher round trip through the same kind of driver.
    const ping: number[] = [];
    const session = driver.session();
    try {
      for (let i = 0; i < 200; i++) {
        const t0 = performance.now();
        await session.run('RETURN 1');
        ping.push(performance.now() - t0);
      }
    } finally {
      await session.close();
    }
    const neo4jPingP50 = +median(ping).toFixed(2);
    const loadBefore = loadavg()[0];
    log(`Neo4j RETURN 1 p50 ${neo4jPingP50} ms; load average ${loadBefore.toFixed(2)} (1 min)`);

    // Where the time goes: sequential requests (no queueing), stage timers inside the service, and
    // the client's latency; HTTP + GraphQL (parsing, validation, complexity, pipes, serialisation)
    // is the client median minus the service's median.
    // Cold: every user's cached state dropped before the pass (what a request costs right after the
    // user's own write); warm: the same users again, from the cache.
    const profiles: Record<string, unknown> = {};
    for (const [name, explain, cold] of [
      ['cold', false, true],
      ['plain', false, false],
      ['explainCold', true, true],
      ['explain', true, false],
    ] as const) {
      if (cold) userState.clear();
      profile.reset();
      const client: number[] = [];
      for (const u of users.slice(0, QUICK ? 100 : 300)) {
        const t0 = performance.now();
        await gql(REC_QUERY(explain), { u });
        client.push(performance.now() - t0);
      }
      const stages = Object.fromEntries(Object.entries(profile.summary()).map(([k, v]) => [k, v.p50]));
      const clientP50 = +median(client).toFixed(3);
      profiles[name] = {
        clientP50,
        clientP99: +percentile(client, 99).toFixed(3),
        stageP50ms: stages,
        httpGraphqlP50ms: +(clientP50 - (stages.total ?? 0)).toFixed(3),
        counters: profile.counters(),
      };
      log(`sequential ${name}: client p50 ${clientP50} ms; stages p50 ${JSON.stringify(stages)}; ${JSON.stringify(profile.counters())}`);
    }

    // Two load generators per (rate, explain): the open-loop one (fixed arrival rate: one request
    // every 1/rate s, latency from its due time) is the one the targets are read from; autocannon's
    // overallRate is a per-second quota per connection, so each second starts with a burst of up to
    // 32 simultaneous requests (latency then measures that queue): kept for comparison.
    // The cold passes dropped the cache: warm every bench user again (with explain: their friends' states too).
    for (const u of users) await gql(REC_QUERY(true), { u });
    // A run past the app's capacity leaves requests queued in it after the generator gave up on
    // them: wait until single requests are quick again before the next run (at most 60 s).
    const settle = async (): Promise<number> => {
      const t0 = performance.now();
      let quick = 0;
      for (let n = 0; quick < 3 && performance.now() - t0 < 60_000; n++) {
        const t = performance.now();
        await gql(REC_QUERY(false), { u: users[n % users.length] });
        quick = performance.now() - t < 50 ? quick + 1 : 0;
      }
      return Math.round(performance.now() - t0);
    };
    const runs: Record<string, unknown>[] = [];
    const burstRuns: Record<string, unknown>[] = [];
    const bodies = (explain: boolean) => users.map((u) => JSON.stringify({ query: REC_QUERY(explain), variables: { u } }));
    for (const explain of EXPLAIN_RUNS) {
      for (const rate of RATES) {
        const settledMs = await settle();
        profile.reset();
        const loadBefore = +loadavg()[0].toFixed(2);
        const stalls = new StallMonitor();
        const res = await openLoop({
          url: `${url}/graphql`,
          rate,
          durationS: DURATION_S,
          bodies: bodies(explain),
          connections: OPEN_LOOP_CONNECTIONS,
        });
        const appThread = stalls.stop();
        const stageP50 = Object.fromEntries(Object.entries(profile.summary()).map(([k, v]) => [k, v.p50]));
        const row = {
          rate,
          explain,
          connections: OPEN_LOOP_CONNECTIONS,
          ...res,
          loadAverage1m: loadBefore,
          settledMs,
          serviceStageP50ms: stageP50,
          counters: profile.counters(),
          appThread,
        };
        runs.push(row);
        log(
          `open-loop ${rate} req/s explain=${explain}: p50 ${row.p50} ms, p90 ${row.p90} ms, p99 ${row.p99} ms, errors ${row.errors}, ${row.completed} answered (load ${loadBefore}); stages p50 ${JSON.stringify(stageP50)}; app thread ${JSON.stringify(appThread)}`,
        );

        await settle();
        profile.reset();
        const requests = bodies(explain).map((body) => ({
          method: 'POST',
          path: '/graphql',
          headers: { 'content-type': 'application/json' },
          body,
        }));
        const c = await cannon({ url, connections: 32, overallRate: rate, duration: DURATION_S, requests });
        const served = profile.summary().total?.count ?? 0;
        const burst = {
          rate,
          explain,
          requests: c.requests.total,
          achievedRps: +(c.requests.total / DURATION_S).toFixed(1),
          p50: c.latency.p50,
          p99: c.latency.p99,
          max: c.latency.max,
          errors: c.errors + c.timeouts + c.non2xx + Math.max(0, c.requests.total - served),
        };
        burstRuns.push(burst);
        log(
          `autocannon ${rate} req/s explain=${explain}: p50 ${burst.p50} ms, p99 ${burst.p99} ms, errors ${burst.errors}, ${burst.requests} requests`,
        );
      }
    }

    // Where the app's thread spends its time at 200 requests/s (an extra run: the profiler's sampling costs a little).
    await settle();
    const cpu = new CpuProfiler();
    await cpu.start();
    const profiled = await openLoop({
      url: `${url}/graphql`,
      rate: 200,
      durationS: DURATION_S,
      bodies: bodies(false),
      connections: OPEN_LOOP_CONNECTIONS,
    });
    const cpuProfile = { rate: 200, explain: false, p50: profiled.p50, p99: profiled.p99, ...(await cpu.stop()) };
    log(`CPU profile at 200 req/s (share of the app thread's wall time, %): ${JSON.stringify(cpuProfile.percent)}`);
    for (const f of cpuProfile.top.slice(0, 8)) log(`  ${f.percent.toFixed(1).padStart(5)} % ${f.layer.padEnd(12)} ${f.fn}`);

    // Freshness: new interactions → changed recommendations, without retraining.
    const items = (
      await driver.executeQuery(
        'MATCH (i:Item) WHERE i.id STARTS WITH $p AND EXISTS { (i)<-[:INTERACTED]-() } RETURN i.id AS id ORDER BY rand() LIMIT 400',
        { p: PREFIX },
      )
    ).records.map((r) => r.get('id') as string);
    const trials = QUICK ? 10 : 30;
    const latencies: number[] = [];
    let changed = 0;
    // An answer, as the ids of the top 20 with their scores: the fold-in vector moves every score.
    const top = async (u: string) => {
      const r = await gql(REC_QUERY(false), { u });
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return (r.data.recommendations.edges as Array<{ node: { item: { id: string }; score: number } }>).map(
        (e) => `${e.node.item.id}=${e.node.score}`,
      );
    };
    for (let k = 0; k < trials; k++) {
      const u = `bench:fresh-${process.pid}-${k}`;
      freshUsers.push(u);
      const mine = items.slice((k * 8) % 392, ((k * 8) % 392) + 4);
      const later = items.slice((k * 8 + 200) % 392, ((k * 8 + 200) % 392) + 4);
      await gql(`mutation($u: [UserInput!]!) { upsertUsers(users: $u) { id } }`, { u: [{ id: u }] });
      const events = (ids: string[]) => ids.map((itemId) => ({ userId: u, itemId, type: 'PLAY' }));
      await gql(`mutation($e: [InteractionInput!]!) { recordInteractions(events: $e) { events } }`, { e: events(mine) });
      const before = (await top(u)).filter((i) => !later.includes(i.slice(0, i.lastIndexOf('='))));
      const t0 = performance.now();
      await gql(`mutation($e: [InteractionInput!]!) { recordInteractions(events: $e) { events } }`, { e: events(later) });
      // Changed = more than the new items dropping out of the list (they are seen now): other items' scores or order moved.
      const same = (a: string[]) => a.slice(0, before.length).join() === before.join();
      let after = await top(u);
      while (same(after) && performance.now() - t0 < 2_000) after = await top(u);
      const ms = performance.now() - t0;
      if (!same(after)) {
        changed++;
        latencies.push(ms);
      }
    }
    const freshness = {
      trials,
      changed,
      p50: +median(latencies).toFixed(2),
      p99: +percentile(latencies, 99).toFixed(2),
      max: +Math.max(...latencies).toFixed(2),
    };
    log(`freshness: ${changed}/${trials} changed; event → changed recommendations p50 ${freshness.p50} ms, max ${freshness.max} ms`);

    const at200 = runs.find((r) => r.rate === 200 && r.explain === false) as { p99: number };
    const burstAt200 = burstRuns.find((r) => r.rate === 200 && r.explain === false) as { p99: number };
    emit('serving', {
      model: {
        kind: version.kind,
        id: version.id,
        items: model!.model.items.length,
        users: model!.model.users.length,
        dim: model!.model.dim,
      },
      durationS: DURATION_S,
      neo4jPingP50Ms: neo4jPingP50,
      loadAverage1m: { before: +loadBefore.toFixed(2), after: +loadavg()[0].toFixed(2) },
      sequentialProfile: profiles,
      cpuProfile,
      runs,
      autocannonRuns: burstRuns,
      freshnessMs: freshness,
      targets: {
        p99At200NoExplainMs: at200.p99,
        p99At200Le20ms: at200.p99 <= 20,
        autocannonP99At200NoExplainMs: burstAt200.p99,
        noErrors: [...runs, ...burstRuns].every((r) => r.errors === 0),
        freshnessLe1s: freshness.changed === trials && freshness.max <= 1_000,
      },
    });
  } finally {
    if (freshUsers.length)
      await driver.executeQuery('UNWIND $ids AS id MATCH (u:User {id: id}) DETACH DELETE u', { ids: freshUsers }).catch(() => undefined);
    await app.close();
    await driver.close();
    svc.stopAll();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
