import { INestApplication } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Driver } from 'neo4j-driver';
import { repoRoot } from '../../src/common/repo-root';
import { ModelKind, ModelVersionEntity } from '../../src/model-registry/model-version.entity';
import { ModelRegistryService } from '../../src/model-registry/model-registry.service';
import { SnapshotService } from '../../src/sampling/snapshot.service';

export interface TrainOptions {
  /** Only nodes whose id starts with this are exported and trained on. */
  idPrefix: string;
  kind: ModelKind;
  epochs?: number;
  dim?: number;
  /** Extra trainer arguments (e.g. ['--attention-topk', '2']). */
  extraArgs?: string[];
  /** Make it the active version (default true). */
  promote?: boolean;
  /** Trainer wall limit in ms (default 120 s). */
  timeoutMs?: number;
  /** Parent folder for the snapshot and run (default: a new temporary folder). */
  workDir?: string;
}

export interface TrainedModel {
  version: ModelVersionEntity;
  /** temporary folder holding the snapshot and the run (remove it with removeTrained after the app closed) */
  root: string;
  dir: string;
  snapshotDir: string;
  trainMs: number;
}

interface TrainerEvent {
  event: string;
  name?: string;
  sha256?: string;
  [k: string]: unknown;
}

/** Runs the real trainer (no shell), returning its events; rejects with the stderr tail on failure. */
export function runTrainer(args: string[], timeoutMs = 120_000): Promise<TrainerEvent[]> {
  const python = join(repoRoot(), process.env.TRAINER_PYTHON ?? 'models/.venv/bin/python');
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['-m', 'tastegraph_trainer', 'train', ...args], {
      cwd: join(repoRoot(), 'models'),
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', OMP_NUM_THREADS: '2', PYTHONHASHSEED: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`trainer exited with ${code}:\n${err}`));
      const events = out
        .split('\n')
        .filter((l) => l.trim().startsWith('{'))
        .map((l) => JSON.parse(l) as TrainerEvent);
      resolve(events);
    });
  });
}

/**
 * Gets a real trained model registered (and by default active) in the app: exports a snapshot of the
 * graph under `idPrefix` with the app's SnapshotService, trains it with the real trainer on the CPU,
 * collects the checksums from the trainer's `artifact` events, then registers and promotes it.
 */
export async function trainAndRegister(app: INestApplication, opts: TrainOptions): Promise<TrainedModel> {
  if (opts.workDir) mkdirSync(opts.workDir, { recursive: true });
  const root = mkdtempSync(join(opts.workDir ?? tmpdir(), 'tastegraph-model-'));
  const snapshotDir = join(root, 'snapshot');
  const dir = join(root, 'run');
  await app.get(SnapshotService).exportSnapshot(snapshotDir, { idPrefix: opts.idPrefix });
  const t0 = Date.now();
  const args = [
    '--model',
    opts.kind.toLowerCase(),
    '--snapshot',
    snapshotDir,
    '--out',
    dir,
    '--epochs',
    String(opts.epochs ?? 40),
    '--dim',
    String(opts.dim ?? 32),
    '--device',
    'cpu',
    '--threads',
    '2',
    '--eval-every',
    '10',
    ...(opts.extraArgs ?? []),
  ];
  const events = await runTrainer(args, opts.timeoutMs);
  const trainMs = Date.now() - t0;
  const checksums: Record<string, string> = {};
  for (const e of events) if (e.event === 'artifact' && e.name && e.sha256) checksums[e.name] = e.sha256;
  const registry = app.get(ModelRegistryService);
  let version = await registry.register({
    kind: opts.kind,
    artifactDir: dir,
    runId: `test-${opts.kind.toLowerCase()}-${Date.now()}`,
    snapshotStats: null,
    hyperparameters: { epochs: opts.epochs ?? 40, dim: opts.dim ?? 32 },
    checksums,
  });
  if (opts.promote !== false) version = await registry.promote(version.id);
  return { version, root, dir, snapshotDir, trainMs };
}

export function removeTrained(...models: Array<TrainedModel | undefined>): void {
  for (const m of models) if (m) rmSync(m.root, { recursive: true, force: true });
}

/** A small graph with known tastes, written under `prefix` (see seedTasteGraph). */
export interface TasteGraph {
  genres: string[];
  /** users[genre] = user ids */
  users: Record<string, string[]>;
  /** items[genre] = item ids */
  items: Record<string, string[]>;
  /** user id -> the item ids it interacted with */
  interactions: Map<string, string[]>;
  /** friend pairs */
  friends: Array<[string, string]>;
}

export const GENRES = ['rock', 'jazz', 'pop'];

/**
 * Three taste communities: 16 users and 12 items per genre (tag = genre). User k interacts with the
 * 6 items k..k+5 (mod 12) of its genre and one item of another genre; friendships form a ring (u±1, u±2) inside each genre,
 * plus one cross-genre pair per genre. Deterministic.
 */
export async function seedTasteGraph(driver: Driver, prefix: string, db = process.env.NEO4J_DATABASE ?? 'neo4j'): Promise<TasteGraph> {
  const nUsers = 16;
  const nItems = 12;
  const g: TasteGraph = { genres: GENRES, users: {}, items: {}, interactions: new Map(), friends: [] };
  const users: Array<{ id: string; name: string }> = [];
  const items: Array<{ id: string; title: string; tags: string[] }> = [];
  const edges: Array<{ u: string; i: string; ts: number }> = [];
  const base = Date.now() - 30 * 86_400_000;
  GENRES.forEach((genre) => {
    g.items[genre] = Array.from({ length: nItems }, (_, k) => `${prefix}i-${genre}-${k}`);
    g.users[genre] = Array.from({ length: nUsers }, (_, k) => `${prefix}u-${genre}-${k}`);
    g.items[genre].forEach((id, k) =>
      items.push({ id, title: `${genre[0].toUpperCase()}${genre.slice(1)} ${k}`, tags: k % 4 === 0 ? [genre, 'live'] : [genre] }),
    );
    g.users[genre].forEach((id, k) => users.push({ id, name: `${genre} fan ${k}` }));
  });
  GENRES.forEach((genre, gi) => {
    g.users[genre].forEach((u, k) => {
      const mine = [0, 1, 2, 3, 4, 5].map((j) => g.items[genre][(k + j) % nItems]); // overlapping windows: one community per genre
      const other = g.items[GENRES[(gi + 1 + (k % 2)) % 3]][k % nItems];
      const list = [...new Set([...mine, other])];
      g.interactions.set(u, list);
      list.forEach((i, n) => edges.push({ u, i, ts: base + (k * 10 + n) * 60_000 }));
      for (const d of [1, 2]) {
        const v = g.users[genre][(k + d) % nUsers];
        g.friends.push(u < v ? [u, v] : [v, u]);
      }
    });
    const a = g.users[genre][0];
    const b = g.users[GENRES[(gi + 1) % 3]][8];
    g.friends.push(a < b ? [a, b] : [b, a]);
  });
  const now = Date.now();
  await driver.executeQuery(
    `UNWIND $users AS u MERGE (n:User {id: u.id}) SET n.name = u.name, n.createdAt = toInteger($now), n.attributesJson = '{}'`,
    { users, now },
    { database: db },
  );
  await driver.executeQuery(
    `UNWIND $items AS it MERGE (n:Item {id: it.id}) SET n.title = it.title, n.tags = it.tags, n.hidden = false, n.createdAt = toInteger($now), n.attributesJson = '{}'`,
    { items, now },
    { database: db },
  );
  await driver.executeQuery(
    `UNWIND $edges AS e MATCH (u:User {id: e.u}) MATCH (i:Item {id: e.i})
     MERGE (u)-[r:INTERACTED]->(i) SET r.type = 'PLAY', r.types = ['PLAY'], r.weight = 1.0, r.count = 1, r.firstTs = toInteger(e.ts), r.lastTs = toInteger(e.ts), r.split = null, r.rk = rand()`,
    { edges },
    { database: db },
  );
  await driver.executeQuery(
    `UNWIND $pairs AS p MATCH (a:User {id: p[0]}) MATCH (b:User {id: p[1]}) MERGE (a)-[r:FRIEND]->(b) SET r.since = toInteger($now), r.rk = rand()`,
    { pairs: [...new Map(g.friends.map((p) => [p.join('|'), p])).values()], now },
    { database: db },
  );
  return g;
}
