import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Driver } from 'neo4j-driver';
import { Neo4jClient } from '../src/graph/neo4j.client';
import { parseEventWeights } from '../src/ingestion/event-weights';
import { DatasetInvalidError } from '../src/ingestion/importer/dataset';
import { loadManifest } from '../src/ingestion/importer/own/manifest';
import { CHUNK_ROWS, OwnImportAbortedError, OwnImporter, OwnImportOptions } from '../src/ingestion/importer/own/own-importer';
import { OwnImportRepository } from '../src/ingestion/importer/own/own-import.repository';
import { DEFAULT_LIMITS } from '../src/ingestion/importer/own/sources';
import { startApp, TestApp, testPrefix } from './support/app';
import { cleanup, testDriver } from './support/graph';

/**
 * The general importer (your own CSV/TSV/JSONL files) against the real Neo4j: what lands in the graph,
 * that a rerun changes nothing, that a run stopped midway resumes to the same graph as one clean run,
 * and that bad rows write nothing by default. Everything is under this file's id prefix.
 */
describe('general importer (own files) on real Neo4j', () => {
  let t: TestApp;
  let driver: Driver;
  let importer: OwnImporter;
  let dir: string;
  const p = testPrefix('own');
  const db = { database: process.env.NEO4J_DATABASE ?? 'neo4j' };

  beforeAll(async () => {
    t = await startApp();
    driver = testDriver();
    importer = new OwnImporter(new OwnImportRepository(t.app.get(Neo4jClient)));
    dir = mkdtempSync(join(tmpdir(), 'tg-own-'));
  });
  afterAll(async () => {
    await cleanup(driver, p);
    await driver.close();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const file = (name: string, content: string) => writeFileSync(join(dir, name), content);
  const options = (manifestFile: string, prefix: string, extra: Partial<OwnImportOptions> = {}): OwnImportOptions => {
    const manifest = loadManifest(join(dir, manifestFile));
    manifest.idPrefix = prefix;
    return {
      manifest,
      ctx: {
        idPrefix: prefix,
        eventWeights: parseEventWeights('VIEW=1,LIKE=3,PLAY=1,PURCHASE=5,RATING=value'),
        maxTs: Date.now() + 300_000,
      },
      limits: DEFAULT_LIMITS,
      rejectsDir: join(dir, 'rejects'),
      checkpointDir: join(dir, 'checkpoints'),
      target: 'own-e2e',
      ...extra,
    };
  };
  /** Every node and edge under a prefix with their properties, as sorted JSON lines: equal graphs give equal snapshots. */
  async function snapshot(prefix: string): Promise<string[]> {
    const { records } = await driver.executeQuery(
      `MATCH (n) WHERE (n:User OR n:Item) AND n.id STARTS WITH $p
       OPTIONAL MATCH (n)-[r]->(m)
       RETURN n.id AS id, properties(n) AS props, type(r) AS rel, m.id AS other, properties(r) AS rprops`,
      { p: prefix },
      db,
    );
    return records
      .map((r) => {
        const { createdAt: _c, updatedAt: _u, ...props } = r.get('props') as Record<string, unknown>;
        const { rk: _rk, ...rprops } = (r.get('rprops') ?? {}) as Record<string, unknown>;
        return JSON.stringify([r.get('id'), props, r.get('rel'), r.get('other'), rprops]);
      })
      .sort();
  }

  it('imports users (attributes), items (tags), JSONL events (merged per pair, types, times), friends and follows', async () => {
    file('users.csv', 'user_id,display,country\nu1,Ada,UK\nu2,Grace,US\nu3,Linus,FI\n');
    file('items.tsv', 'sku\tname\tcategories\ni1\tKind of Blue\tjazz|modal\ni2\tOK Computer\trock\n');
    file(
      'events.jsonl',
      [
        { who: 'u1', what: 'i1', event: 'view', at: '2024-05-01T10:00:00Z' },
        { who: 'u1', what: 'i1', event: 'like', at: '2024-05-02T10:00:00Z' },
        { who: 'u2', what: 'i2', event: 'RATING', stars: 4.5, at: 1714557600 },
      ]
        .map((e) => JSON.stringify(e))
        .join('\n'),
    );
    file('social.csv', 'from,to,kind\nu2,u1,friend\nu3,u1,follow\n');
    file(
      'import.yaml',
      [
        'users: { file: users.csv, columns: { id: user_id, name: display }, attributes: [country] }',
        'items: { file: items.tsv, columns: { id: sku, title: name, tags: categories } }',
        'interactions: { file: events.jsonl, columns: { user: who, item: what, type: event, weight: stars, timestamp: at } }',
        'friendships: { file: social.csv, columns: { a: from, b: to } }',
      ].join('\n'),
    );
    const ns = `${p}a:`;
    const s = await importer.run(options('import.yaml', ns));
    expect(s.written).toMatchObject({ users: 3, items: 2, edgesChanged: 2, events: 3, friendships: 1, follows: 1 });
    expect(Object.keys(s.writePhaseSeconds)).toEqual(['users', 'items', 'interactions', 'friendships']);
    const user = await t.gql(
      `query($id: ID!) { user(id: $id) { name attributes interactions { edges { node { item { id title tags } type types weight count firstTs lastTs } } } friends { totalCount } } }`,
      {
        id: `${ns}u1`,
      },
    );
    expect(user.errors).toBeUndefined();
    expect(user.data!.user).toMatchObject({ name: 'Ada', attributes: { country: 'UK' }, friends: { totalCount: 1 } });
    expect(user.data!.user.interactions.edges[0].node).toEqual({
      item: { id: `${ns}i1`, title: 'Kind of Blue', tags: ['jazz', 'modal'] },
      type: 'LIKE',
      types: ['VIEW', 'LIKE'],
      weight: 4,
      count: 2,
      firstTs: '2024-05-01T10:00:00.000Z',
      lastTs: '2024-05-02T10:00:00.000Z',
    });
    const { records } = await driver.executeQuery(
      `MATCH (:User {id: $a})-[r:FOLLOWS]->(:User {id: $b}) RETURN count(r) AS n`,
      { a: `${ns}u3`, b: `${ns}u1` },
      db,
    );
    expect(records[0].get('n').toNumber()).toBe(1);

    // A rerun changes nothing: same graph, nothing counted as written.
    const before = await snapshot(ns);
    const again = await importer.run(options('import.yaml', ns));
    expect(again.written).toEqual({ users: 0, items: 0, edgesChanged: 0, events: 0, friendships: 0, follows: 0 });
    expect(await snapshot(ns)).toEqual(before);

    // More events for the same pairs merge into their edges: an older one moves firstTs and keeps the type,
    // a newer one of a new type sets the type, adds to types and moves lastTs.
    file(
      'more.jsonl',
      [
        { who: 'u1', what: 'i1', event: 'view', at: '2024-04-30T10:00:00Z' },
        { who: 'u2', what: 'i2', event: 'like', at: '2024-05-03T10:00:00Z' },
      ]
        .map((e) => JSON.stringify(e))
        .join('\n'),
    );
    file('more.yaml', 'interactions: { file: more.jsonl, columns: { user: who, item: what, type: event, timestamp: at } }\n');
    const more = await importer.run(options('more.yaml', ns));
    expect(more.written).toMatchObject({ edgesChanged: 2, events: 2 });
    const { records: merged } = await driver.executeQuery(
      `MATCH (u:User)-[r:INTERACTED]->(i:Item) WHERE u.id IN [$a, $b]
       RETURN u.id AS u, r.type AS type, r.types AS types, r.weight AS weight, r.count AS count, r.firstTs AS first, r.lastTs AS last
       ORDER BY u`,
      { a: `${ns}u1`, b: `${ns}u2` },
      db,
    );
    const at = (iso: string) => Date.parse(iso);
    expect(
      merged.map((r) => ({
        ...r.toObject(),
        count: r.get('count').toNumber(),
        first: r.get('first').toNumber(),
        last: r.get('last').toNumber(),
      })),
    ).toEqual([
      {
        u: `${ns}u1`,
        type: 'LIKE',
        types: ['VIEW', 'LIKE'],
        weight: 5,
        count: 3,
        first: at('2024-04-30T10:00:00Z'),
        last: at('2024-05-02T10:00:00Z'),
      },
      {
        u: `${ns}u2`,
        type: 'LIKE',
        types: ['RATING', 'LIKE'],
        weight: 7.5,
        count: 2,
        first: 1714557600_000,
        last: at('2024-05-03T10:00:00Z'),
      },
    ]);
  });

  it('a run stopped after one chunk resumes to the same graph as one clean run', async () => {
    const n = CHUNK_ROWS + 500; // two chunks: the run stops after the first
    const lines = Array.from({ length: n }, (_, k) => `u${k % 97},i${(k * 7) % 311},${k % 3 ? 'VIEW' : 'LIKE'},,${1_700_000_000 + k}`);
    file('big.csv', `user,item,type,weight,timestamp\n${lines.join('\n')}\n`);
    file('big.yaml', 'interactions: big.csv\n');
    const stopped = await importer.run(options('big.yaml', `${p}b:`, { stopAfterChunks: 1 })).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(OwnImportAbortedError);
    const resumed = await importer.run(options('big.yaml', `${p}b:`));
    expect(resumed.resumedChunks).toBe(1);
    await importer.run(options('big.yaml', `${p}c:`, { checkpointDir: join(dir, 'other-checkpoints') }));
    const strip = (prefix: string) => (lines: string[]) => lines.map((l) => l.split(prefix).join(''));
    expect(strip(`${p}b:`)(await snapshot(`${p}b:`))).toEqual(strip(`${p}c:`)(await snapshot(`${p}c:`)));
    const { records } = await driver.executeQuery(
      `MATCH (u:User)-[r:INTERACTED]->() WHERE u.id STARTS WITH $p RETURN sum(r.count) AS events, sum(r.weight) AS weight`,
      { p: `${p}b:` },
      db,
    );
    expect(records[0].get('events').toNumber()).toBe(n); // every event counted once, none twice
    expect(records[0].get('weight')).toBe(
      lines.filter((l) => l.includes('LIKE')).length * 3 + lines.filter((l) => l.includes('VIEW')).length,
    );
  }, 600_000);

  it('bad rows write nothing by default, and every one is listed by file and line', async () => {
    file('bad.csv', 'user,item,type,weight,timestamp\nu1,i1,VIEW,,\nu1,i2,WATCH,,\nu2,i1,VIEW,,yesterday\n');
    file('bad.yaml', 'interactions: bad.csv\n');
    const err = await importer.run(options('bad.yaml', `${p}d:`)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetInvalidError);
    expect((err as DatasetInvalidError).problems.map((q) => `${q.file}:${q.line}`)).toEqual(['bad.csv:3', 'bad.csv:4']);
    expect(await snapshot(`${p}d:`)).toEqual([]);
    // --skip-bad-rows imports the good row only.
    const s = await importer.run(options('bad.yaml', `${p}d:`, { skipBadRows: true }));
    expect(s).toMatchObject({ badRows: 2, written: { edgesChanged: 1 } });
  });
});
