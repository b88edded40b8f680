import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectFormat, parseDataset } from './formats/registry';
import { LADDER_STEP, writeLadderRung } from './synthetic-ladder';

describe('the synthetic scale ladder (1× lastfm)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-ladder-'));
  const counts = writeLadderRung(dir, 1);

  it('has lastfm’s users and items, ~53 interactions per user and ≥ 5 friendships per user', () => {
    expect(counts.users).toBe(LADDER_STEP.users);
    expect(counts.items).toBe(LADDER_STEP.items);
    expect(counts.interactions / counts.users).toBeGreaterThan(45);
    expect(counts.friendships / counts.users).toBeGreaterThan(5);
  });

  it('the importer reads back exactly what the manifest counts (strict format: no duplicate, no self-loop)', () => {
    expect(detectFormat(dir)).toBe('synthetic');
    const ds = parseDataset(dir, 'synthetic');
    expect(ds.users).toHaveLength(counts.users);
    expect(ds.items).toHaveLength(counts.items);
    expect(ds.interactions).toHaveLength(counts.interactions);
    expect(ds.friendships).toHaveLength(counts.friendships);
    expect(ds.interactions.filter((r) => r.s === 'test')).toHaveLength(counts.test);
  });

  it('plants the communities: 70–80% of a user’s interactions are inside their own of 12 (1/12 by chance)', () => {
    const community = (file: string) =>
      new Map(
        readFileSync(join(dir, file), 'utf8')
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => l.split('\t'))
          .map((f) => [f[0], f[1]]),
      );
    const users = community('users.tsv');
    const items = community('items.tsv');
    const rows = readFileSync(join(dir, 'interactions.tsv'), 'utf8').trim().split('\n').slice(1);
    const inside = rows.filter((l) => {
      const [u, i] = l.split('\t');
      return users.get(u) === items.get(i);
    }).length;
    // 80% of draws go inside; a repeat draw is dropped, and repeats are likelier in the own community's popular head
    expect(inside / rows.length).toBeGreaterThan(0.7);
    expect(inside / rows.length).toBeLessThanOrEqual(0.8);
  });

  it('is seeded: the same scale and seed give the same files', () => {
    const again = mkdtempSync(join(tmpdir(), 'tg-ladder-'));
    writeLadderRung(again, 1);
    for (const f of ['users.tsv', 'items.tsv', 'interactions.tsv', 'friends.tsv', 'synthetic.json'])
      expect(readFileSync(join(again, f), 'utf8')).toBe(readFileSync(join(dir, f), 'utf8'));
  });
});
