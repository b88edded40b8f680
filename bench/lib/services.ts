/**
 * What the benchmarks share: starting and stopping their own services (scripts/services.sh) on
 * bench-only ports, and a Neo4j instance holding the lastfm graph (imported when missing).
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Driver } from 'neo4j-driver';

export const ROOT = resolve(__dirname, '..', '..');
export const DATASETS = process.env.TASTEGRAPH_DATASETS ?? resolve(ROOT, '../shared/datasets');

const LASTFM = { users: 1892, interactions: 92834 };

/** `scripts/services.sh <cmd> <what>` with the given ports (auth off: benchmarks bind loopback only). */
export function services(cmd: 'start' | 'stop', what: 'neo4j' | 'redis', env: Record<string, string>): void {
  execFileSync('bash', [join(ROOT, 'scripts/services.sh'), cmd, what], {
    cwd: ROOT,
    env: { ...process.env, NEO4J_PASSWORD: '', NEO4J_PAGECACHE: process.env.NEO4J_PAGECACHE ?? '512m', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
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
  execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/import.ts', join(DATASETS, 'lastfm'), '--dataset', 'lastfm', '--json'], {
    cwd: ROOT,
    env: { ...process.env, NEO4J_URI: uri, NEO4J_PASSWORD: '', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
