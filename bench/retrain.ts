/**
 * Retrain benchmark (`npm run bench -- retrain [--model LIGHTGCN|SOCIALGCN] [--max-minutes 4]`):
 * the end-to-end retrain time on lastfm (snapshot export from Neo4j, training on the CPU, artefact
 * validation and registration, promotion with the hot swap, attention written back), driven the way
 * an admin drives it: `startRetraining` over GraphQL, then polling `trainingRun` until it finishes.
 * Runs on its own Neo4j (bolt 27690, http 27477) and Redis (26390), lastfm imported when missing,
 * a fresh SQLite registry per run, both stopped at the end (also after a failure or Ctrl-C). When
 * the trainer's torch sees a GPU the same run is repeated on it.
 * Ends with one JSON line (bench/lib/report.ts). Target: ≤ 6 minutes on the CPU.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/config.schema';
import { emit } from './lib/report';
import { BenchServices, ensureLastfm, ROOT } from './lib/services';

const BOLT = process.env.BENCH_RETRAIN_BOLT_PORT ?? '27690';
const HTTP = process.env.BENCH_RETRAIN_HTTP_PORT ?? '27477';
const REDIS_PORT = process.env.BENCH_RETRAIN_REDIS_PORT ?? '26390';
const URI = `bolt://127.0.0.1:${BOLT}`;
const ADMIN = `bench-${Math.random().toString(36).slice(2)}`;
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const MODEL = (arg('--model') ?? 'LIGHTGCN').toUpperCase();
const MAX_MINUTES = Number(arg('--max-minutes') ?? 4);
const PYTHON = process.env.TRAINER_PYTHON ?? join(ROOT, 'models/.venv/bin/python');

const log = (msg: string) => process.stderr.write(`[bench retrain] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Run {
  id: string;
  status: string;
  stage: string | null;
  progress: number;
  currentEpoch: number | null;
  failureReason: string | null;
  metrics: { validation: Array<{ name: string; value: number }> } | null;
  timings: { all: Record<string, number> } | null;
  createdAt: string;
  finishedAt: string | null;
  promoted: boolean | null;
}

function gpuAvailable(): boolean {
  try {
    return execFileSync(PYTHON, ['-c', 'import torch; print(torch.cuda.is_available())'], { encoding: 'utf8' }).trim() === 'True';
  } catch {
    return false;
  }
}

/** One retrain through a fresh app (fresh registry), timed from the mutation to the finished run. */
async function retrain(device: 'cpu' | 'cuda'): Promise<Record<string, unknown>> {
  const runs = join(ROOT, 'var', 'bench-retrain');
  rmSync(runs, { recursive: true, force: true });
  mkdirSync(runs, { recursive: true });
  const app = await createApp(
    loadConfig({
      ...process.env,
      NEO4J_URI: URI,
      NEO4J_PASSWORD: '',
      REDIS_PORT,
      REDIS_PREFIX: `bench-retrain-${Date.now()}`,
      DATABASE_SQLITE_PATH: ':memory:',
      TRAINER_WORKER: 'true',
      TRAINER_DEVICE: device,
      TRAINER_RUNS_DIR: runs,
      TRAINING_ID_PREFIX: 'lastfm:',
      RETRAIN_CRON: '',
      ADMIN_TOKEN: ADMIN,
      LOG_LEVEL: 'warn',
    }),
  );
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/graphql`;
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const FIELDS =
    'id status stage progress currentEpoch failureReason metrics { validation { name value } } timings { all } createdAt finishedAt promoted';
  try {
    const t0 = performance.now();
    const started = (
      await gql(`mutation($m: ModelKind!, $p: TrainingParamsInput) { startRetraining(model: $m, params: $p) { ${FIELDS} } }`, {
        m: MODEL,
        p: { maxMinutes: MAX_MINUTES },
      })
    ).startRetraining as Run;
    let run = started;
    let shown = '';
    while (!['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status)) {
      await sleep(1000);
      run = (await gql(`query($id: ID!) { trainingRun(id: $id) { ${FIELDS} } }`, { id: started.id })).trainingRun as Run;
      const line = `${run.status} ${run.stage ?? ''} ${run.progress.toFixed(0)}%${run.currentEpoch ? ` epoch ${run.currentEpoch}` : ''}`;
      if (line !== shown) log(`${device}: ${line}`);
      shown = line;
    }
    const wallS = (performance.now() - t0) / 1000;
    if (run.status !== 'SUCCEEDED') throw new Error(`run ${run.id} ${run.status}: ${run.failureReason}`);
    const active = (await gql('query { activeModel { id } }')).activeModel as { id: string } | null;
    return {
      end_to_end_s: +wallS.toFixed(1),
      stages_s: run.timings?.all ?? null,
      validation_recall20: run.metrics?.validation.find((m) => m.name === 'recall@20')?.value ?? null,
      promoted_and_serving: Boolean(run.promoted && active),
    };
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const svc = new BenchServices(log);
  svc.start('neo4j', { NEO4J_BOLT_PORT: BOLT, NEO4J_HTTP_PORT: HTTP });
  svc.start('redis', { REDIS_PORT });
  let cpu: Record<string, unknown>;
  let gpu: Record<string, unknown> | null;
  const load = loadavg()[0];
  try {
    const driver = neo4j.driver(URI);
    try {
      await ensureLastfm(driver, URI, log);
    } finally {
      await driver.close();
    }
    log(`${MODEL} on lastfm, trainer budget ${MAX_MINUTES} min, load average ${load.toFixed(2)}`);
    cpu = await retrain('cpu');
    log(`cpu: ${JSON.stringify(cpu)}`);
    gpu = gpuAvailable() ? await retrain('cuda') : null;
    if (gpu) log(`gpu: ${JSON.stringify(gpu)}`);
  } finally {
    svc.stopAll();
  }
  emit('retrain', {
    model: MODEL,
    dataset: 'lastfm',
    max_minutes: MAX_MINUTES,
    cpu,
    gpu: gpu ?? 'no GPU visible to the trainer',
    target_cpu_s: 360,
    cpu_target_met: (cpu.end_to_end_s as number) <= 360,
    load_avg_1m_at_start: +load.toFixed(2),
  });
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    log(`failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
