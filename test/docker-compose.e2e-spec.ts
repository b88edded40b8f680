import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configVariableNames, loadConfig } from '../src/config/config.schema';

/** docker-compose.yml cannot run here; this keeps it consistent with the app's config schema. */
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(__dirname, '..', 'docker-compose.yml'), 'utf8'), { merge: true });
  const known = new Set(configVariableNames());
  const apis = Object.keys(compose.services as Record<string, unknown>).filter((n) => /^api-\d+$/.test(n));
  const nginx = readFileSync(join(__dirname, '..', 'docker', 'nginx.conf'), 'utf8').replace(/#.*$/gm, '');

  it.each(['api-1', 'api-2', 'trainer'])('%s sets only variables the app reads, and the essential ones', (name) => {
    const env = Object.keys(compose.services[name].environment);
    expect(env.filter((k) => !known.has(k))).toEqual([]);
    expect(env).toEqual(
      expect.arrayContaining(['NEO4J_URI', 'NEO4J_PASSWORD', 'REDIS_HOST', 'REDIS_PORT', 'DATABASE_URL', 'ADMIN_TOKEN', 'API_KEYS_FILE']),
    );
  });

  it.each(['api-1', 'api-2', 'trainer'])(
    '%s listens beyond loopback only with app keys from a required secret file, none in the repo',
    (name) => {
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
    },
  );

  it('runs Neo4j 5.26 Community with Browser on 7474, Redis and PostgreSQL, and reserves a GPU for the trainer', () => {
    expect(compose.services.neo4j.image).toBe('neo4j:5.26-community');
    expect(compose.services.neo4j.ports.join(' ')).toMatch(/7474:7474/);
    expect(compose.services.redis.image).toMatch(/^redis:/);
    expect(compose.services.postgres.image).toMatch(/^postgres:/);
    expect(compose.services.trainer.deploy.resources.reservations.devices[0].capabilities).toContain('gpu');
  });

  it('points the API at the compose services', () => {
    const env = compose.services['api-1'].environment;
    expect(env.NEO4J_URI).toBe('bolt://neo4j:7687');
    expect(env.TRAINER_WORKER).toBe('false');
    expect(compose.services.trainer.environment.TRAINER_WORKER).toBe('true');
    expect(env.REDIS_HOST).toBe('redis');
    expect(env.DATABASE_URL).toMatch(/@postgres:5432\//);
  });

  it('runs identical API replicas that share no disk with the worker: artefacts come from the PostgreSQL registry', () => {
    expect(apis).toEqual(['api-1', 'api-2']);
    const trainer = compose.services.trainer;
    const mounts = (svc: { volumes?: string[] }) => (svc.volumes ?? []).map((v) => ({ source: v.split(':')[0], target: v.split(':')[1] }));
    for (const name of apis) {
      const svc = compose.services[name];
      expect(svc.build.target).toBe('api');
      expect(svc.environment).toEqual(compose.services['api-1'].environment);
      expect(svc.environment.TRAINER_WORKER).toBe('false');
      expect(svc.ports).toBeUndefined(); // only the load balancer is published
      expect(svc.environment.DATABASE_URL).toMatch(/^postgres:\/\//);
      // its own cache volume, at ARTIFACT_CACHE_DIR; no volume of the worker's
      expect(mounts(svc)).toEqual([{ source: `${name}-cache`, target: svc.environment.ARTIFACT_CACHE_DIR }]);
      expect(mounts(trainer).map((m) => m.source)).not.toContain(`${name}-cache`);
      expect(Object.keys(compose.volumes)).toContain(`${name}-cache`);
      expect(svc.healthcheck.test.join(' ')).toContain(`http://127.0.0.1:${svc.environment.PORT}/health/ready`);
    }
    expect(mounts(trainer).map((m) => m.target)).toContain(trainer.environment.TRAINER_RUNS_DIR);
  });

  it('puts an nginx load balancer in front of exactly the API replicas, on the ports they listen on', () => {
    const lb = compose.services.lb;
    expect(lb.image).toMatch(/^nginx:1\.\d+/);
    expect(lb.volumes).toContain('./docker/nginx.conf:/etc/nginx/nginx.conf:ro');
    const upstream = /upstream\s+(\w+)\s*\{([^}]*)\}/.exec(nginx);
    expect(upstream).not.toBeNull();
    const servers = [...upstream![2].matchAll(/^\s*server\s+([\w.-]+):(\d+)/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(servers).toEqual(apis.map((n) => `${n}:${compose.services[n].environment.PORT}`));
    expect(nginx).toMatch(new RegExp(`proxy_pass\\s+http://${upstream![1]};`));
    // the published port reaches nginx's listen port
    const listen = /^\s*listen\s+(\d+);/m.exec(nginx)![1];
    expect(lb.ports).toEqual([`127.0.0.1:4000:${listen}`]);
    expect(lb.healthcheck.test.join(' ')).toContain(`http://127.0.0.1:${listen}/health/ready`);
    expect(lb.depends_on).toEqual(Object.fromEntries(apis.map((n) => [n, { condition: 'service_healthy' }])));
  });

  it('offers Prometheus (scraping every replica and the worker on METRICS_PORT), Grafana and Jaeger as an optional profile', () => {
    for (const name of ['prometheus', 'grafana', 'jaeger']) expect(compose.services[name].profiles).toEqual(['observability']);
    const prom = parse(readFileSync(join(__dirname, '..', 'docker', 'prometheus.yml'), 'utf8'));
    const targets = (prom.scrape_configs as Array<{ static_configs: Array<{ targets: string[] }> }>).flatMap((c) =>
      c.static_configs.flatMap((s) => s.targets),
    );
    const port = compose.services['api-1'].environment.METRICS_PORT;
    expect(compose.services.trainer.environment.METRICS_PORT).toBe(port);
    expect(compose.services['api-1'].environment.METRICS_HOST).toBe('0.0.0.0');
    // each process is its own target (never the load balancer): counters are per process
    expect(targets.sort()).toEqual([...apis, 'trainer'].map((n) => `${n}:${port}`).sort());
    expect(compose.services.grafana.volumes).toContain('./docker/grafana/tastegraph.json:/var/lib/grafana/dashboards/tastegraph.json:ro');
    const datasource = parse(
      readFileSync(join(__dirname, '..', 'docker', 'grafana', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8'),
    );
    expect(datasource.datasources[0].url).toBe('http://prometheus:9090');
  });

  it('has a one-shot import service (profile import) that imports a mounted folder and queues the first training', () => {
    const imp = compose.services.import;
    expect(imp.profiles).toEqual(['import']);
    expect(imp.build.target).toBe('api');
    expect(imp.environment).toEqual(compose.services['api-1'].environment); // the same variables the app reads
    expect(imp.volumes[0]).toMatch(/^\$\{IMPORT_DIR:-\.\/import\}:\/import:ro$/);
    const cmd = imp.command.join(' ');
    expect(cmd).toContain('dist/src/cli/import.js --manifest /import/import.yaml');
    expect(cmd).toMatch(/--train \S+ --api http:\/\/lb:8080/);
    expect(imp.depends_on.lb).toEqual({ condition: 'service_healthy' });
  });

  it('bulk-loads a first import (profile bulk) into the neo4j volume before neo4j starts, never over an existing database', () => {
    const { neo4j, 'bulk-prepare': prepare, 'bulk-load': load, 'bulk-finish': finish } = compose.services;
    for (const svc of [prepare, load, finish]) expect(svc.profiles).toEqual(['bulk']);
    // neo4j waits for the load only when the profile is on
    expect(neo4j.depends_on['bulk-load']).toEqual({ condition: 'service_completed_successfully', required: false });
    expect(load.depends_on['bulk-prepare']).toEqual({ condition: 'service_completed_successfully' });
    expect(finish.depends_on.neo4j).toEqual({ condition: 'service_healthy' });
    // neo4j-admin runs in the same image on the same data volume, reading what bulk-prepare wrote
    expect(load.image).toBe(neo4j.image);
    expect(load.volumes).toEqual(expect.arrayContaining([neo4j.volumes.find((v: string) => v.endsWith(':/data')), 'bulk-csv:/bulk:ro']));
    expect(prepare.volumes).toContain('bulk-csv:/bulk');
    expect(load.command).toEqual(['neo4j-admin', '@/bulk/neo4j-admin.args']);
    const prep = prepare.command.join(' ');
    expect(prep).toContain('dist/src/cli/import.js --manifest /import/import.yaml --bulk-prepare --bulk-dir /bulk');
    expect(prep).not.toContain('overwrite');
    expect(finish.command.join(' ')).toContain('--bulk-finish --bulk-dir /bulk');
    for (const svc of [prepare, finish]) {
      expect(svc.build.target).toBe('api');
      expect(svc.environment).toEqual(compose.services['api-1'].environment);
    }
    expect(Object.keys(compose.volumes)).toContain('bulk-csv');
  });
});
