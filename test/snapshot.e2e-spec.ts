import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Driver } from 'neo4j-driver';
import { Neo4jClient } from '../src/graph/neo4j.client';
import { DatasetImporter } from '../src/ingestion/importer/dataset-importer';
import { ImportRepository } from '../src/ingestion/importer/import.repository';
import { SnapshotService } from '../src/sampling/snapshot.service';
import { startApp, TestApp, testPrefix } from './support/app';
import { cleanup, testDriver } from './support/graph';

const ROOT = resolve(__dirname, '..');
const DATASETS = process.env.TASTEGRAPH_DATASETS ?? resolve(ROOT, '../shared/datasets');

/** Fixture graph written straight to Neo4j (no ingestion code involved). */
const BUILD = `
UNWIND $users AS uid MERGE (:User {id: uid, createdAt: 0, attributesJson: '{}'})
WITH count(*) AS done
UNWIND $items AS it MERGE (i:Item {id: it.id}) SET i.title = it.id, i.hidden = it.hidden, i.tags = it.tags, i.createdAt = 0, i.attributesJson = '{}'
WITH count(*) AS done
UNWIND $edges AS e
MATCH (u:User {id: e.u}) MATCH (i:Item {id: e.i})
MERGE (u)-[r:INTERACTED]->(i)
SET r.weight = e.w, r.count = toInteger(e.c), r.firstTs = toInteger(e.first), r.lastTs = toInteger(e.last), r.split = e.split,
    r.type = 'PLAY', r.types = ['PLAY']
WITH count(*) AS done
UNWIND $friends AS f
MATCH (a:User {id: f.a}) MATCH (b:User {id: f.b})
MERGE (a)-[r:FRIEND]->(b) SET r.overlap = f.overlap`;

function readTable(path: string, sep: string): string[][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split(sep));
}

describe('training snapshot export', () => {
  let t: TestApp;
  let driver: Driver;
  let snapshots: SnapshotService;
  const p = testPrefix('snapshot');
  const id = (s: string) => `${p}${s}`;
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'tg-snapshot-'));
    dirs.push(d);
    return d;
  };

  // ids chosen so that string order differs from insertion order
  const users = ['u3', 'u1', 'u2', 'u10'].map(id);
  const items = [
    { id: id('b'), hidden: false, tags: ['rock', 'indie'] },
    { id: id('a'), hidden: true, tags: [] },
    { id: id('c'), hidden: false, tags: ['jazz'] },
  ];
  const edges = [
    { u: id('u1'), i: id('a'), w: 2.5, c: 3, first: 1_700_000_000_000, last: 1_700_000_500_000, split: 'train' },
    { u: id('u1'), i: id('b'), w: 1, c: 1, first: null, last: null, split: 'test' },
    { u: id('u2'), i: id('b'), w: 4, c: 2, first: 1_600_000_000_000, last: 1_650_000_000_000, split: null },
    { u: id('u3'), i: id('c'), w: 0.125, c: 1, first: 5, last: 5, split: 'train' },
    { u: id('u10'), i: id('c'), w: 7, c: 7, first: 10, last: 20, split: 'train' },
  ];
  const friends = [
    { a: id('u1'), b: id('u2'), overlap: 0.25 },
    { a: id('u10'), b: id('u3'), overlap: null },
  ];

  beforeAll(async () => {
    t = await startApp();
    driver = testDriver();
    snapshots = t.app.get(SnapshotService);
    await driver.executeQuery(BUILD, { users, items, edges, friends }, { database: process.env.NEO4J_DATABASE ?? 'neo4j' });
  });
  afterAll(async () => {
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
    await cleanup(driver, p);
    await driver.close();
    await t.close();
  });

  it('round-trips the graph that was built, in the trainer contract', async () => {
    const dir = tmp();
    const res = await snapshots.exportSnapshot(dir, { idPrefix: p });
    expect(res.counts).toEqual({ users: 4, items: 3, interactions: 5, friendships: 2 });
    expect(res.splits).toEqual({ train: 3, test: 1, none: 1 });

    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
    expect(meta).toMatchObject({ format: 'tastegraph-snapshot/1', counts: res.counts, idPrefix: p });
    expect(typeof meta.eventWeights).toBe('object');
    expect(new Date(meta.createdAt).toISOString()).toBe(meta.createdAt);

    const u = readTable(join(dir, 'users.tsv'), '\t');
    const sortedUsers = [...users].sort();
    expect(u).toEqual([['index', 'id'], ...sortedUsers.map((x, k) => [String(k), x])]);
    const i = readTable(join(dir, 'items.tsv'), '\t');
    expect(i).toEqual([
      ['index', 'id', 'hidden', 'tags'],
      ['0', id('a'), '1', ''],
      ['1', id('b'), '0', 'rock|indie'],
      ['2', id('c'), '0', 'jazz'],
    ]);
    const ui = (x: string) => sortedUsers.indexOf(x);
    const ii = (x: string) => [id('a'), id('b'), id('c')].indexOf(x);

    const rows = readTable(join(dir, 'interactions.csv'), ',');
    expect(rows[0]).toEqual(['user', 'item', 'weight', 'count', 'first_ts', 'last_ts', 'split']);
    const expected = edges
      .map((e) => [
        String(ui(e.u)),
        String(ii(e.i)),
        String(e.w),
        String(e.c),
        e.first === null ? '' : String(e.first),
        e.last === null ? '' : String(e.last),
        e.split ?? 'none',
      ])
      .sort((x, y) => Number(x[0]) - Number(y[0]) || Number(x[1]) - Number(y[1]));
    expect(rows.slice(1)).toEqual(expected);

    const f = readTable(join(dir, 'friendships.csv'), ',');
    expect(f).toEqual([
      ['a', 'b', 'overlap'],
      [String(ui(id('u1'))), String(ui(id('u2'))), '0.25'],
      [String(ui(id('u10'))), String(ui(id('u3'))), ''],
    ]);
  });

  it('is byte-identical across two exports of the same graph (createdAt aside)', async () => {
    const [d1, d2] = [tmp(), tmp()];
    await snapshots.exportSnapshot(d1, { idPrefix: p });
    await snapshots.exportSnapshot(d2, { idPrefix: p });
    for (const file of ['users.tsv', 'items.tsv', 'interactions.csv', 'friendships.csv']) {
      expect(readFileSync(join(d1, file))).toEqual(readFileSync(join(d2, file)));
    }
    const strip = (d: string) => ({ ...JSON.parse(readFileSync(join(d, 'meta.json'), 'utf8')), createdAt: null });
    expect(strip(d1)).toEqual(strip(d2));
  });

  it('writes PinSage neighbourhoods on request (indices in range, weights normalized)', async () => {
    const dir = tmp();
    const res = await snapshots.exportSnapshot(dir, { idPrefix: p, pinsage: { walks: 50, length: 3, topK: 5 } });
    const rows = readTable(join(dir, 'pinsage.csv'), ',');
    expect(rows[0]).toEqual(['item', 'neighbor', 'weight']);
    expect(res.pinsageRows).toBe(rows.length - 1);
    // a (u1) -> b (u1, u2); c (u3, u10) only reaches itself: no row for c
    const byItem = new Map<number, Array<[number, number]>>();
    for (const [a, b, w] of rows.slice(1)) byItem.set(Number(a), [...(byItem.get(Number(a)) ?? []), [Number(b), Number(w)]]);
    expect(byItem.get(0)!.map(([n]) => n)).toEqual([1]);
    expect(byItem.get(1)!.map(([n]) => n)).toEqual([0]);
    expect(byItem.has(2)).toBe(false);
    for (const list of byItem.values()) {
      const sum = list.reduce((s, [, w]) => s + w, 0);
      expect(sum).toBeGreaterThan(0);
      expect(sum).toBeLessThanOrEqual(1 + 1e-9);
    }
  });

  it('exports through the CLI (npm run snapshot -- --out DIR --prefix P)', () => {
    const dir = tmp();
    const out = execFileSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/cli/snapshot.ts', '--out', dir, '--prefix', p],
      {
        cwd: ROOT,
        env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), LOG_LEVEL: 'warn' },
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(out.trim().split('\n').pop()!).counts).toEqual({ users: 4, items: 3, interactions: 5, friendships: 2 });
    expect(existsSync(join(dir, 'meta.json'))).toBe(true);
  });

  const python = resolve(ROOT, process.env.TRAINER_PYTHON ?? 'models/.venv/bin/python');
  (existsSync(python) ? it : it.skip)('is read by the trainer (models/tastegraph_trainer/data.py load_snapshot)', async () => {
    const dir = tmp();
    await snapshots.exportSnapshot(dir, { idPrefix: p });
    const out = execFileSync(
      python,
      [
        '-c',
        'import json,sys; from tastegraph_trainer.data import load_snapshot; print(json.dumps(load_snapshot(sys.argv[1]).summary()))',
        dir,
      ],
      {
        cwd: join(ROOT, 'models'),
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(out)).toMatchObject({ users: 4, items: 3, train_pairs: 4, test_rows: 1, friendships: 2 });
  });

  describe('lastfm (imported by the ingestion tests, or imported here)', () => {
    const LASTFM = { users: 1892, items: 17632, interactions: 92834, friendships: 12717 };

    beforeAll(async () => {
      const [r] = (
        await driver.executeQuery(
          "MATCH (u:User) WHERE u.id STARTS WITH 'lastfm:' RETURN count(u) AS n",
          {},
          { database: process.env.NEO4J_DATABASE ?? 'neo4j' },
        )
      ).records;
      if (r.get('n').toNumber() === LASTFM.users) return;
      // Not there yet: import it with the dataset importer (idempotent MERGE-based).
      const importer = new DatasetImporter(new ImportRepository(t.app.get(Neo4jClient)));
      await importer.run({ folder: join(DATASETS, 'lastfm'), dataset: 'lastfm', checkpointDir: tmp(), target: 'snapshot-e2e' });
    }, 600_000);

    it('has the dataset counts and the official split', async () => {
      const dir = tmp();
      const res = await snapshots.exportSnapshot(dir, { idPrefix: 'lastfm:' });
      expect(res.counts).toEqual(LASTFM);
      expect(res.splits).toEqual({ train: 74267, test: 18567, none: 0 });
      const lines = (f: string) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).length - 1;
      expect([lines('users.tsv'), lines('items.tsv'), lines('interactions.csv'), lines('friendships.csv')]).toEqual([
        1892, 17632, 92834, 12717,
      ]);
      const users = readTable(join(dir, 'users.tsv'), '\t').slice(1);
      expect(users.every(([, uid]) => uid.startsWith('lastfm:u'))).toBe(true);
    }, 120_000);
  });
});
