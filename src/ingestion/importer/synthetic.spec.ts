import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetInvalidError } from './dataset';
import { detectFormat, parseDataset } from './formats/registry';
import { generateSynthetic, mulberry32, SYNTHETIC_FILES, SyntheticParams, writeSyntheticFolder } from './synthetic';

const SMALL: SyntheticParams = { seed: 7, users: 120, communities: 4, items: 240 };
const tmp = () => mkdtempSync(join(tmpdir(), 'tg-synthetic-'));

function written(params: SyntheticParams): string {
  const dir = tmp();
  writeSyntheticFolder(dir, generateSynthetic(params));
  return dir;
}

const read = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f))]),
  );

/** Community of every namespaced user and item id, from users.tsv and items.tsv. */
function communities(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [file, kind] of [
    ['users.tsv', 'u'],
    ['items.tsv', 'i'],
  ] as const) {
    for (const line of readFileSync(join(dir, file), 'utf8').trimEnd().split('\n').slice(1)) {
      const [id, c] = line.split('\t');
      out.set(`synthetic:${kind}${id}`, Number(c));
    }
  }
  return out;
}

describe('synthetic dataset', () => {
  it('mulberry32 is a fixed stream', () => {
    const r = mulberry32(1);
    const first = [r(), r(), r()];
    const again = mulberry32(1);
    expect([again(), again(), again()]).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(2)()).not.toBe(first[0]);
  });

  it('the same seed writes byte-identical files; another seed different ones', () => {
    const a = read(written(SMALL));
    const b = read(written(SMALL));
    expect(Object.keys(a)).toEqual([...SYNTHETIC_FILES].sort());
    for (const f of Object.keys(a)) expect(b[f].equals(a[f])).toBe(true);
    const c = read(written({ ...SMALL, seed: 8 }));
    for (const f of ['users.tsv', 'items.tsv', 'interactions.tsv', 'friends.tsv']) expect(c[f].equals(a[f])).toBe(false);
  });

  it('leaves identical files untouched on a rerun and refuses a folder of other files', () => {
    const dir = written(SMALL);
    const mtime = statSync(join(dir, 'interactions.tsv')).mtimeMs;
    expect(writeSyntheticFolder(dir, generateSynthetic(SMALL))).toEqual({ written: [], unchanged: [...SYNTHETIC_FILES] });
    expect(statSync(join(dir, 'interactions.tsv')).mtimeMs).toBe(mtime);
    const other = tmp();
    writeFileSync(join(other, 'train.txt'), '0 1\n');
    expect(() => writeSyntheticFolder(other, generateSynthetic(SMALL))).toThrow(/holds no synthetic\.json: refusing/);
  });

  it('rejects parameters it cannot plant communities with', () => {
    expect(() => generateSynthetic({ ...SMALL, communities: 13 })).toThrow(/communities must be an integer in 2\.\.12/);
    expect(() => generateSynthetic({ ...SMALL, items: 30 })).toThrow(/at least 10 per community/);
    expect(() => generateSynthetic({ ...SMALL, users: 1.5 })).toThrow(/users must be an integer/);
  });

  it('round trip: the importer parser reads back exactly what the manifest counts, PLAY weights and a split', () => {
    const dir = written(SMALL);
    const m = JSON.parse(readFileSync(join(dir, 'synthetic.json'), 'utf8'));
    expect(detectFormat(dir)).toBe('synthetic');
    const ds = parseDataset(dir, 'synthetic');
    expect(ds.prefix).toBe('synthetic:');
    expect(ds.users).toHaveLength(m.counts.users);
    expect(ds.users[0]).toBe('synthetic:u1');
    expect(ds.items).toHaveLength(m.counts.items);
    expect(ds.interactions).toHaveLength(m.counts.interactions);
    expect(ds.interactions.filter((r) => r.s === 'test')).toHaveLength(m.counts.test);
    expect(ds.friendships).toHaveLength(m.counts.friendships);
    expect(ds.interactions.every((r) => r.t === 'PLAY' && r.c === 1 && r.w >= 1 && Number.isInteger(r.w))).toBe(true);
    expect(ds.friendships.every((f) => f.lo < f.hi)).toBe(true);
    const genres = m.communities.map((c: { genre: string }) => c.genre);
    const item = ds.items[0];
    expect(item.title).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+( \d+)?$/);
    expect(genres).toContain(item.tags![0]);
    expect(ds.notes.join('\n')).toMatch(/4 planted communities \(indie folk, techno, jazz, metal\)/);
    // Every user's last ~20% is test: users with 6+ interactions have at least one test edge.
    const byUser = new Map<string, string[]>();
    for (const r of ds.interactions) byUser.set(r.u, [...(byUser.get(r.u) ?? []), r.s!]);
    for (const splits of byUser.values()) {
      expect(splits.length).toBeGreaterThanOrEqual(6);
      const nTest = splits.filter((s) => s === 'test').length;
      expect(nTest).toBe(Math.floor(splits.length * 0.2));
    }
  });

  it('plants the structure: interactions and friendships mostly inside the community, cold-start users and new items', () => {
    const dir = written(SYNTHETIC_PARAMS_DEFAULT);
    const m = JSON.parse(readFileSync(join(dir, 'synthetic.json'), 'utf8'));
    const ds = parseDataset(dir, 'synthetic');
    const of = communities(dir);
    const inside = ds.interactions.filter((r) => of.get(r.u) === of.get(r.i)).length / ds.interactions.length;
    expect(inside).toBeGreaterThan(0.75);
    expect(inside).toBeLessThan(0.85);
    // Most users individually: at least 60% of their own interactions are in their community.
    const perUser = new Map<string, [number, number]>();
    for (const r of ds.interactions) {
      const [n, ins] = perUser.get(r.u) ?? [0, 0];
      perUser.set(r.u, [n + 1, ins + (of.get(r.u) === of.get(r.i) ? 1 : 0)]);
    }
    const mostlyInside = [...perUser.values()].filter(([n, ins]) => ins / n >= 0.6).length / perUser.size;
    expect(mostlyInside).toBeGreaterThan(0.9);
    const friendsInside = ds.friendships.filter((f) => of.get(f.lo) === of.get(f.hi)).length / ds.friendships.length;
    expect(friendsInside).toBeGreaterThan(0.8);
    // A community's top item is far more popular than its median one (Zipf-like).
    const plays = new Map<string, number>();
    for (const r of ds.interactions) if (of.get(r.i) === 0) plays.set(r.i, (plays.get(r.i) ?? 0) + 1);
    const counts = [...plays.values()].sort((a, b) => b - a);
    expect(counts[0]).toBeGreaterThan(5 * counts[Math.floor(counts.length / 2)]);

    const interacted = new Set(ds.interactions.map((r) => r.u));
    const befriended = new Set(ds.friendships.flatMap((f) => [f.lo, f.hi]));
    expect(m.examples.coldStartUsers).toHaveLength(2);
    for (const u of m.examples.coldStartUsers) {
      expect(ds.users).toContain(u);
      expect(interacted.has(u)).toBe(false);
      expect(befriended.has(u)).toBe(true);
    }
    expect(ds.users.filter((u) => !interacted.has(u))).toEqual(m.examples.coldStartUsers);
    const played = new Set(ds.interactions.map((r) => r.i));
    // The planted new releases (one per community) are never played; a few long-tail items may also be unplayed by chance.
    expect(m.examples.newItems).toHaveLength(6);
    for (const i of m.examples.newItems) expect(played.has(i)).toBe(false);
    expect(interacted.has(m.examples.user)).toBe(true);
    expect(befriended.has(m.examples.user)).toBe(true);
  });

  it('a bad line is reported as file:line and nothing is returned', () => {
    const dir = written(SMALL);
    const lines = readFileSync(join(dir, 'interactions.tsv'), 'utf8').split('\n');
    lines[3] = '1\t999999\t5\ttrain';
    lines[5] = '2\t3\tmany\ttrain';
    lines[7] = lines[2];
    writeFileSync(join(dir, 'interactions.tsv'), lines.join('\n'));
    writeFileSync(join(dir, 'friends.tsv'), 'user\tfriend\n1\t1\n1\t2\n2\t1\n');
    const err = (() => {
      try {
        parseDataset(dir, 'synthetic');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DatasetInvalidError);
    expect((err as DatasetInvalidError).problems).toEqual([
      { file: 'interactions.tsv', line: 4, message: 'item 999999 is not in items.tsv' },
      { file: 'interactions.tsv', line: 6, message: 'plays: expected a non-negative integer, got "many"' },
      { file: 'interactions.tsv', line: 8, message: expect.stringMatching(/^duplicate \(user, item\) \d+, \d+ \(first at line 3\)$/) },
      { file: 'friends.tsv', line: 2, message: 'self-friendship of user 1' },
      { file: 'friends.tsv', line: 4, message: 'friendship 2, 1 listed twice (first at line 3; one row per unordered pair)' },
    ]);
  });

  it('a truncated file that ends on a whole line is caught by the manifest counts', () => {
    const dir = written(SMALL);
    const body = readFileSync(join(dir, 'friends.tsv'), 'utf8').split('\n');
    writeFileSync(join(dir, 'friends.tsv'), body.slice(0, 10).join('\n') + '\n');
    expect(() => parseDataset(dir, 'synthetic')).toThrow(
      /synthetic\.json:1: counts\.friendships is \d+ but the files hold 9 \(truncated or edited file\?\)/,
    );
    writeFileSync(join(dir, 'synthetic.json'), '{"format": "other"');
    expect(() => parseDataset(dir, 'synthetic')).toThrow(/synthetic\.json:1: not valid JSON/);
  });

  it('a folder with the manifest but a missing file says which', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'synthetic.json'), '{}');
    expect(() => detectFormat(dir)).toThrow(
      /has synthetic\.json but is not a complete synthetic dataset folder: missing users\.tsv, items\.tsv/,
    );
  });
});

const SYNTHETIC_PARAMS_DEFAULT: SyntheticParams = { seed: 7, users: 600, communities: 6, items: 1200 };
