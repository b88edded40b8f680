/**
 * Sampling benchmark (`npm run bench -- sampling [--quick]`) on its own Neo4j instance (bolt 27688,
 * http 27475; BENCH_NEO4J_BOLT_PORT/HTTP_PORT override; not 27687, which bench/ingest.ts wipes) holding the lastfm graph (imported with the dataset importer when missing) and a
 * synthetic supernode item with 100,000 INTERACTED edges.
 *
 * Measures (each operation in its own block, after warm-up runs): p50/p99 of 2-hop [10, 5] neighbour sampling for 1 seed (200 runs) and
 * 512 seeds (30 runs); PinSage walks W=20, L=4, top 20 for 1 item (relatedItems) and 512 items;
 * lastfm snapshot export; and the 1-seed sample on the supernode (windowed vs. a full read).
 * Stops its Neo4j at the end, also after a failure or Ctrl-C (the data stays for the next run).
 * Ends with one JSON line (bench/lib/report.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j, { Driver } from 'neo4j-driver';
import { MaintenanceService } from '../src/sampling/maintenance.service';
import { createSamplingContext } from '../src/sampling/sampling-cli';
import { SamplingRepository } from '../src/sampling/sampling.repository';
import { SamplingService } from '../src/sampling/sampling.service';
import { SnapshotService } from '../src/sampling/snapshot.service';
import { emit, median, percentile } from './lib/report';
import { BenchServices, count, ensureLastfm } from './lib/services';

const BOLT = process.env.BENCH_NEO4J_BOLT_PORT ?? '27688';
const HTTP = process.env.BENCH_NEO4J_HTTP_PORT ?? '27475';
const URI = `bolt://127.0.0.1:${BOLT}`;
const QUICK = process.argv.includes('--quick');
const SUPER_ID = 'bench:super';
const SUPER_DEGREE = 100_000;

// The app config is read when the context is created (below), after these assignments.
process.env.NEO4J_URI = URI;
process.env.NEO4J_PASSWORD = '';
process.env.LOG_LEVEL = 'warn';

const log = (msg: string) => process.stderr.write(`[bench sampling] ${msg}\n`);

/** Bench-only fixture: one item with SUPER_DEGREE users, each of whom interacted only with it. */
async function ensureSupernode(driver: Driver): Promise<void> {
  const deg = await count(driver, 'MATCH (i:Item {id: $id}) RETURN COUNT { (i)<-[:INTERACTED]-() }', { id: SUPER_ID });
  if (deg >= SUPER_DEGREE) return;
  log(`creating the synthetic supernode ${SUPER_ID} with ${SUPER_DEGREE} edges`);
  await driver.executeQuery(
    "MERGE (i:Item {id: $id}) ON CREATE SET i.title = 'synthetic supernode', i.tags = [], i.hidden = false, i.createdAt = 0, i.attributesJson = '{}'",
    { id: SUPER_ID },
  );
  const session = driver.session();
  try {
    await session.run(
      `MATCH (s:Item {id: $id})
       UNWIND range(0, toInteger($n) - 1) AS k
       CALL (s, k) {
         MERGE (u:User {id: 'bench:su' + k}) ON CREATE SET u.createdAt = 0, u.attributesJson = '{}'
         MERGE (u)-[r:INTERACTED]->(s)
         ON CREATE SET r.weight = toFloat(1 + k % 5), r.count = 1, r.type = 'PLAY', r.types = ['PLAY'],
                       r.firstTs = 1700000000000 + k * 1000, r.lastTs = 1700000000000 + k * 1000, r.rk = rand()
       } IN TRANSACTIONS OF 10000 ROWS`,
      { id: SUPER_ID, n: neo4j.int(SUPER_DEGREE) },
    );
  } finally {
    await session.close();
  }
}

async function time<T>(fn: () => Promise<T>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** n distinct random elements. */
function pick<T>(xs: T[], n: number): T[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(n, xs.length)) chosen.add(Math.floor(Math.random() * xs.length));
  return [...chosen].map((i) => xs[i]);
}

async function main(): Promise<void> {
  const svc = new BenchServices(log);
  svc.start('neo4j', { NEO4J_BOLT_PORT: BOLT, NEO4J_HTTP_PORT: HTTP });
  const driver = neo4j.driver(URI);
  let ctx: Awaited<ReturnType<typeof createSamplingContext>> | undefined;
  try {
    await ensureLastfm(driver, URI, log);
    await ensureSupernode(driver);
    ctx = await createSamplingContext(['error', 'warn']);
    const sampling = ctx.get(SamplingService);
    const repo = ctx.get(SamplingRepository);
    const maintenance = ctx.get(MaintenanceService);
    const snapshots = ctx.get(SnapshotService);

    const t0 = Date.now();
    const keys = await maintenance.assignSampleKeys();
    const keysMs = Date.now() - t0;
    const t1 = Date.now();
    const overlapEdges = await maintenance.refreshOverlap({ idPrefix: 'lastfm:' });
    const overlapMs = Date.now() - t1;
    log(`sampling keys ${JSON.stringify(keys)} in ${keysMs} ms; overlap on ${overlapEdges} FRIEND edges in ${overlapMs} ms`);

    const users = (await driver.executeQuery("MATCH (u:User) WHERE u.id STARTS WITH 'lastfm:' RETURN u.id AS id")).records.map(
      (r) => r.get('id') as string,
    );
    const items = (
      await driver.executeQuery("MATCH (i:Item) WHERE i.id STARTS WITH 'lastfm:' AND COUNT { (i)<-[:INTERACTED]-() } > 0 RETURN i.id AS id")
    ).records.map((r) => r.get('id') as string);
    const S = QUICK ? 0.2 : 1;
    const n1 = Math.round(200 * S);
    const n512 = Math.max(5, Math.round(30 * S));

    const superSeed = [{ id: SUPER_ID, kind: 'ITEM' as const }];
    const opts = { bias: 'UNIFORM' as const, includeFriends: false, now: Date.now() };
    const session = driver.session();
    // name -> [operation, runs]; single-seed operations 200 runs, batches 30.
    const ops: Record<string, [() => Promise<unknown>, number]> = {
      // What a trivial query costs on this machine at the same moments (the floor under every figure).
      roundtrip: [() => session.executeRead((tx) => tx.run('RETURN 1')), n1],
      sample1: [() => sampling.sampleNeighborhood(pick(users, 1), { fanouts: [10, 5] }), n1],
      sample1Item: [() => sampling.sampleNeighborhood(pick(items, 1), { fanouts: [10, 5] }), n1],
      sample1Weight: [() => sampling.sampleNeighborhood(pick(users, 1), { fanouts: [10, 5], bias: 'WEIGHT' }), n1],
      sample1Recency: [() => sampling.sampleNeighborhood(pick(users, 1), { fanouts: [10, 5], bias: 'RECENCY' }), n1],
      sample1Friends: [() => sampling.sampleNeighborhood(pick(users, 1), { fanouts: [10, 5], includeFriends: true }), n1],
      sample512: [() => sampling.sampleNeighborhood(pick(users, 512), { fanouts: [10, 5] }), n512],
      walk1: [() => sampling.relatedItems(pick(items, 1)[0], { walks: 20, length: 4, topK: 20 }), n1],
      walk512: [() => sampling.itemWalkNeighborhoods(pick(items, 512), { walks: 20, length: 4, topK: 20 }), n512],
      super1: [() => sampling.sampleNeighborhood([SUPER_ID], { fanouts: [10, 5] }), n1],
      superWeight: [() => sampling.sampleNeighborhood([SUPER_ID], { fanouts: [10, 5], bias: 'WEIGHT' }), n1],
      superFull: [() => repo.sampleHop(superSeed, 10, { ...opts, cap: Number.MAX_SAFE_INTEGER }), Math.max(5, Math.round(20 * S))],
      superWalk: [() => sampling.relatedItems(SUPER_ID, { walks: 20, length: 4, topK: 20 }), n1],
    };
    // One block per operation: warm-up runs (Neo4j's and V8's JIT, the plan cache), then the
    // measured runs back to back. (Interleaving the operations, as this bench did before, charged
    // the GC and JIT debt of the heavy batch queries to whatever ran next: RETURN 1 measured 5.6 ms
    // p50 interleaved against 0.6 ms in its own block.)
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(ops).map((k) => [k, []]));
    for (const [name, [op, runs]] of Object.entries(ops)) {
      const warm = Math.max(QUICK ? 3 : 10, Math.round(runs / 2));
      log(`${name}: ${warm} warm-up + ${runs} measured runs`);
      for (let i = 0; i < warm; i++) await op();
      for (let i = 0; i < runs; i++) samples[name].push(await time(op));
    }
    await session.close();
    const stat = (name: string) => {
      const ms = samples[name];
      const r = { p50: +median(ms).toFixed(2), p99: +percentile(ms, 99).toFixed(2), runs: ms.length };
      log(`${name}: p50 ${r.p50} ms, p99 ${r.p99} ms (${r.runs} runs)`);
      return r;
    };
    const roundtrip = stat('roundtrip');
    const sample1 = stat('sample1');
    const sample1Item = stat('sample1Item');
    const sample1Weight = stat('sample1Weight');
    const sample1Recency = stat('sample1Recency');
    const sample1Friends = stat('sample1Friends');
    const sample512 = stat('sample512');
    const walk1 = stat('walk1');
    const walk512 = stat('walk512');
    const super1 = stat('super1');
    const superWeight = stat('superWeight');
    const superFull = stat('superFull');
    const superWalk = stat('superWalk');

    // Snapshot export of lastfm.
    const exportMs: number[] = [];
    let counts: unknown = null;
    for (let i = 0; i < (QUICK ? 2 : 4); i++) {
      const dir = mkdtempSync(join(tmpdir(), 'tg-bench-snapshot-'));
      try {
        const t = Date.now();
        const res = await snapshots.exportSnapshot(dir, { idPrefix: 'lastfm:' });
        if (i > 0) exportMs.push(Date.now() - t);
        counts = res.counts;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const exportP50 = median(exportMs);
    log(`lastfm snapshot export: ${exportMs.join(', ')} ms ${JSON.stringify(counts)}`);
    let pinsageMs: number | null = null;
    if (!QUICK) {
      const dir = mkdtempSync(join(tmpdir(), 'tg-bench-snapshot-'));
      try {
        const t = Date.now();
        await snapshots.exportSnapshot(dir, { idPrefix: 'lastfm:', pinsage: true });
        pinsageMs = Date.now() - t;
        log(`lastfm snapshot export with pinsage.csv: ${pinsageMs} ms`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }

    const targets = {
      sample1SeedP50Le10ms: sample1.p50 <= 10,
      sample512SeedsP50Le250ms: sample512.p50 <= 250,
      exportLe10s: exportP50 <= 10_000,
      supernode1SeedP50Le20ms: super1.p50 <= 20,
    };
    emit('sampling', {
      dataset: 'lastfm',
      quick: QUICK,
      ms: {
        roundtrip_return1: roundtrip,
        sample_10_5_1seed: sample1,
        sample_10_5_1item: sample1Item,
        sample_10_5_1seed_weight: sample1Weight,
        sample_10_5_1seed_recency: sample1Recency,
        sample_10_5_1seed_friends: sample1Friends,
        sample_10_5_512seeds: sample512,
        walks_20x4_top20_1item: walk1,
        walks_20x4_top20_512items: walk512,
        supernode_100k_sample_10_5_1seed: super1,
        supernode_100k_sample_10_5_1seed_weight: superWeight,
        supernode_100k_hop1_full_read: superFull,
        supernode_100k_walks_20x4: superWalk,
        snapshot_export_lastfm: { p50: exportP50, runs: exportMs },
        snapshot_export_lastfm_with_pinsage: pinsageMs,
        overlap_refresh_lastfm: overlapMs,
      },
      counts,
      targets,
    });
  } finally {
    await ctx?.close();
    await driver.close();
    svc.stopAll();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
