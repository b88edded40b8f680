import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Driver } from 'neo4j-driver';
import { statementOf } from '../../src/graph/cypher-registry';
import { ensureSchema } from './graph';

export const lastfmDir = (): string => join(process.env.TASTEGRAPH_DATASETS!, 'lastfm');
export const hasLastfm = (): boolean => existsSync(join(lastfmDir(), 'train_set.txt'));

function pairs(file: string): Array<[number, number]> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => l.split(',').map(Number) as [number, number]);
}

/**
 * Loads the first `nUsers` LastFM users (by index), their train/test interactions and the
 * friendships among them, under `prefix` (ids `${prefix}u<index>` / `${prefix}i<index>`).
 */
export async function loadLastfmSubset(
  driver: Driver,
  prefix: string,
  nUsers: number,
): Promise<{ users: number; items: number; interactions: number; friendships: number }> {
  await ensureSchema();
  const dir = lastfmDir();
  const keep = (u: number) => u < nUsers;
  const inter = [
    ...pairs(join(dir, 'train_set.txt'))
      .filter(([u]) => keep(u))
      .map(([u, i]) => ({ u: `${prefix}u${u}`, i: `${prefix}i${i}`, split: 'train' })),
    ...pairs(join(dir, 'test_set.txt'))
      .filter(([u]) => keep(u))
      .map(([u, i]) => ({ u: `${prefix}u${u}`, i: `${prefix}i${i}`, split: 'test' })),
  ];
  const friends = pairs(join(dir, 'trust.txt'))
    .filter(([a, b]) => keep(a) && keep(b) && a < b)
    .map(([a, b]) => {
      const [x, y] = [`${prefix}u${a}`, `${prefix}u${b}`].sort();
      return { a: x, b: y };
    });
  const users = [...new Set(inter.map((r) => r.u))].map((id) => ({ id }));
  const items = [...new Set(inter.map((r) => r.i))].map((id) => ({ id, title: `Artist ${id.slice(prefix.length)}`, tags: [] as string[] }));
  const stmt = statementOf(readFileSync(join(__dirname, 'load-subset.cypher'), 'utf8'));
  await driver.executeQuery(
    stmt,
    { users, items, interactions: inter, friends, now: Date.now() },
    { database: process.env.NEO4J_DATABASE ?? 'neo4j' },
  );
  return { users: users.length, items: items.length, interactions: inter.length, friendships: friends.length };
}
