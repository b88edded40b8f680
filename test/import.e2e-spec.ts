import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Driver } from 'neo4j-driver';
import { fromRoot, repoRoot } from '../src/common/repo-root';
import { Neo4jClient } from '../src/graph/neo4j.client';
import { DatasetInvalidError } from '../src/ingestion/importer/dataset';
import { DatasetImporter, expectedCounts, ImportAbortedError } from '../src/ingestion/importer/dataset-importer';
import { ImportRepository } from '../src/ingestion/importer/import.repository';
import { startApp, TestApp, testPrefix } from './support/app';
import { cleanup, testDriver } from './support/graph';

const DATASETS = process.env.TASTEGRAPH_DATASETS ?? join(repoRoot(), '..', 'shared', 'datasets');
const LASTFM = join(DATASETS, 'lastfm');

/**
 * The bulk importer against the real Neo4j. The full lastfm import stays in the database (later
 * issues sample and train on it); a rerun finds it complete and writes nothing, so this is fast
 * once imported. Everything else imports under this file's unique id prefix and is cleaned up.
 */
describe('dataset importer', () => {
  let t: TestApp;
  let driver: Driver;
  let repo: ImportRepository;
  let importer: DatasetImporter;
  const p = testPrefix('import');
  const tmp = () => mkdtempSync(join(tmpdir(), 'tg-import-'));
  const target = `${process.env.NEO4J_URI}/${process.env.NEO4J_DATABASE ?? 'neo4j'}`;

  beforeAll(async () => {
    t = await startApp();
    driver = testDriver();
    repo = new ImportRepository(t.app.get(Neo4jClient));
    importer = new DatasetImporter(repo);
  });
  afterAll(async () => {
    await cleanup(driver, p);
    await driver.close();
    await t.close();
  });

  describe('lastfm (SocialLGN split + HetRec raw files)', () => {
    const LASTFM_COUNTS = { users: 1892, items: 17632, interactions: 92834, train: 74267, test: 18567, unsplit: 0, friendships: 12717 };

    it('imports exactly 1,892 users, 17,632 items, 92,834 interactions (74,267 train + 18,567 test), 12,717 friendships', async () => {
      const s = await importer.run({ folder: LASTFM, checkpointDir: fromRoot('var/import'), target });
      expect(s.dataset).toBe('lastfm');
      expect(s.after).toEqual(LASTFM_COUNTS);
      expect(await repo.counts('lastfm:')).toEqual(LASTFM_COUNTS);
    }, 900_000);

    it('a second import changes no count (and writes nothing once complete)', async () => {
      const s = await importer.run({ folder: LASTFM, checkpointDir: fromRoot('var/import'), target });
      expect(s.skipped).toBe(true);
      expect(s.before).toEqual(LASTFM_COUNTS);
      expect(s.after).toEqual(LASTFM_COUNTS);
    }, 600_000);

    it('rewriting part of it (MERGE path, --force) changes no count', async () => {
      const s = await importer.run({ folder: LASTFM, limitUsers: 40, force: true, batchSize: 500, checkpointDir: tmp(), target });
      expect(s.skipped).toBe(false);
      expect(s.createdEdges).toEqual({ interactions: false, friendships: false });
      expect(s.phases.interactions.batches).toBeGreaterThan(1);
      expect(s.after).toEqual(LASTFM_COUNTS);
    }, 600_000);

    it('stores titles (UTF-8), top tags (Latin-1 tags.dat), listening counts as PLAY weights and the split', async () => {
      const { records } = await driver.executeQuery(
        `MATCH (i:Item {id: 'lastfm:i231'}) OPTIONAL MATCH (u:User {id: 'lastfm:u2'})-[r:INTERACTED]->(j:Item {id: 'lastfm:i51'})
         RETURN i.title AS title, i.tags AS tags, i.hidden AS hidden, r.weight AS w, r.type AS type, r.count AS c, r.split AS split`,
      );
      const r = records[0];
      expect(r.get('tags')).toContain('español');
      expect(r.get('tags').length).toBeLessThanOrEqual(10);
      expect(r.get('hidden')).toBe(false);
      expect(r.get('w')).toBe(13883);
      expect(r.get('type')).toBe('PLAY');
      expect(r.get('c').toNumber()).toBe(1);
      expect(['train', 'test']).toContain(r.get('split'));
      const { records: fr } = await driver.executeQuery(
        `MATCH (a:User)-[:FRIEND]->(b:User) WHERE a.id STARTS WITH 'lastfm:' AND NOT a.id < b.id RETURN count(*) AS n`,
      );
      expect(fr[0].get('n').toNumber()).toBe(0);
      const stats = await t.gql(`query { graphStats { interactionsBySplit { split count } } }`);
      const train = stats.data!.graphStats.interactionsBySplit.find((x: { split: string | null }) => x.split === 'TRAIN');
      expect(train.count).toBeGreaterThanOrEqual(74267);
    });
  });

  it('resumes an import killed midway and ends with the same counts', async () => {
    const ns = `${p}resume-`;
    const dir = tmp();
    const opts = { folder: LASTFM, limitUsers: 120, batchSize: 500, idPrefix: ns, checkpointDir: dir, target };
    const expected = expectedCounts(importer.parse(opts));
    // users 1 batch, items ~9, then stop inside the interactions phase.
    await expect(importer.run({ ...opts, stopAfterBatches: 13 })).rejects.toBeInstanceOf(ImportAbortedError);
    const mid = await repo.counts(`${ns}lastfm:`);
    expect(mid.users).toBe(expected.users);
    expect(mid.interactions).toBeGreaterThan(0);
    expect(mid.interactions).toBeLessThan(expected.interactions);
    const s = await importer.run(opts);
    expect(s.resumed).toBe(true);
    expect(s.phases.users.skippedBatches).toBe(1);
    expect(s.after).toEqual(expected);
    const again = await importer.run(opts);
    expect(again.skipped).toBe(true);
    expect(again.after).toEqual(expected);
  }, 600_000);

  it('keys the resume checkpoint by the id prefix: the same folder under another prefix neither resumes nor skips', async () => {
    const dir = tmp();
    const files: Record<string, string> = {
      'user_list.txt': 'org_id remap_id\n343 0\n5258 1\n',
      'item_list.txt': 'org_id remap_id\n8975 0\n9190 1\n77 2\n88 3\n',
      'train.txt': '0 0 1\n1 1 2\n',
      'valid.txt': '0 2\n1 0\n',
      'test.txt': '0 3\n1 3\n',
    };
    for (const [f, body] of Object.entries(files)) writeFileSync(join(dir, f), body);
    const checkpointDir = tmp();
    const a = { folder: dir, idPrefix: `${p}ckA-`, batchSize: 1, checkpointDir, target };
    const b = { ...a, idPrefix: `${p}ckB-` };
    // Prefix A stops after its first batch (one user) and leaves its checkpoint.
    const stopped = await importer.run({ ...a, stopAfterBatches: 1 }).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(ImportAbortedError);
    // Prefix B starts from the beginning: every user, item and edge of its own.
    const sb = await importer.run(b);
    expect(sb.resumed).toBe(false);
    expect(sb.phases.users.skippedBatches).toBe(0);
    expect(sb.after).toEqual(expectedCounts(importer.parse(b)));
    expect(existsSync((stopped as ImportAbortedError).checkpoint)).toBe(true); // A's progress is still there
    // A resumes its own checkpoint, then B's done stamp does not make A look complete (nor the reverse).
    const sa = await importer.run(a);
    expect(sa.resumed).toBe(true);
    expect(sa.after).toEqual(expectedCounts(importer.parse(a)));
    expect((await importer.run(b)).skipped).toBe(true);
    expect((await importer.run(a)).skipped).toBe(true);
  });

  it('imports the original HetRec files (no split) and a ciao subset (directed trust once per pair, duplicate rows merged)', async () => {
    const h = await importer.run({ folder: join(LASTFM, 'raw'), limitUsers: 30, idPrefix: `${p}h-`, checkpointDir: tmp(), target });
    expect(h.dataset).toBe('hetrec');
    expect(h.after.interactions).toBe(h.parsed.interactions);
    expect(h.after.unsplit).toBe(h.after.interactions);
    expect(h.after.train + h.after.test).toBe(0);
    expect(h.after.friendships).toBe(h.parsed.friendships);

    const c = await importer.run({ folder: join(DATASETS, 'ciao'), limitUsers: 150, idPrefix: `${p}c-`, checkpointDir: tmp(), target });
    expect(c.dataset).toBe('ciao');
    expect(c.after).toEqual(expectedCounts(importer.parse({ folder: join(DATASETS, 'ciao'), limitUsers: 150, idPrefix: `${p}c-` })));
    expect(c.after.friendships).toBeGreaterThan(0);
    const { records } = await driver.executeQuery(
      `MATCH (a:User)-[r:FRIEND]-(b:User) WHERE a.id STARTS WITH $ns WITH a, b, count(r) AS n WHERE n > 1 RETURN count(*) AS multi`,
      { ns: `${p}c-` },
    );
    expect(records[0].get('multi').toNumber()).toBe(0);
  }, 600_000);

  it('generates a synthetic folder with the CLI and imports it: manifest counts, PLAY weights, cold-start users, rerun writes nothing', async () => {
    const dir = join(tmp(), 'synthetic');
    const gen = spawnSync(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        'src/cli/synthetic.ts',
        dir,
        '--seed',
        '11',
        '--users',
        '80',
        '--communities',
        '4',
        '--items',
        '160',
        '--json',
      ],
      {
        cwd: repoRoot(),
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(gen.status).toBe(0);
    const m = JSON.parse(gen.stdout.trim()).manifest;
    const ns = `${p}syn-`;
    const opts = { folder: dir, idPrefix: ns, checkpointDir: tmp(), target };
    const s = await importer.run(opts);
    expect(s.dataset).toBe('synthetic');
    const c = m.counts;
    expect(s.after).toEqual({
      users: 80,
      items: 160,
      interactions: c.interactions,
      train: c.train,
      test: c.test,
      unsplit: 0,
      friendships: c.friendships,
    });
    expect(c.interactions).toBeGreaterThan(80 * 6);

    const [cold] = m.examples.coldStartUsers;
    const { records } = await driver.executeQuery(
      `MATCH (u:User {id: $cold}) RETURN COUNT { (u)-[:INTERACTED]->() } AS plays, COUNT { (u)-[:FRIEND]-() } AS friends`,
      { cold: ns + cold },
    );
    expect(records[0].get('plays').toNumber()).toBe(0);
    expect(records[0].get('friends').toNumber()).toBeGreaterThan(0);
    const [u, i, plays, split] = readFileSync(join(dir, 'interactions.tsv'), 'utf8').split('\n')[1].split('\t');
    const { records: edge } = await driver.executeQuery(
      `MATCH (:User {id: $u})-[r:INTERACTED]->(i:Item {id: $i}) RETURN r.type AS type, r.weight AS w, r.split AS split, i.tags AS tags, i.title AS title`,
      { u: `${ns}synthetic:u${u}`, i: `${ns}synthetic:i${i}` },
    );
    expect(edge[0].get('type')).toBe('PLAY');
    expect(edge[0].get('w')).toBe(Number(plays));
    expect(edge[0].get('split')).toBe(split);
    expect(m.communities.map((x: { genre: string }) => x.genre)).toContain(edge[0].get('tags')[0]);
    expect(edge[0].get('title')).toEqual(expect.any(String));

    const again = await importer.run(opts);
    expect(again.skipped).toBe(true);
    expect(again.after).toEqual(s.after);
  }, 300_000);

  describe('malformed files: every bad line reported as file:line, nothing written', () => {
    function gowallaFixture(overrides: Record<string, string | Buffer> = {}): string {
      const dir = tmp();
      const files: Record<string, string | Buffer> = {
        'user_list.txt': 'org_id remap_id\n343 0\n5258 1\n',
        'item_list.txt': 'org_id remap_id\n8975 0\n9190 1\n77 2\n88 3\n',
        'train.txt': '0 0 1\n1 1 2\n',
        'valid.txt': '0 2\n1 0\n',
        'test.txt': '0 3\n1 3\n',
        ...overrides,
      };
      for (const [f, body] of Object.entries(files)) writeFileSync(join(dir, f), body);
      return dir;
    }

    it('reports wrong columns, non-integers, unknown ids and truncated lines, and writes nothing', async () => {
      const dir = gowallaFixture({
        'train.txt': '0 0 1\n1 x 2\n7 1\n0\n',
        'user_list.txt': 'org_id remap_id\n343 0\n5258\n5259 1\n',
      });
      const ns = `${p}bad-`;
      const err = await importer.run({ folder: dir, idPrefix: ns, checkpointDir: tmp(), target }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatasetInvalidError);
      const problems = (err as DatasetInvalidError).problems.map((x) => `${x.file}:${x.line}`);
      expect(problems).toEqual(['user_list.txt:3', 'train.txt:2', 'train.txt:3', 'train.txt:4']);
      expect((err as DatasetInvalidError).message).toMatch(/train\.txt:2: item 1: expected a non-negative integer, got "x"/);
      expect(await repo.counts(`${ns}gowalla:`)).toEqual({
        users: 0,
        items: 0,
        interactions: 0,
        train: 0,
        test: 0,
        unsplit: 0,
        friendships: 0,
      });
    });

    it('reports bad UTF-8, wrong headers and wrong column counts in the HetRec files', async () => {
      const dir = tmp();
      const raw = join(LASTFM, 'raw');
      const head = (f: string, n: number) => readFileSync(join(raw, f), 'latin1').split('\n').slice(0, n).join('\n') + '\n';
      writeFileSync(
        join(dir, 'artists.dat'),
        Buffer.concat([
          Buffer.from(head('artists.dat', 3), 'latin1'),
          Buffer.from('3\tCaf\xe9 Tacuba\thttp://x\thttp://y\n', 'latin1'),
          Buffer.from('4\tonly two\n'),
        ]),
      );
      writeFileSync(join(dir, 'tags.dat'), head('tags.dat', 5), 'latin1');
      writeFileSync(join(dir, 'user_taggedartists.dat'), 'userID\tartistID\ttagID\n');
      writeFileSync(join(dir, 'user_artists.dat'), 'userID\tartistID\tweight\n2\t1\t10\n2\t2\t-5\n');
      writeFileSync(join(dir, 'user_friends.dat'), 'userID\tfriendID\n2\t3\n3\t3\n');
      const err = await importer.run({ folder: dir, idPrefix: `${p}bad2-`, checkpointDir: tmp(), target }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatasetInvalidError);
      expect((err as DatasetInvalidError).problems).toEqual([
        { file: 'artists.dat', line: 4, message: 'invalid UTF-8 bytes (wrong encoding?)' },
        { file: 'artists.dat', line: 5, message: expect.stringContaining('expected 4 tab-separated columns, got 2') },
        { file: 'user_taggedartists.dat', line: 1, message: expect.stringContaining('expected header') },
        { file: 'user_artists.dat', line: 3, message: expect.stringContaining('weight: expected a non-negative integer') },
        { file: 'user_friends.dat', line: 3, message: 'self-friendship of user 3' },
      ]);
      expect((await repo.counts(`${p}bad2-hetrec:`)).users).toBe(0);
    });

    it('runs as a CLI: summary on success, file:line and exit 1 on a bad file', () => {
      const run = (args: string[]) =>
        spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/import.ts', ...args], {
          cwd: repoRoot(),
          encoding: 'utf8',
          env: { ...process.env, LOG_LEVEL: 'error' },
          timeout: 120_000,
        });
      const ok = run([
        gowallaFixture(),
        '--dataset',
        'gowalla',
        '--batch',
        '2',
        '--id-prefix',
        `${p}cli-`,
        '--checkpoint-dir',
        tmp(),
        '--json',
      ]);
      expect(ok.status).toBe(0);
      const summary = JSON.parse(ok.stdout.trim().split('\n').pop()!);
      expect(summary.after).toEqual({ users: 2, items: 4, interactions: 8, train: 6, test: 2, unsplit: 0, friendships: 0 });
      const bad = run([gowallaFixture({ 'test.txt': '0 3\n1 9\n' }), '--id-prefix', `${p}cli-`, '--checkpoint-dir', tmp()]);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain('test.txt:2: item 9 is not in item_list.txt');
      const usage = run([]);
      expect(usage.status).toBe(2);
    }, 240_000);
  });
});
