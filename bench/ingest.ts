/**
 * Ingestion benchmark (`npm run bench -- ingest [--skip-gowalla] [--graphql-batches N]`).
 *
 * Starts its own Neo4j instance (bolt 27687, http 27474; BENCH_NEO4J_BOLT_PORT/HTTP_PORT override)
 * with its data folder wiped first, then:
 *   0. warms the JVM up with a small side import (300 lastfm users under another id prefix);
 *   1. imports lastfm (first import: CREATE fast path for edges) and times each phase;
 *   2. re-imports lastfm with --force (the MERGE path every rerun and resume takes);
 *   3. imports gowalla (1,027,370 interactions);
 *   4. times one 10k-row batch step by step (parameter shipping, index seeks, MERGE);
 *   5. boots the app against that instance and sends recordInteractions batches of 1,000 events.
 * Reports interactions/s and friendships/s (write phase only, and end to end with parsing) and
 * stops the instance and its Redis (26391) at the end, also after a failure or Ctrl-C (the data stays).
 * Ends with one JSON line (bench/lib/report.ts).
 */
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve, join } from 'node:path';
import { appCypherRegistry } from '../src/app.cypher-keys';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/config.schema';
import { Neo4jClient } from '../src/graph/neo4j.client';
import { InteractionRow } from '../src/ingestion/importer/dataset';
import { DatasetImporter, ImportSummary } from '../src/ingestion/importer/dataset-importer';
import { ImportRepository } from '../src/ingestion/importer/import.repository';
import { emit, median, percentile } from './lib/report';
import { BenchServices } from './lib/services';

const ROOT = resolve(__dirname, '..');
const BOLT = process.env.BENCH_NEO4J_BOLT_PORT ?? '27687';
const HTTP = process.env.BENCH_NEO4J_HTTP_PORT ?? '27474';
// its own Redis port: the tests' 16379 must stay free for `npm test` after a benchmark
const REDIS = process.env.BENCH_REDIS_PORT ?? '26391';
const URI = `bolt://127.0.0.1:${BOLT}`;
const DATASETS = process.env.TASTEGRAPH_DATASETS ?? resolve(ROOT, '../shared/datasets');
const HOME = process.env.NEO4J_HOME_DIR ?? join(ROOT, '.neo4j');
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const SKIP_GOWALLA = process.argv.includes('--skip-gowalla');
const GQL_BATCHES = Number(arg('--graphql-batches') ?? 30);
const GQL_BATCH = 1000;

const log = (msg: string) => process.stderr.write(`[bench ingest] ${msg}\n`);
const NEO4J_ENV = { NEO4J_BOLT_PORT: BOLT, NEO4J_HTTP_PORT: HTTP };

const phaseFigures = (s: ImportSummary) => ({
  interactions: s.parsed.interactions,
  friendships: s.parsed.friendships,
  parse_s: +s.parseSeconds.toFixed(2),
  users_per_s: Math.round(s.phases.users.rowsPerSecond),
  items_per_s: Math.round(s.phases.items.rowsPerSecond),
  interactions_per_s: Math.round(s.phases.interactions.rowsPerSecond),
  friendships_per_s: s.parsed.friendships ? Math.round(s.phases.friendships.rowsPerSecond) : null,
  interactions_s: +s.phases.interactions.seconds.toFixed(2),
  total_s: +s.seconds.toFixed(2),
  end_to_end_interactions_per_s: Math.round(s.parsed.interactions / s.seconds),
  edges_created_not_merged: s.createdEdges,
});

async function main(): Promise<void> {
  log(`fresh Neo4j on bolt ${BOLT} / http ${HTTP} (instance dir ${HOME}/run-${BOLT})`);
  const svc = new BenchServices(log);
  svc.stop('neo4j', NEO4J_ENV);
  rmSync(join(HOME, `run-${BOLT}`, 'data'), { recursive: true, force: true });
  svc.start('neo4j', { ...NEO4J_ENV, NEO4J_PAGECACHE: process.env.NEO4J_PAGECACHE ?? '512m', NEO4J_HEAP: process.env.NEO4J_HEAP ?? '2g' });
  svc.start('redis', { REDIS_PORT: REDIS });

  process.env.NEO4J_URI = URI;
  process.env.NEO4J_PASSWORD = '';
  process.env.REDIS_PORT = REDIS;
  process.env.REDIS_PREFIX = 'bench-ingest';
  process.env.LOG_LEVEL = 'warn';
  process.env.DATABASE_SQLITE_PATH = ':memory:';
  // one client sends every batch: the per-client write limit (120 a minute) would refuse most of them
  process.env.RATE_LIMIT_ENABLED = 'false';
  const config = loadConfig();
  const client = new Neo4jClient(config, appCypherRegistry());
  const importer = new DatasetImporter(new ImportRepository(client));
  const checkpointDir = join(ROOT, 'var/import/bench');
  rmSync(checkpointDir, { recursive: true, force: true });
  const target = `${URI}/${config.NEO4J_DATABASE}`;
  // Other work on the machine shares its 2 cores with Neo4j: record how busy it was.
  const figures: Record<string, unknown> = { load_avg_1m_start: +loadavg()[0].toFixed(2) };
  try {
    // A fresh JVM compiles and JITs on the first queries: warm it on a small side import first
    // (its own id namespace, so the measured lastfm import still starts from an empty graph).
    log('warm-up: 300 lastfm users under the id prefix bench-warmup-');
    const warm = await importer.run({
      folder: join(DATASETS, 'lastfm'),
      limitUsers: 300,
      idPrefix: 'bench-warmup-',
      checkpointDir,
      target,
    });
    figures.warmup_interactions_per_s = Math.round(warm.phases.interactions.rowsPerSecond);

    log('importing lastfm');
    const lf = await importer.run({ folder: join(DATASETS, 'lastfm'), checkpointDir, target });
    figures.lastfm = phaseFigures(lf);
    log(`lastfm: ${JSON.stringify(figures.lastfm)}`);

    log('re-importing lastfm with --force (MERGE path)');
    const lf2 = await importer.run({ folder: join(DATASETS, 'lastfm'), checkpointDir, target, force: true });
    figures.lastfm_rerun_merge = { ...phaseFigures(lf2), counts_unchanged: JSON.stringify(lf2.after) === JSON.stringify(lf.after) };
    log(`lastfm rerun: ${JSON.stringify(figures.lastfm_rerun_merge)}`);

    if (!SKIP_GOWALLA) {
      log('importing gowalla');
      const gw = await importer.run({ folder: join(DATASETS, 'gowalla'), checkpointDir, target });
      figures.gowalla = phaseFigures(gw);
      log(`gowalla: ${JSON.stringify(figures.gowalla)}`);
    }

    log('where the time goes: one 10,000-row interaction batch, step by step');
    figures.batch_breakdown_ms = await breakdown(
      client,
      importer.parse({ folder: join(DATASETS, 'lastfm') }).interactions.slice(0, 10_000),
    );
    log(`breakdown: ${JSON.stringify(figures.batch_breakdown_ms)}`);

    log(`recordInteractions over GraphQL: ${GQL_BATCHES} batches of ${GQL_BATCH}`);
    figures.graphql = await graphqlThroughput(lf.parsed.users, lf.parsed.items);
    log(`graphql: ${JSON.stringify(figures.graphql)}`);
  } finally {
    await client.onApplicationShutdown();
    svc.stopAll();
  }
  figures.load_avg_1m_end = +loadavg()[0].toFixed(2);
  emit('ingest', {
    neo4j: { bolt: Number(BOLT), pagecache: process.env.NEO4J_PAGECACHE ?? '512m', heap: process.env.NEO4J_HEAP ?? '2g' },
    ...figures,
  });
}

/**
 * Median wall time (5 runs) of one 10k-row batch cut into steps, on the warm instance: shipping the
 * parameters as maps vs packed strings, the two index seeks per row, and the full MERGE (existing
 * edges, so the graph does not change). Plain driver calls, measured from Node.
 */
async function breakdown(client: Neo4jClient, rows: InteractionRow[]): Promise<Record<string, number>> {
  const one = rows.filter((r) => r.s === rows[0].s);
  const packed = {
    u: one.map((r) => r.u).join('\n'),
    i: one.map((r) => r.i).join('\n'),
    w: one.map((r) => String(r.w)).join('\n'),
    c: one.map((r) => String(r.c)).join('\n'),
    t: one[0].t,
    s: one[0].s,
  };
  const steps: Record<string, [string, Record<string, unknown>]> = {
    ship_as_maps: ['UNWIND $rows AS row RETURN count(*)', { rows: one }],
    ship_packed: ["RETURN size(split($u, '\\n')) + size(split($i, '\\n')) + size(split($w, '\\n')) AS n", packed],
    index_seeks: [
      "WITH split($u, '\\n') AS us, split($i, '\\n') AS its UNWIND range(0, size(us) - 1) AS k MATCH (u:User {id: us[k]}) MATCH (i:Item {id: its[k]}) RETURN count(*)",
      packed,
    ],
    merge_existing_edges: [client.registry.get('ingestion/import-interactions'), packed],
  };
  const out: Record<string, number> = { rows: one.length };
  const session = client.driver.session();
  try {
    for (const [name, [q, params]] of Object.entries(steps)) {
      const times: number[] = [];
      for (let k = 0; k < 5; k++) {
        const t0 = performance.now();
        await session.executeWrite((tx) => tx.run(q, params));
        times.push(performance.now() - t0);
      }
      out[name] = +median(times).toFixed(1);
    }
  } finally {
    await session.close();
  }
  return out;
}

/** Events for existing lastfm users/items (raw ids are sparse: take them from the graph). */
async function graphqlThroughput(users: number, items: number): Promise<Record<string, unknown>> {
  const app = await createApp(loadConfig());
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${port}/graphql`;
  const neo = app.get(Neo4jClient);
  const s = neo.driver.session();
  const userIds = (await s.run("MATCH (u:User) WHERE u.id STARTS WITH 'lastfm:' RETURN u.id AS id")).records.map(
    (r) => r.get('id') as string,
  );
  const itemIds = (await s.run("MATCH (i:Item) WHERE i.id STARTS WITH 'lastfm:' RETURN i.id AS id")).records.map(
    (r) => r.get('id') as string,
  );
  await s.close();
  if (userIds.length !== users || itemIds.length !== items) throw new Error('lastfm ids missing');
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const types = ['VIEW', 'LIKE', 'PLAY', 'SHARE'];
  const query = 'mutation($e: [InteractionInput!]!) { recordInteractions(events: $e) { events pairs edgesCreated edgesUpdated } }';
  const latencies: number[] = [];
  let created = 0;
  let updated = 0;
  const run = async () => {
    const events = Array.from({ length: GQL_BATCH }, () => ({
      userId: userIds[rnd(userIds.length)],
      itemId: itemIds[rnd(itemIds.length)],
      type: types[rnd(types.length)],
    }));
    const t0 = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables: { e: events } }),
    });
    const body = (await res.json()) as { data?: { recordInteractions: { edgesCreated: number; edgesUpdated: number } }; errors?: unknown };
    if (!body.data) throw new Error(`recordInteractions failed: ${JSON.stringify(body.errors)}`);
    created += body.data.recordInteractions.edgesCreated;
    updated += body.data.recordInteractions.edgesUpdated;
    return performance.now() - t0;
  };
  try {
    for (let i = 0; i < 3; i++) await run(); // warm-up
    created = 0;
    updated = 0;
    const t0 = performance.now();
    for (let i = 0; i < GQL_BATCHES; i++) latencies.push(await run());
    const seconds = (performance.now() - t0) / 1000;
    return {
      batch: GQL_BATCH,
      batches: GQL_BATCHES,
      events_per_s: Math.round((GQL_BATCHES * GQL_BATCH) / seconds),
      batch_ms_p50: +median(latencies).toFixed(1),
      batch_ms_p95: +percentile(latencies, 95).toFixed(1),
      edges_created: created,
      edges_updated: updated,
    };
  } finally {
    await app.close();
  }
}

main().catch((err) => {
  log(`failed: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
