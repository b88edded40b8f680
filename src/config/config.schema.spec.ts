import { ConfigError, loadConfig } from './config.schema';

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

  it('turns rate limits on by default, except under NODE_ENV=test unless asked', () => {
    expect(loadConfig({}).RATE_LIMIT_ENABLED).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).RATE_LIMIT_ENABLED).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', RATE_LIMIT_ENABLED: 'true' }).RATE_LIMIT_ENABLED).toBe(true);
    expect(loadConfig({ RATE_LIMIT_ENABLED: 'false' }).RATE_LIMIT_ENABLED).toBe(false);
    expect(() => loadConfig({ RATE_LIMIT_READS: '0' })).toThrow(/RATE_LIMIT_READS/);
  });
});
