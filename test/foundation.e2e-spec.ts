import { Driver } from 'neo4j-driver';
import { hashSecret } from '../src/auth/api-keys';
import { cleanup, testDriver } from './support/graph';
import { startApp, TestApp, testPrefix } from './support/app';

describe('foundation: the app on real Neo4j, Redis and SQL', () => {
  let t: TestApp;
  let driver: Driver;
  const p = testPrefix('foundation');

  beforeAll(async () => {
    t = await startApp();
    driver = testDriver();
  });
  afterAll(async () => {
    await cleanup(driver, p);
    await driver.close();
    await t.close();
  });

  it('is live and ready with every dependency checked', async () => {
    expect((await t.get('/health/live')).status).toBe(200);
    const ready = await t.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.neo4j).toMatchObject({ ok: true, status: 'ok', code: 'OK' });
    expect(ready.body.checks.redis.ok).toBe(true);
    expect(ready.body.checks.sql.ok).toBe(true);
    expect(ready.body.checks.model).toMatchObject({ ok: true, detail: { active: null } });
  });

  it('a client mistake found before execution is a 400 with its code, never a 500', async () => {
    const badVariable = await t.post('query($m: ServingModelChoice!) { recommendations(userId: "u", model: $m) { path } }', { m: 'BOGUS' });
    expect(badVariable.status).toBe(400);
    expect(badVariable.body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
    // over 50 bad values: graphql-js adds "Too many errors processing variables" without a code (was INTERNAL)
    const manyBad = await t.post('mutation($p: [FriendshipInput!]!) { addFriendships(pairs: $p) { created } }', {
      p: Array(60).fill(true),
    });
    expect(manyBad.status).toBe(400);
    expect(manyBad.body.errors!.map((e) => e.extensions!.code)).toEqual(Array(51).fill('BAD_USER_INPUT'));
    const fields = Array.from({ length: 30 }, (_, i) => `a${i}: recommendations(userId: "u", first: 200) { edges { node { id title } } }`);
    const tooComplex = await t.post(`{ ${fields.join(' ')} }`);
    expect(tooComplex.status).toBe(400);
    expect(tooComplex.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COMPLEX', maxCost: 5000 });
  });

  it('a body refused before GraphQL (bad JSON, a __proto__ key, a wrong content type) answers in the GraphQL error shape', async () => {
    const raw = async (body: string, contentType = 'application/json') => {
      const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': contentType }, body });
      return {
        status: res.status,
        type: res.headers.get('content-type'),
        body: (await res.json()) as { errors: Array<{ message: string; extensions: unknown }> },
      };
    };
    for (const [body, contentType, status] of [
      ['{"query": "{ __typename }", "variables": {"__proto__": {"admin": true}}}', 'application/json', 400],
      ['{"query": "{ __typename }", "variables": {"constructor": {"prototype": {"admin": true}}}}', 'application/json', 400],
      ['{"query": "{ __typename }"', 'application/json', 400],
      ['query { __typename }', 'application/xml', 415],
    ] as const) {
      const res = await raw(body, contentType);
      expect(res.status).toBe(status);
      expect(res.type).toMatch(/^application\/json/);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_REQUEST_BODY' });
    }
    // nothing polluted, and the same app still answers
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect((await t.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it('reports a dependency that is down as a stable code, with no error text, stack or host in the answer', async () => {
    const down = await startApp({ NEO4J_URI: 'bolt://127.0.0.1:1', REDIS_PORT: '1' });
    try {
      const ready = await down.get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.status).toBe('unavailable');
      for (const name of ['neo4j', 'redis']) {
        expect(ready.body.checks[name]).toEqual({
          ok: false,
          status: 'down',
          code: expect.stringMatching(/^(UNAVAILABLE|TIMEOUT)$/),
          latencyMs: expect.any(Number),
        });
      }
      expect(ready.body.checks.sql).toMatchObject({ ok: true, status: 'ok', code: 'OK' });
      const text = JSON.stringify(ready.body);
      for (const leak of ['127.0.0.1', 'ECONNREFUSED', 'connect', 'Error', 'error', ' at ', 'bolt:', 'timed out']) {
        expect(text).not.toContain(leak);
      }
    } finally {
      await down.close();
    }
  });

  it('writes a node through GraphQL and reads it back from Neo4j', async () => {
    const id = `${p}alice`;
    const write = await t.gql(`mutation($u: [UserInput!]!) { upsertUsers(users: $u) { id name attributes } }`, {
      u: [{ id, name: 'Alice', attributes: { country: 'NZ' } }],
    });
    expect(write.errors).toBeUndefined();
    expect(write.data!.upsertUsers).toEqual([{ id, name: 'Alice', attributes: { country: 'NZ' } }]);

    const read = await t.gql(`query($id: ID!) { user(id: $id) { id name attributes createdAt } }`, { id });
    expect(read.data!.user).toMatchObject({ id, name: 'Alice', attributes: { country: 'NZ' } });
    const { records } = await driver.executeQuery('MATCH (u:User {id: $id}) RETURN u.name AS name', { id });
    expect(records.map((r) => r.get('name'))).toEqual(['Alice']);
  });

  it('answers NOT_FOUND with a stable reason for an unknown user', async () => {
    const res = await t.gql(`query { user(id: "${p}nobody") { id } }`);
    expect(res.errors![0].extensions).toEqual({ code: 'NOT_FOUND', reason: 'USER_NOT_FOUND' });
  });

  it('pins the validation error shape: code, reason, and the field with why', async () => {
    const res = await t.gql(`mutation { upsertUsers(users: [{ id: "" }]) { id } }`);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'VALIDATION_FAILED',
      details: expect.arrayContaining([expect.objectContaining({ field: 'users[0].id', message: expect.any(String) })]),
    });
  });

  it('registers the model registry table through migrations', async () => {
    const res = await t.gql(`query { modelVersions { id } activeModel { id } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ modelVersions: [], activeModel: null });
  });

  it('serves the bundled GraphiQL as the landing page of /graphql, with no CDN', async () => {
    const page = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('TasteGraph GraphiQL');
    expect(html).not.toMatch(/https?:\/\//);
    for (const [file, type] of [
      ['graphiql.min.js', 'javascript'],
      ['graphiql.min.css', 'css'],
      ['react.production.min.js', 'javascript'],
      ['react-dom.production.min.js', 'javascript'],
    ]) {
      const res = await fetch(`${t.url}/graphiql/assets/${file}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    expect((await fetch(`${t.url}/graphiql/assets/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${t.url}/graphiql/assets/secret.js`)).status).toBe(404);
  });

  it('asks for an API key when API_KEYS is set (the admin token passes too); health and GraphiQL stay open', async () => {
    const key = (name: string, secret: string) => `${name}:read:${hashSecret(secret).toString('hex')}`;
    const locked = await startApp({ API_KEYS: `${key('one', 'key-one')},${key('two', 'key-two')}`, ADMIN_TOKEN: 'admin-secret-1' });
    try {
      const q = `query { graphStats { nodes { name count } } }`;
      expect((await locked.gql(q)).errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'API_KEY_REQUIRED' });
      expect((await locked.gql(q, {}, { 'x-api-key': 'nope' })).errors![0].extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'API_KEY_INVALID',
      });
      expect((await locked.gql(q, {}, { 'x-api-key': 'key-two' })).errors).toBeUndefined();
      expect((await locked.gql(q, {}, { authorization: 'Bearer admin-secret-1' })).errors).toBeUndefined();
      expect((await locked.gql(`mutation { upsertUsers(users: [{id: "${'x'}"}]) { id } }`)).errors![0].extensions!.code).toBe(
        'UNAUTHENTICATED',
      );
      expect((await locked.get('/health/live')).status).toBe(200);
      expect((await fetch(`${locked.url}/graphql`, { headers: { accept: 'text/html' } })).status).toBe(200);
    } finally {
      await locked.close();
    }
  });
});
