/**
 * What the benchmarks share: starting and stopping their own services (scripts/services.sh) on
 * bench-only ports, and a Neo4j instance holding the lastfm graph (imported when missing).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Driver } from 'neo4j-driver';
import { Client } from 'pg';

export const ROOT = resolve(__dirname, '..', '..');
export const DATASETS = process.env.TASTEGRAPH_DATASETS ?? resolve(ROOT, '../shared/datasets');

const LASTFM = { users: 1892, interactions: 92834 };

export type Service = 'neo4j' | 'redis' | 'postgres';

/** `scripts/services.sh <cmd> <what>` with the given ports (auth off: benchmarks bind loopback only). */
export function services(cmd: 'start' | 'stop', what: Service, env: Record<string, string>): void {
  // A stop runs in its own session (setsid): a second Ctrl-C, which the terminal sends to the whole
  // process group, must not cut it short and leave the server running.
  const [file, args] = cmd === 'stop' ? ['setsid', ['--wait', 'bash']] : ['bash', []];
  execFileSync(file, [...args, join(ROOT, 'scripts/services.sh'), cmd, what], {
    cwd: ROOT,
    env: { ...process.env, NEO4J_PASSWORD: '', NEO4J_PAGECACHE: process.env.NEO4J_PAGECACHE ?? '512m', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/**
 * The services one benchmark starts, stopped however it ends: by the benchmark when it is done, and
 * otherwise on exit (after a failure, too) and on SIGINT or SIGTERM (Ctrl-C), whichever comes first.
 * One per process. `keep` leaves them running for the next run.
 */
export class BenchServices {
  private readonly started: { what: Service; env: Record<string, string> }[] = [];
  private stopped = false;

  constructor(
    private readonly log: (msg: string) => void,
    private readonly options: { keep?: boolean } = {},
  ) {
    process.once('exit', () => this.stopAll());
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      process.on(signal, () => {
        if (!this.stopped && this.started.length && !this.options.keep) this.log(`${signal}: stopping the services this benchmark started`);
        this.stopAll();
        process.exit(code);
      });
    }
  }

  /** Starts a service (idempotent) and remembers it, even when the start fails half way. */
  start(what: Service, env: Record<string, string> = {}): void {
    if (!this.started.some((s) => s.what === what && JSON.stringify(s.env) === JSON.stringify(env))) this.started.push({ what, env });
    services('start', what, env);
  }

  /** Stops a service now, whether this process started it or not. */
  stop(what: Service, env: Record<string, string> = {}): void {
    services('stop', what, env);
  }

  /** Stops every service started through this object, last started first; runs once. */
  stopAll(): void {
    if (this.stopped || this.options.keep) return;
    this.stopped = true;
    for (const { what, env } of [...this.started].reverse()) {
      try {
        services('stop', what, env);
      } catch (err) {
        this.log(`could not stop ${what} (${JSON.stringify(env)}): ${(err as Error).message}`);
      }
    }
  }
}

export async function count(driver: Driver, q: string, params: Record<string, unknown> = {}): Promise<number> {
  const { records } = await driver.executeQuery(q, params);
  return (records[0]?.get(0) as { toNumber(): number } | undefined)?.toNumber() ?? 0;
}

/** Imports lastfm with the dataset importer unless the instance at `uri` already holds all of it. */
export async function ensureLastfm(driver: Driver, uri: string, log: (msg: string) => void): Promise<void> {
  const users = await count(driver, "MATCH (u:User) WHERE u.id STARTS WITH 'lastfm:' RETURN count(u)");
  const edges = await count(driver, "MATCH (u:User)-[r:INTERACTED]->() WHERE u.id STARTS WITH 'lastfm:' RETURN count(r)");
  if (users === LASTFM.users && edges === LASTFM.interactions) return;
  log(`importing lastfm into ${uri} (found ${users} users, ${edges} interactions)`);
  execFileSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', 'src/cli/import.ts', join(DATASETS, 'lastfm'), '--dataset', 'lastfm', '--json'],
    {
      cwd: ROOT,
      env: { ...process.env, NEO4J_URI: uri, NEO4J_PASSWORD: '', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
}

/** Drops a benchmark's own PostgreSQL database (made by `services.sh start postgres` with PG_DATABASE) on 127.0.0.1:`port`. */
export async function dropPgDatabase(port: string, name: string): Promise<void> {
  const c = new Client({ host: '127.0.0.1', port: Number(port), user: 'postgres', database: 'postgres' });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await c.end();
  }
}

/** The newest modification time under `dir` (TypeScript sources and Cypher files). */
function newestSource(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const f = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestSource(f));
    else if (/\.(ts|cypher)$/.test(e.name)) t = Math.max(t, statSync(f).mtimeMs);
  }
  return t;
}

/**
 * The node arguments that start the API as production does (`npm start`: the compiled dist/src/main.js,
 * no ts-node and no source-map hooks on every stack trace), building it first when src/ is newer.
 * API_NODE_FLAGS go before it (e.g. `--cpu-prof --cpu-prof-dir=DIR` to see where a bench's API time goes).
 */
export function apiEntry(log: (msg: string) => void): string[] {
  const main = join(ROOT, 'dist/src/main.js');
  if (!existsSync(main) || statSync(main).mtimeMs < newestSource(join(ROOT, 'src'))) {
    log('building the API (tsc -p tsconfig.build.json)');
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  }
  return [...(process.env.API_NODE_FLAGS ?? '').split(' ').filter(Boolean), main];
}
