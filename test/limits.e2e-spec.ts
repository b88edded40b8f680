import { Driver } from 'neo4j-driver';
import { hashSecret } from '../src/auth/api-keys';
import { cleanup, testDriver } from './support/graph';
import { startApp, TestApp, testPrefix } from './support/app';

/** Abuse limits (docs/limits.md) on the real app: cost, shape, rate limits across replicas, deadlines, Neo4j timeouts. */
describe('limits', () => {
  const p = testPrefix('limits');
  let driver: Driver;
  beforeAll(() => {
    driver = testDriver();
  });
  afterAll(async () => {
    await cleanup(driver, p);
    await driver.close();
  });

  describe('query shape and cost', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp();
      const users = Array.from({ length: 3 }, (_, k) => ({ id: `${p}u${k}` }));
      await t.gql(`mutation($u: [UserInput!]!) { upsertUsers(users: $u) { id } }`, { u: users });
      await t.gql(`mutation($e: [InteractionInput!]!) { recordInteractions(events: $e, createMissing: true) { events } }`, {
        e: users.flatMap((u) => [0, 1, 2].map((i) => ({ userId: u.id, itemId: `${p}i${i}`, type: 'LIKE' }))),
      });
    });
    afterAll(() => t.close());

    it("refuses the issue's 20 aliased sampleNeighborhood(fanouts: [50, 50, 50]) before anything runs", async () => {
      const issue = `query { ${Array.from(
        { length: 20 },
        (_, k) =>
          `s${k}: sampleNeighborhood(seedId: "${p}u0", fanouts: [50, 50, 50]) { seedId hops { hop fanout neighbors { nodeId kind weight parentId edge } } }`,
      ).join(' ')} }`;
      const rssBefore = process.memoryUsage().rss;
      const res = await t.post(issue);
      const rssAfter = process.memoryUsage().rss;
      expect(res.status).toBe(400);
      expect(res.body.data).toBeUndefined();
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COMPLEX', maxCost: 5_000 });
      expect(res.body.errors![0].extensions!.cost).toBeGreaterThan(20 * 127_550);
      process.stdout.write(
        `issue query: HTTP ${res.status}, RSS ${(rssBefore / 2 ** 20).toFixed(0)} -> ${(rssAfter / 2 ** 20).toFixed(0)} MB\n`,
      );

      // one of them alone, at the default fan-outs, is answered
      const one = await t.post(`query($s: ID!) { sampleNeighborhood(seedId: $s) { hops { neighbors { nodeId } } } }`, { s: `${p}u0` });
      expect(one.body.errors).toBeUndefined();
      expect(one.body.data.sampleNeighborhood.hops[0].neighbors).toHaveLength(3);
    });

    it('answers QUERY_TOO_DEEP and TOO_MANY_ALIASES with HTTP 400', async () => {
      const deep = await t.post(
        '{ user(id: "u") { friends { edges { node { user { friends { edges { node { user { friends { totalCount } } } } } } } } } } }',
      );
      expect(deep.status).toBe(400);
      expect(deep.body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_DEEP' });
      const aliases = await t.post(`{ ${Array.from({ length: 31 }, (_, k) => `a${k}: graphStats { nodes { name } }`).join(' ')} }`);
      expect(aliases.status).toBe(400);
      expect(aliases.body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'TOO_MANY_ALIASES' });
    });

    it('still answers a batch over its size with BATCH_TOO_LARGE, and a missing variable as before', async () => {
      const e = Array.from({ length: 10_001 }, () => ({ userId: `${p}u0`, itemId: `${p}i0`, type: 'VIEW' }));
      const big = await t.post('mutation($e: [InteractionInput!]!) { recordInteractions(events: $e) { events } }', { e });
      expect(big.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'BATCH_TOO_LARGE' });
      const missing = await t.post('query($s: ID!) { sampleNeighborhood(seedId: $s) { seedId } }');
      expect(missing.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('rate limits', () => {
    const env = {
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_READS: '4',
      RATE_LIMIT_WRITES: '2',
      RATE_LIMIT_WINDOW_S: '60',
      // scoped app keys (docs/decisions/0018): the clients send the secrets key-a and key-b
      API_KEYS: ['a', 'b'].map((n) => `app-${n}:read+write+delete:${hashSecret(`key-${n}`).toString('hex')}`).join(','),
    };
    let a: TestApp;
    let b: TestApp;
    beforeAll(async () => {
      // two replicas on the same Redis (the test file's REDIS_PREFIX)
      a = await startApp(env);
      b = await startApp(env);
    });
    afterAll(async () => {
      await a.close();
      await b.close();
    });
    const read = (t: TestApp, key: string) => t.post('{ __typename }', {}, { 'x-api-key': key });

    it('shares one budget per key across replicas, reads apart from writes, and says when to retry', async () => {
      expect((await read(a, 'key-a')).status).toBe(200);
      expect((await read(b, 'key-a')).status).toBe(200);
      expect((await read(a, 'key-a')).status).toBe(200);
      expect((await read(b, 'key-a')).status).toBe(200);
      const limited = await read(a, 'key-a'); // the fifth read of key-a, on either replica
      expect(limited.status).toBe(429);
      expect(limited.body.errors![0].extensions).toMatchObject({ code: 'UNAVAILABLE', reason: 'RATE_LIMITED' });
      const retry = limited.body.errors![0].extensions!.retryAfterSeconds;
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(60);
      expect(limited.retryAfter).toBe(String(retry));
      expect((await read(b, 'key-a')).status).toBe(429);

      // another key has its own budget; writes have theirs
      expect((await read(b, 'key-b')).status).toBe(200);
      const write = await a.post('mutation { deleteUser(id: "nobody-here") { id } }', {}, { 'x-api-key': 'key-a' });
      expect(write.body.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    });

    it('keeps serving and limiting in memory while Redis cannot be reached', async () => {
      const c = await startApp({ ...env, REDIS_PORT: '1' }); // nothing listens there
      try {
        for (let k = 0; k < 4; k++) expect((await read(c, 'key-b')).status).toBe(200);
        const limited = await read(c, 'key-b');
        expect(limited.status).toBe(429);
        expect(limited.body.errors![0].extensions).toMatchObject({ reason: 'RATE_LIMITED' });
      } finally {
        await c.close();
      }
    });
  });

  describe('timeouts', () => {
    it('answers REQUEST_TIMEOUT for fields still running at the request deadline', async () => {
      const t = await startApp({ REQUEST_TIMEOUT_MS: '1' });
      try {
        const res = await t.post('{ graphStats { nodes { name count } } }');
        expect(res.body.errors![0].extensions).toEqual({ code: 'UNAVAILABLE', reason: 'REQUEST_TIMEOUT' });
      } finally {
        await t.close();
      }
    });

    it('ends a graph transaction at NEO4J_TX_TIMEOUT_MS with GRAPH_TIMEOUT', async () => {
      const t = await startApp({ NEO4J_TX_TIMEOUT_MS: '1000' });
      const id = `${p}locked`;
      await t.gql(`mutation($u: [UserInput!]!) { upsertUsers(users: $u) { id } }`, { u: [{ id }] });
      // another client holds the user's write lock: the API's write waits for it until its timeout
      const session = driver.session();
      const tx = session.beginTransaction();
      try {
        await tx.run('MATCH (u:User {id: $id}) SET u.name = "held" RETURN u.id', { id });
        const started = Date.now();
        const res = await t.post(`mutation($u: [UserInput!]!) { upsertUsers(users: $u) { id } }`, { u: [{ id, name: 'x' }] });
        expect(res.body.errors![0].extensions).toEqual({ code: 'UNAVAILABLE', reason: 'GRAPH_TIMEOUT' });
        expect(Date.now() - started).toBeGreaterThanOrEqual(900);
        expect(Date.now() - started).toBeLessThan(10_000);
      } finally {
        await tx.rollback();
        await session.close();
        await t.close();
      }
    });
  });
});
