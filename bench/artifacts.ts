/**
 * `npm run bench -- artifacts [--runs 2]`: registering and fetching one lastfm-sized version (dim 64: 17,632 items,
 * 1,892 users; random bytes of the artefacts' sizes) through the registry database, as a replica without the run
 * folder does (docs/decisions/0022-artefacts-in-the-registry.md). SQLite in a temporary file always; PostgreSQL too
 * when BENCH_DATABASE_URL names a throwaway database (it is migrated and left with the rows). Prints one JSON line.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/config.schema';
import { ArtifactCache } from '../src/model-registry/artifact-cache';
import { dataSourceOptions } from '../src/model-registry/data-source';
import { ModelRegistryRepository } from '../src/model-registry/model-registry.repository';
import { ModelVersionEntity } from '../src/model-registry/model-version.entity';

const ITEMS = 17_632;
const USERS = 1_892;
const DIM = 64;
const SIZES: Record<string, number> = {
  'scorer.onnx': 300, // the graph; its weights (the item table) beside it
  'scorer.onnx.data': ITEMS * DIM * 4,
  'encoder.onnx': 5_000,
  'encoder.onnx.data': (ITEMS + USERS) * DIM * 4 + ITEMS * 4,
  'user_embeddings.npy': USERS * DIM * 4 + 128,
  'item_embeddings.npy': ITEMS * DIM * 4 + 128,
  'users.tsv': USERS * 16,
  'items.tsv': ITEMS * 40,
  'metrics.json': 4_000,
  'config.json': 1_000,
};

async function once(env: Record<string, string>) {
  const ds = new DataSource(dataSourceOptions(loadConfig(env)));
  await ds.initialize();
  await ds.runMigrations();
  const repo = new ModelRegistryRepository(ds.getRepository(ModelVersionEntity));
  const run = mkdtempSync(join(tmpdir(), 'bench-artifact-run-'));
  const files = Object.entries(SIZES).map(([name, n]) => {
    const bytes = randomBytes(n);
    writeFileSync(join(run, name), bytes);
    return { name, path: join(run, name), sha256: createHash('sha256').update(bytes).digest('hex') };
  });
  const checksums = Object.fromEntries(files.map((f) => [f.name, f.sha256]));
  let t0 = performance.now();
  const v = await repo.insertCandidate(
    { kind: 'LIGHTGCN', artifactDir: '/nonexistent', runId: null, snapshotStats: null, hyperparameters: null, metrics: null, checksums },
    files,
  );
  const registerMs = performance.now() - t0;
  const root = mkdtempSync(join(tmpdir(), 'bench-artifact-cache-'));
  const cache = new ArtifactCache(root, repo);
  t0 = performance.now();
  await cache.resolve(v);
  const fetchVerifyMs = performance.now() - t0;
  t0 = performance.now();
  await cache.resolve(v);
  const cachedVerifyMs = performance.now() - t0;
  rmSync(root, { recursive: true, force: true });
  rmSync(run, { recursive: true, force: true });
  await ds.destroy();
  return { registerMs: Math.round(registerMs), fetchVerifyMs: Math.round(fetchVerifyMs), cachedVerifyMs: Math.round(cachedVerifyMs) };
}

async function main() {
  const i = process.argv.indexOf('--runs');
  const runs = i > 0 ? Number(process.argv[i + 1]) : 2;
  const bytes = Object.values(SIZES).reduce((a, b) => a + b, 0);
  const dir = mkdtempSync(join(tmpdir(), 'bench-artifacts-'));
  const out: Record<string, unknown> = { bytes, files: Object.keys(SIZES).length };
  try {
    const targets: Array<[string, Record<string, string>]> = [['sqlite', { DATABASE_SQLITE_PATH: join(dir, 'registry.sqlite') }]];
    if (process.env.BENCH_DATABASE_URL) targets.push(['postgres', { DATABASE_URL: process.env.BENCH_DATABASE_URL }]);
    for (const [name, env] of targets) {
      const all = [];
      for (let r = 0; r < runs; r++) all.push(await once(env));
      out[name] = all;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify(out));
}

void main();
