/**
 * The scale ladder's HTTP serving step (bench/scale.ts): the rung's trained LightGCN registered and
 * promoted in a registry of its own, then two API processes as production runs them (compiled,
 * apiEntry) over the rung's graph, one serving exactly (ANN_MIN_ITEMS above the catalogue) and one
 * through the ANN index (ANN_MIN_ITEMS=0), loaded in turn with the plain `recommendations` query at
 * `rate` requests/s (open loop, 8 keep-alive connections), rounds alternating the arms. Two loads:
 * - warm: 400 of the rung's users in turn (each asked every 2 s at 200/s), each asked once just before every
 *   warm round (else a round after the other arm's opens with every state expired: 243 ms in the first second
 *   of a 60× ANN round); most answers come from the per-user state cache (15-30 s), the rest are its expiries;
 * - cold: one round per arm of users never asked before (a different set per arm), so every request reads
 *   the user's state from Neo4j and ranks: the path a request takes on a miss.
 * Before the rounds Neo4j runs the two user reads 8,000 times on the warm users (warmNeo4j: a freshly
 * started server's first thousands of runs cost it 3-7x more). Before every round both APIs are left to go
 * idle (waitIdle: a previous round's queue and collections finish first; the exact arm at 1M+ items lags the
 * load). Per round: CPU ms per answered request of the loaded API, Neo4j, the idle API and the generator.
 * Per arm: the median over warm rounds of p50 and p99, the cold round's, errors, the API's RSS, and how long
 * the API took to be ready (catalogue read, model load, index build).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { createApp } from '../../src/bootstrap';
import { appCypherRegistry } from '../../src/app.cypher-keys';
import { loadConfig } from '../../src/config/config.schema';
import { Neo4jClient } from '../../src/graph/neo4j.client';
import { RecommendationsRepository } from '../../src/recommendations/recommendations.repository';
import { CONTEXT_MAX_FRIEND_ITEMS, CONTEXT_MAX_FRIENDS, CONTEXT_MAX_ITEMS } from '../../src/recommendations/user-state.service';
import { ModelRegistryService } from '../../src/model-registry/model-registry.service';
import { openLoop } from './open-loop';
import { median } from './report';
import { activeUserIds, ApiProcess, processCpuS, processRssMiB, startApi, waitIdle } from './api-process';

const REC_QUERY = `query($u: ID!) { recommendations(userId: $u, first: 20, explain: false) { edges { node { id item { id } score rank } } } }`;

export interface ServingHttpOptions {
  /** the trainer's run folder and the artefact checksums its events reported */
  runDir: string;
  checksums: Record<string, string>;
  /** graph ids of the rung start with this (the catalogue the API reads: TRAINING_ID_PREFIX) */
  prefix: string;
  work: string;
  uri: string;
  redisPort: string;
  /** the Neo4j server's pid, for its CPU per request (null: not reported) */
  neo4jPid: number | null;
  rate: number;
  rounds: number;
  durationS: number;
  log: (msg: string) => void;
}

export async function servingHttp(o: ServingHttpOptions) {
  const sqlite = join(o.work, 'registry.sqlite');
  rmSync(sqlite, { force: true });
  mkdirSync(o.work, { recursive: true });
  const common = {
    NODE_ENV: 'production',
    NEO4J_URI: o.uri,
    NEO4J_PASSWORD: '',
    REDIS_PORT: o.redisPort,
    DATABASE_SQLITE_PATH: sqlite,
    TRAINER_WORKER: 'false',
    RETRAIN_CRON: '',
    TRAINING_ID_PREFIX: o.prefix,
    API_KEYS: '',
    RATE_LIMIT_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    METRICS_ENABLED: 'false',
  };
  {
    const app = await createApp(
      loadConfig({ ...process.env, ...common, REDIS_PREFIX: 'tgbench-scale-setup', ANN_MIN_ITEMS: '1000000000' }),
    );
    try {
      await app.init();
      const registry = app.get(ModelRegistryService);
      const v = await registry.register({
        kind: 'LIGHTGCN',
        artifactDir: o.runDir,
        runId: `scale-${Date.now()}`,
        snapshotStats: null,
        hyperparameters: {},
        checksums: o.checksums,
      });
      await registry.promote(v.id);
    } finally {
      await app.close();
    }
  }
  const driver = neo4j.driver(o.uri);
  const body = (u: string) => JSON.stringify({ query: REC_QUERY, variables: { u } });
  let warmUsers: string[];
  let bodies: string[];
  const cold: Record<'exact' | 'ann', string[]> = { exact: [], ann: [] };
  try {
    const users = await activeUserIds(driver, o.prefix, 400 + 2 * Math.round(o.rate * o.durationS));
    warmUsers = users.slice(0, 400);
    bodies = warmUsers.map(body);
    // a small rung has fewer users than a round asks for: each arm gets half of the rest, each asked once
    const coldN = Math.min(Math.round(o.rate * o.durationS), Math.floor((users.length - 400) / 2));
    cold.ann = users.slice(400, 400 + coldN).map(body);
    cold.exact = users.slice(400 + coldN, 400 + 2 * coldN).map(body);
  } finally {
    await driver.close();
  }

  const arms: Array<ApiProcess & { name: 'exact' | 'ann' }> = [];
  try {
    for (const name of ['exact', 'ann'] as const) {
      const api = await startApi({
        name,
        logFile: join(o.work, `api-${name}.log`),
        env: {
          ...common,
          REDIS_PREFIX: `tgbench-scale-${name}`,
          ARTIFACT_CACHE_DIR: join(o.work, `cache-${name}`),
          ANN_MIN_ITEMS: name === 'ann' ? '0' : '1000000000',
        },
        log: o.log,
        // ready = catalogue read, model loaded and, for the ANN arm, its index loaded from the files (serving.ann READY)
        ready: (body) => {
          const ann = /"serving":\{"id":"[^"]*","ann":\{"status":"(\w+)"/.exec(body)?.[1];
          return ann !== undefined && (name === 'exact' || ann === 'READY');
        },
        timeoutMs: 30 * 60_000,
      });
      arms.push({ name, ...api });
      o.log(`serving ${name}: ready in ${api.readyS} s`);
    }
    // Neo4j's JIT compiles a query's operators after thousands of runs: a server freshly started for the bench
    // would make the first rounds measure its warm-up. The serving reads run here first, on the warm users only
    // (the cold rounds' users stay unread), as a long-running server has run them.
    const warmed = await warmNeo4j(o.uri, warmUsers, NEO4J_WARM_PASSES);
    o.log(`serving: Neo4j warmed with ${warmed.reads} user-context and fingerprint reads in ${warmed.seconds} s`);
    const rows: Array<{
      arm: string;
      load: 'warm' | 'cold';
      p50: number;
      p99: number;
      errors: number;
      idleWaitS: number;
      cpu: CpuPerRequest;
    }> = [];
    const round = async (arm: (typeof arms)[number], load: 'warm' | 'cold', label: string) => {
      if (load === 'warm')
        for (const b of bodies)
          await fetch(`${arm.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b });
      const idleWaitS = await waitIdle(arms.map((a) => a.child.pid!));
      const other = arms.find((a) => a !== arm)!;
      const cpu0 = cpuNow(arm.child.pid!, other.child.pid!, o.neo4jPid);
      const startedAt = new Date().toISOString(); // its worst seconds count from here (to find them in the API's log)
      const r = await openLoop({
        url: `${arm.url}/graphql`,
        rate: o.rate,
        durationS: load === 'warm' ? o.durationS : cold[arm.name].length / o.rate,
        bodies: load === 'warm' ? bodies : cold[arm.name],
        connections: 8,
      });
      const cpu = perRequest(cpu0, cpuNow(arm.child.pid!, other.child.pid!, o.neo4jPid), r.completed);
      rows.push({ arm: arm.name, load, p50: r.p50, p99: r.p99, errors: r.errors, idleWaitS, cpu });
      const worst = r.worstSeconds.map((w) => `s${w.second} ${w.p99} ms`).join(', ');
      o.log(
        `serving ${label} ${arm.name} (from ${startedAt}, after ${idleWaitS} s to idle): p50 ${r.p50} ms, p99 ${r.p99} ms, errors ${r.errors}; ` +
          `worst seconds ${worst}; CPU ms per request ${JSON.stringify(cpu)}`,
      );
    };
    for (let k = 0; k < o.rounds; k++)
      for (const arm of k % 2 === 0 ? arms : [...arms].reverse()) await round(arm, 'warm', `warm round ${k + 1}/${o.rounds}`);
    for (const arm of [...arms].reverse())
      if (cold[arm.name].length) await round(arm, 'cold', `cold round (${cold[arm.name].length} users)`);
    const summary = (name: string) => {
      const mine = rows.filter((r) => r.arm === name && r.load === 'warm');
      const coldRow = rows.find((r) => r.arm === name && r.load === 'cold');
      const arm = arms.find((a) => a.name === name)!;
      return {
        p50Ms: median(mine.map((r) => r.p50)),
        p99Ms: median(mine.map((r) => r.p99)),
        p99PerRoundMs: mine.map((r) => r.p99),
        cpuMsPerRequest: median(mine.map((r) => r.cpu.api)),
        cold: coldRow
          ? { p50Ms: coldRow.p50, p99Ms: coldRow.p99, errors: coldRow.errors, users: cold[arm.name].length, cpuMsPerRequest: coldRow.cpu }
          : null,
        idleWaitS: rows.filter((r) => r.arm === name).map((r) => r.idleWaitS),
        errors: mine.reduce((n, r) => n + r.errors, 0),
        apiRssMiB: processRssMiB(arm.child.pid!),
        readyS: arm.readyS,
      };
    };
    return { rate: o.rate, rounds: o.rounds, durationS: o.durationS, exact: summary('exact'), ann: summary('ann') };
  } finally {
    for (const arm of arms) arm.child.kill('SIGTERM');
  }
}

/** CPU milliseconds per answered request during a round: the loaded API, Neo4j, the other (idle) API, and this process (the load generator's threads). */
export interface CpuPerRequest {
  api: number;
  neo4j: number | null;
  otherApi: number;
  generator: number;
}

function cpuNow(api: number, otherApi: number, neo4jPid: number | null) {
  const { user, system } = process.cpuUsage();
  return {
    api: processCpuS(api) ?? 0,
    otherApi: processCpuS(otherApi) ?? 0,
    neo4j: neo4jPid === null ? null : processCpuS(neo4jPid),
    generator: (user + system) / 1e6,
  };
}

function perRequest(a: ReturnType<typeof cpuNow>, b: ReturnType<typeof cpuNow>, requests: number): CpuPerRequest {
  const ms = (s: number) => +((s * 1000) / Math.max(1, requests)).toFixed(2);
  return {
    api: ms(b.api - a.api),
    neo4j: a.neo4j === null || b.neo4j === null ? null : ms(b.neo4j - a.neo4j),
    otherApi: ms(b.otherApi - a.otherApi),
    generator: ms(b.generator - a.generator),
  };
}

/** Passes over the warm users' serving reads before the rounds (see warmNeo4j). */
const NEO4J_WARM_PASSES = 10;

/** The API's two user reads (read-user-context, user-context-fingerprint), one user per read as a miss makes them, `passes` times over `users`. */
async function warmNeo4j(uri: string, users: string[], passes: number): Promise<{ reads: number; seconds: number }> {
  const t0 = performance.now();
  const client = new Neo4jClient(
    loadConfig({ ...process.env, NODE_ENV: 'production', NEO4J_URI: uri, NEO4J_PASSWORD: '' }),
    appCypherRegistry(),
  );
  const repo = new RecommendationsRepository(client);
  const limits = { items: CONTEXT_MAX_ITEMS, friends: CONTEXT_MAX_FRIENDS, friendItems: CONTEXT_MAX_FRIEND_ITEMS };
  let reads = 0;
  try {
    for (let p = 0; p < passes; p++)
      for (const u of users) {
        await repo.userContexts([u], limits);
        await repo.contextFingerprints([u], limits);
        reads += 2;
      }
  } finally {
    await client.driver.close();
  }
  return { reads, seconds: +((performance.now() - t0) / 1000).toFixed(1) };
}
