/**
 * The scale ladder's HTTP serving step (bench/scale.ts): the rung's trained LightGCN registered and
 * promoted in a registry of its own, then two API processes as production runs them (compiled,
 * apiEntry) over the rung's graph, one serving exactly (ANN_MIN_ITEMS above the catalogue) and one
 * through the ANN index (ANN_MIN_ITEMS=0), loaded in turn with the plain `recommendations` query at
 * `rate` requests/s (open loop, 8 keep-alive connections), rounds alternating the arms. Two loads:
 * - warm: 400 of the rung's users in turn (each asked every 2 s at 200/s), after a warm-up that asked each
 *   once; most answers come from the per-user state cache (30 s), and its expiries come in waves;
 * - cold: one round per arm of users never asked before (a different set per arm), so every request reads
 *   the user's state from Neo4j and ranks: the path a request takes on a miss.
 * Before every round both APIs are left to go idle (waitIdle: a previous round's queue and collections
 * finish first; the exact arm at 1M+ items lags the load). Per arm: the median over warm rounds of p50 and
 * p99, the cold round's, errors, the API's RSS, and how long the API took to be ready (catalogue read,
 * model load, index build).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/config.schema';
import { ModelRegistryService } from '../../src/model-registry/model-registry.service';
import { openLoop } from './open-loop';
import { median } from './report';
import { activeUserIds, ApiProcess, processRssMiB, startApi, waitIdle } from './api-process';

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
  let bodies: string[];
  const cold: Record<'exact' | 'ann', string[]> = { exact: [], ann: [] };
  try {
    const users = await activeUserIds(driver, o.prefix, 400 + 2 * Math.round(o.rate * o.durationS));
    bodies = users.slice(0, 400).map(body);
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
    // warm-up: every sampled user's state once per arm
    for (const arm of arms)
      for (const b of bodies)
        await fetch(`${arm.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b });
    const rows: Array<{ arm: string; load: 'warm' | 'cold'; p50: number; p99: number; errors: number; idleWaitS: number }> = [];
    const round = async (arm: (typeof arms)[number], load: 'warm' | 'cold', label: string) => {
      const idleWaitS = await waitIdle(arms.map((a) => a.child.pid!));
      const r = await openLoop({
        url: `${arm.url}/graphql`,
        rate: o.rate,
        durationS: load === 'warm' ? o.durationS : cold[arm.name].length / o.rate,
        bodies: load === 'warm' ? bodies : cold[arm.name],
        connections: 8,
      });
      rows.push({ arm: arm.name, load, p50: r.p50, p99: r.p99, errors: r.errors, idleWaitS });
      const worst = r.worstSeconds.map((w) => `s${w.second} ${w.p99} ms`).join(', ');
      o.log(
        `serving ${label} ${arm.name} (after ${idleWaitS} s to idle): p50 ${r.p50} ms, p99 ${r.p99} ms, errors ${r.errors}; worst seconds ${worst}`,
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
        cold: coldRow ? { p50Ms: coldRow.p50, p99Ms: coldRow.p99, errors: coldRow.errors, users: cold[arm.name].length } : null,
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
