import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configVariableNames, loadConfig } from '../src/config/config.schema';

/** docker-compose.yml cannot run here; this keeps it consistent with the app's config schema. */
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(__dirname, '..', 'docker-compose.yml'), 'utf8'), { merge: true });
  const known = new Set(configVariableNames());

  it.each(['api', 'trainer'])('%s sets only variables the app reads, and the essential ones', (name) => {
    const env = Object.keys(compose.services[name].environment);
    expect(env.filter((k) => !known.has(k))).toEqual([]);
    expect(env).toEqual(
      expect.arrayContaining(['NEO4J_URI', 'NEO4J_PASSWORD', 'REDIS_HOST', 'REDIS_PORT', 'DATABASE_URL', 'ADMIN_TOKEN', 'API_KEYS_FILE']),
    );
  });

  it.each(['api', 'trainer'])('%s listens beyond loopback only with app keys from a required secret file, none in the repo', (name) => {
    const svc = compose.services[name];
    // The environment as compose hands it over: `${X:-d}` gives d, a required `${X:?why}` some value.
    const env: Record<string, string> = Object.fromEntries(
      Object.entries(svc.environment as Record<string, string>).map(([k, v]) => [
        k,
        String(v)
          .replace(/\$\{\w+:-([^}]*)\}/g, '$1')
          .replace(/\$\{\w+:\?[^}]*\}/g, 'set-by-you'),
      ]),
    );
    expect(env.HOST).toBe('0.0.0.0');
    expect(env.API_KEYS_FILE).toBe('/run/secrets/api_keys');
    expect(env).not.toHaveProperty('API_KEYS');
    expect(env).not.toHaveProperty('API_OPEN_ACCESS');
    expect(svc.secrets).toContain('api_keys');
    expect(compose.secrets.api_keys.file).toMatch(/^\$\{API_KEYS_FILE:\?/);
    expect(() => loadConfig(env)).not.toThrow();
    const withoutKeys = { ...env };
    delete withoutKeys.API_KEYS_FILE;
    expect(() => loadConfig(withoutKeys)).toThrow(/API_KEYS_FILE: HOST 0\.0\.0\.0 is reachable from other machines/);
  });

  it('runs Neo4j 5.26 Community with Browser on 7474, Redis and PostgreSQL, and reserves a GPU for the trainer', () => {
    expect(compose.services.neo4j.image).toBe('neo4j:5.26-community');
    expect(compose.services.neo4j.ports.join(' ')).toMatch(/7474:7474/);
    expect(compose.services.redis.image).toMatch(/^redis:/);
    expect(compose.services.postgres.image).toMatch(/^postgres:/);
    expect(compose.services.trainer.deploy.resources.reservations.devices[0].capabilities).toContain('gpu');
  });

  it('points the API at the compose services', () => {
    const env = compose.services.api.environment;
    expect(env.NEO4J_URI).toBe('bolt://neo4j:7687');
    expect(env.TRAINER_WORKER).toBe('false');
    expect(compose.services.trainer.environment.TRAINER_WORKER).toBe('true');
    expect(env.REDIS_HOST).toBe('redis');
    expect(env.DATABASE_URL).toMatch(/@postgres:5432\//);
  });
});
