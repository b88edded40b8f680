import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue, Worker } from 'bullmq';
import { Driver } from 'neo4j-driver';
import { Neo4jClient } from '../src/graph/neo4j.client';
import { TRAINING_QUEUE } from '../src/training/queue.constants';
import { startApp, TestApp, testPrefix } from './support/app';
import { cleanup, testDriver } from './support/graph';

/**
 * What a replica does without Redis, the retraining schedule across processes, and the Neo4j
 * bookmarks that carry causal consistency between them. Uses its own Redis (another port), so the
 * shared test instance is never interrupted. The schedule's processes are two apps in this process:
 * each has its own Redis connections, which is all BullMQ's scheduler sees (test/replicas.e2e-spec.ts
 * runs separate OS processes).
 */
const REDIS = process.env.FAULTS_REDIS_PORT ?? '36379';
const redis = (cmd: 'start' | 'stop') =>
  promisify(execFile)('bash', [join(__dirname, '..', 'scripts', 'services.sh'), cmd, 'redis'], {
    env: { ...process.env, REDIS_PORT: REDIS },
    timeout: 60_000,
  });

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await fn();
  while (!ok(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    last = await fn();
  }
  return last;
}

describe('replica faults: no Redis, the schedule across processes, bookmarks', () => {
  let driver: Driver;
  const apps: TestApp[] = [];
  const p = testPrefix('faults');
  beforeAll(async () => {
    driver = testDriver();
    await redis('stop');
  }, 120_000);
  afterAll(async () => {
    for (const t of apps) await t.close();
    await redis('stop');
    await cleanup(driver, p);
    await driver.close();
  }, 120_000);

  it('without Redis at start-up: serves from Neo4j, says so on /health/ready, and the schedule and the feed come back by themselves', async () => {
    const t = await startApp({ REDIS_PORT: REDIS, RETRAIN_CRON: '0 3 * * *' });
    const ready = await t.get('/health/ready');
    expect(ready.body.checks.redis.ok).toBe(false);
    expect(ready.body.checks.changeFeed).toMatchObject({ ok: false, detail: { relayed: false, maxStaleMs: 2_000 } });
    const users = await t.gql(`mutation($u: [UserInput!]!) { upsertUsers(users: $u) { id } }`, { u: [{ id: `${p}u1` }] });
    expect(users.errors).toBeUndefined();
    const recs = await t.gql(`query($u: ID!) { recommendations(userId: $u) { path } }`, { u: `${p}u1` });
    expect(recs.errors).toBeUndefined();

    await redis('start');
    const back = await eventually(
      () => t.get('/health/ready'),
      (r) => r.body.checks.changeFeed.ok === true,
    );
    expect(back.body.checks.changeFeed).toMatchObject({ ok: true, detail: { relayed: true, maxStaleMs: null } });
    const queue = t.app.get<Queue>(getQueueToken(TRAINING_QUEUE));
    const schedulers = await eventually(
      () => queue.getJobSchedulers(),
      (s) => s.length === 1,
    );
    expect(schedulers.map((s) => s.pattern)).toEqual(['0 3 * * *']);
    await t.close(); // its retries, had one been left, would set its pattern again under the next test
  }, 60_000);

  it('two processes with the same RETRAIN_CRON: one job per tick', async () => {
    await redis('start'); // idempotent (up since the test before)
    const every = { REDIS_PORT: REDIS, RETRAIN_CRON: '* * * * * *' }; // each second
    const [a, b] = [await startApp(every), await startApp(every)];
    apps.push(a, b);
    const queue = a.app.get<Queue>(getQueueToken(TRAINING_QUEUE));
    expect(await queue.getJobSchedulers()).toHaveLength(1);
    // A consumer that only counts (no trainer): the scheduler adds each tick's job as the last one is taken.
    const ticks: string[] = [];
    const counter = new Worker(queue.name, async (job) => void ticks.push(`${job.id}`), {
      prefix: process.env.REDIS_PREFIX,
      connection: { host: '127.0.0.1', port: Number(REDIS) },
    });
    await new Promise((r) => setTimeout(r, 4_500));
    await counter.close();
    await queue.removeJobScheduler('scheduled-retrain');
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.length).toBeLessThanOrEqual(6);
    // a scheduled job's id ends with its tick's time: no tick twice
    const tickTimes = ticks.map((id) => id.split(':').pop());
    expect(new Set(tickTimes).size).toBe(ticks.length);
  }, 60_000);

  it('Neo4j bookmarks flow: a write leaves one, and another process can wait for it', async () => {
    const [a, b] = apps.slice(-2);
    const res = await a.gql(`mutation($u: [UserInput!]!) { upsertUsers(users: $u) { id } }`, { u: [{ id: `${p}u2`, name: 'two' }] });
    expect(res.errors).toBeUndefined();
    const bookmarks = await a.app.get(Neo4jClient).lastBookmarks();
    expect(bookmarks.length).toBeGreaterThan(0);
    await b.app.get(Neo4jClient).follow(bookmarks);
    expect(await b.app.get(Neo4jClient).lastBookmarks()).toEqual(expect.arrayContaining(bookmarks));
    const user = await b.gql(`query($id: ID!) { user(id: $id) { name } }`, { id: `${p}u2` });
    expect(user.data).toEqual({ user: { name: 'two' } });
  });
});
