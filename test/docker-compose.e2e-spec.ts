import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configVariableNames } from '../src/config/config.schema';

/** docker-compose.yml cannot run here; this keeps it consistent with the app's config schema. */
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(__dirname, '..', 'docker-compose.yml'), 'utf8'), { merge: true });
  const known = new Set(configVariableNames());

  it.each(['api', 'trainer'])('%s sets only variables the app reads, and the essential ones', (name) => {
    const env = Object.keys(compose.services[name].environment);
    expect(env.filter((k) => !known.has(k))).toEqual([]);
    expect(env).toEqual(expect.arrayContaining(['NEO4J_URI', 'NEO4J_PASSWORD', 'REDIS_HOST', 'REDIS_PORT', 'DATABASE_URL', 'ADMIN_TOKEN']));
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
