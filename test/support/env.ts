import 'reflect-metadata';

/** Test-instance defaults; scripts/test.sh exports the same values after starting the services. */
const defaults: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  NEO4J_BOLT_PORT: '17687',
  NEO4J_HTTP_PORT: '17474',
  REDIS_PORT: '16379',
  DATABASE_SQLITE_PATH: ':memory:',
  RETRAIN_CRON: '',
};
for (const [k, v] of Object.entries(defaults)) if (process.env[k] === undefined) process.env[k] = v;
process.env.NEO4J_URI ??= `bolt://127.0.0.1:${process.env.NEO4J_BOLT_PORT}`;
