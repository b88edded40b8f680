import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { startApp, TestApp } from './support/app';

/**
 * Stops Neo4j under a running app and starts it again. Uses its own Neo4j instance (other ports)
 * so the shared test instance is never interrupted.
 */
const BOLT = process.env.OUTAGE_NEO4J_BOLT_PORT ?? '37687';
const HTTP = process.env.OUTAGE_NEO4J_HTTP_PORT ?? '37474';
// Async, so the app in this process keeps serving while the script runs.
const services = (cmd: 'start' | 'stop') =>
  promisify(execFile)('bash', [join(__dirname, '..', 'scripts', 'services.sh'), cmd, 'neo4j'], {
    env: { ...process.env, NEO4J_BOLT_PORT: BOLT, NEO4J_HTTP_PORT: HTTP, NEO4J_PASSWORD: '', NEO4J_HEAP: '512m' },
    timeout: 240_000,
  });

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await fn();
  while (!ok(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    last = await fn();
  }
  return last;
}

describe('Neo4j outage: readiness turns red, GraphQL says UNAVAILABLE, the app recovers without restart', () => {
  let t: TestApp;
  beforeAll(async () => {
    await services('start');
    t = await startApp({ NEO4J_URI: `bolt://127.0.0.1:${BOLT}` });
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    await services('stop');
  }, 120_000);

  it('goes red and comes back', async () => {
    const q = `query { user(id: "outage-probe") { id } }`;
    expect((await t.get('/health/ready')).status).toBe(200);
    expect((await t.gql(q)).errors![0].extensions!.code).toBe('NOT_FOUND');

    await services('stop');
    const down = await t.get('/health/ready');
    expect(down.status).toBe(503);
    expect(down.body.checks.neo4j.ok).toBe(false);
    expect(down.body.checks.redis.ok).toBe(true);
    const res = await t.gql(q);
    expect(res.errors![0].extensions).toMatchObject({ code: 'UNAVAILABLE', reason: 'GRAPH_UNAVAILABLE' });

    await services('start');
    const up = await eventually(
      () => t.get('/health/ready'),
      (r) => r.status === 200,
    );
    expect(up.status).toBe(200);
    const again = await eventually(
      () => t.gql(q),
      (r) => r.errors?.[0]?.extensions?.code === 'NOT_FOUND',
    );
    expect(again.errors![0].extensions!.code).toBe('NOT_FOUND');
  }, 300_000);
});
