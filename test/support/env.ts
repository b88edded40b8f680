import 'reflect-metadata';
import { resolve } from 'node:path';

/** Test-instance defaults; scripts/test.sh exports the same values after starting the services. */
const defaults: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  NEO4J_BOLT_PORT: '17687',
  NEO4J_HTTP_PORT: '17474',
  REDIS_PORT: '16379',
  // The test PostgreSQL (test/registry-postgres.e2e-spec.ts); every other test keeps SQLite in memory.
  PG_PORT: '15432',
  DATABASE_SQLITE_PATH: ':memory:',
  RETRAIN_CRON: '',
  // Only test files about training run a queue worker (they pass TRAINER_WORKER=true to startApp).
  TRAINER_WORKER: 'false',
  TRAINER_RUNS_DIR: 'var/test-runs',
  TASTEGRAPH_DATASETS: resolve(__dirname, '..', '..', '..', 'shared', 'datasets'),
};
for (const [k, v] of Object.entries(defaults)) if (process.env[k] === undefined) process.env[k] = v;
process.env.NEO4J_URI ??= `bolt://127.0.0.1:${process.env.NEO4J_BOLT_PORT}`;
// Each test file gets its own queue namespace in Redis, so no file sees another's jobs.
process.env.REDIS_PREFIX = `tgtest-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
