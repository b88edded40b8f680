import { ConfigError, isLoopback, loadConfig } from './config.schema';

describe('loadConfig', () => {
  it('gives working defaults for a bare environment', () => {
    const c = loadConfig({});
    expect(c.NEO4J_URI).toBe('bolt://127.0.0.1:7687');
    expect(c.PORT).toBe(4000);
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('names the wrong variable and says why', () => {
    expect(() => loadConfig({ NEO4J_URI: 'http://x', PORT: '99999' })).toThrow(ConfigError);
    try {
      loadConfig({ NEO4J_URI: 'http://x', PORT: '99999' });
    } catch (e) {
      expect((e as Error).message).toMatch(/NEO4J_URI: must be a bolt:\/\/ or neo4j:\/\/ URI/);
      expect((e as Error).message).toMatch(/PORT:/);
    }
  });

  it('rejects a malformed event-weight table', () => {
    expect(() => loadConfig({ INGEST_EVENT_WEIGHTS: 'view=1' })).toThrow(/INGEST_EVENT_WEIGHTS: must look like VIEW=1,LIKE=3,RATING=value/);
    expect(() => loadConfig({ INGEST_EVENT_WEIGHTS: 'VIEW=1, LIKE=3' })).toThrow(/INGEST_EVENT_WEIGHTS: must look like/);
    expect(() => loadConfig({ INGEST_EVENT_WEIGHTS: 'VIEW=1,LIKE=3,VIEW=2' })).toThrow(/INGEST_EVENT_WEIGHTS: type VIEW listed twice/);
    expect(loadConfig({ INGEST_EVENT_WEIGHTS: 'VIEW=1,RATING=value' }).INGEST_EVENT_WEIGHTS).toBe('VIEW=1,RATING=value');
  });

  it('switches to PostgreSQL only for a postgres URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@h:5432/db' }).DATABASE_URL).toBe('postgres://u:p@h:5432/db');
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });

  it('refuses an exposed HOST without API keys unless open access is said to be intended', () => {
    const hash = 'a'.repeat(64);
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(
      /API_KEYS_FILE: HOST 0\.0\.0\.0 is reachable from other machines and no API keys are configured: set API_KEYS_FILE \(or API_KEYS\), or API_OPEN_ACCESS=true/,
    );
    expect(loadConfig({ HOST: '0.0.0.0', API_OPEN_ACCESS: 'true' }).API_OPEN_ACCESS).toBe(true);
    expect(loadConfig({ HOST: '0.0.0.0', API_KEYS_FILE: '/run/secrets/api_keys' }).API_KEYS_FILE).toBe('/run/secrets/api_keys');
    expect(loadConfig({ HOST: '::', API_KEYS: `web:read:${hash}` }).API_KEYS).toBe(`web:read:${hash}`);
    expect(loadConfig({}).HOST).toBe('127.0.0.1'); // the demo and the tests: loopback, open
    expect(() => loadConfig({ API_KEYS: `web:read:${hash}`, API_KEYS_FILE: '/k' })).toThrow(
      /API_KEYS_FILE: set API_KEYS or API_KEYS_FILE, not both/,
    );
    expect(() => loadConfig({ API_KEYS_FILE: '/k', API_OPEN_ACCESS: 'true' })).toThrow(
      /API_OPEN_ACCESS: is true while API keys are configured/,
    );
    expect(() => loadConfig({ API_KEYS: 'key-one,key-two' })).toThrow(/API_KEYS: entry 1: must look like name:read\+write:<sha256/);
  });

  it('tells loopback hosts from exposed ones', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1'])
      expect([h, isLoopback(h)]).toEqual([h, true]);
    for (const h of ['0.0.0.0', '::', '10.0.0.5', 'api.example.com', '127.0.0.1.example.com', '1270.0.0.1'])
      expect([h, isLoopback(h)]).toEqual([h, false]);
  });

  it('turns GraphiQL and introspection off in production unless asked for', () => {
    expect(loadConfig({})).toMatchObject({ GRAPHQL_GRAPHIQL: true, GRAPHQL_INTROSPECTION: true });
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ GRAPHQL_GRAPHIQL: false, GRAPHQL_INTROSPECTION: false });
    expect(loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' })).toMatchObject({
      GRAPHQL_GRAPHIQL: false,
      GRAPHQL_INTROSPECTION: true,
    });
    expect(loadConfig({ GRAPHQL_GRAPHIQL: 'false' }).GRAPHQL_GRAPHIQL).toBe(false);
  });

  it('turns rate limits on by default, except under NODE_ENV=test unless asked', () => {
    expect(loadConfig({}).RATE_LIMIT_ENABLED).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).RATE_LIMIT_ENABLED).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', RATE_LIMIT_ENABLED: 'true' }).RATE_LIMIT_ENABLED).toBe(true);
    expect(loadConfig({ RATE_LIMIT_ENABLED: 'false' }).RATE_LIMIT_ENABLED).toBe(false);
    expect(() => loadConfig({ RATE_LIMIT_READS: '0' })).toThrow(/RATE_LIMIT_READS/);
  });
});
