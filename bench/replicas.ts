/**
 * Replica freshness benchmark (`npm run bench -- replicas [--writes 100]`): two API processes on the
 * same Neo4j, Redis and SQL; each write goes through A (a LIKE of the user's first recommendation
 * as B serves it, so B holds the user's state), then B is read until the item is gone. Figures: the
 * milliseconds from A's answer to B's first answer that shows the write (p50/p99), the share of
 * writes whose first read on B already showed it (read-your-writes across replicas), A's write
 * latency. Runs on its own Neo4j (bolt 29687, http 29474) and Redis (29379) on a small seeded graph
 * (test/support/model.ts's seedTasteGraph), both stopped at the end. Ends with one JSON line
 * (bench/lib/report.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { seedTasteGraph } from '../test/support/model';
import { AppProcess, spawnApp, stopApps } from '../test/support/processes';
import { emit, percentile } from './lib/report';
import { BenchServices } from './lib/services';

const BOLT = process.env.BENCH_REPLICAS_BOLT_PORT ?? '29687';
const HTTP = process.env.BENCH_REPLICAS_HTTP_PORT ?? '29474';
const REDIS_PORT = process.env.BENCH_REPLICAS_REDIS_PORT ?? '29379';
const URI = `bolt://127.0.0.1:${BOLT}`;
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const WRITES = Number(arg('--writes') ?? 100);
const PREFIX = 'bench-replicas:';
const log = (msg: string) => process.stderr.write(`[bench replicas] ${msg}\n`);
const round = (x: number) => Math.round(x * 10) / 10;

async function firstIds(app: AppProcess, userId: string): Promise<string[]> {
  const res = await app.gql(`query($u: ID!) { recommendations(userId: $u, first: 10) { edges { node { id } } } }`, { u: userId });
  if (res.errors) throw new Error(`${app.name}: ${JSON.stringify(res.errors[0])}`);
  return res.data.recommendations.edges.map((e: { node: { id: string } }) => e.node.id);
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

async function main(): Promise<void> {
  const svc = new BenchServices(log);
  svc.start('neo4j', { NEO4J_BOLT_PORT: BOLT, NEO4J_HTTP_PORT: HTTP });
  svc.start('redis', { REDIS_PORT });
  const root = mkdtempSync(join(tmpdir(), 'tg-bench-replicas-'));
  const driver = neo4j.driver(URI);
  let a: AppProcess | undefined;
  let b: AppProcess | undefined;
  try {
    await driver.executeQuery(`MATCH (n) WHERE n.id STARTS WITH $p DETACH DELETE n`, { p: PREFIX });
    const g = await seedTasteGraph(driver, PREFIX);
    const env = {
      NODE_ENV: 'test',
      NEO4J_URI: URI,
      NEO4J_PASSWORD: '',
      REDIS_PORT,
      REDIS_PREFIX: `bench-replicas-${Date.now()}`,
      DATABASE_SQLITE_PATH: join(root, 'registry.sqlite'),
      TRAINER_WORKER: 'false',
      TRAINER_RUNS_DIR: join(root, 'runs'),
      TRAINING_ID_PREFIX: PREFIX,
      RETRAIN_CRON: '',
      RATE_LIMIT_ENABLED: 'false',
    };
    a = await spawnApp('a', env, root);
    b = await spawnApp('b', env, root);
    const users = g.genres.flatMap((genre) => g.users[genre]);
    log(`${WRITES} writes through A, each read through B until it shows`);
    const { lags, writes, firstRead } = await measure(a, b, users);
    emit('replicas', {
      writes: WRITES,
      graph: 'seedTasteGraph (48 users, 36 items)',
      freshnessP50Ms: round(percentile(lags, 50)),
      freshnessP99Ms: round(percentile(lags, 99)),
      freshnessMaxMs: round(Math.max(...lags)),
      firstReadShowsWrite: firstRead / WRITES,
      writeP50Ms: round(percentile(writes, 50)),
      writeP99Ms: round(percentile(writes, 99)),
    });
  } finally {
    await stopApps([a, b]);
    await driver.executeQuery(`MATCH (n) WHERE n.id STARTS WITH $p DETACH DELETE n`, { p: PREFIX }).catch(() => undefined);
    await driver.close();
    rmSync(root, { recursive: true, force: true });
    svc.stopAll();
  }
}

main().catch((err: Error) => {
  log(`failed: ${err.stack ?? err.message}`);
  process.exitCode = 1;
});
