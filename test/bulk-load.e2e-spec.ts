import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j, { Driver } from 'neo4j-driver';
import { appCypherRegistry } from '../src/app.cypher-keys';
import { loadConfig } from '../src/config/config.schema';
import { Neo4jClient } from '../src/graph/neo4j.client';
import { parseEventWeights } from '../src/ingestion/event-weights';
import { DatasetInvalidError } from '../src/ingestion/importer/dataset';
import { BulkLoader, BulkLoadOptions, BulkLoadRepository, BulkNotEmptyError } from '../src/ingestion/importer/own/bulk/bulk-loader';
import { LocalNeo4j } from '../src/ingestion/importer/own/bulk/local-neo4j';
import { loadManifest } from '../src/ingestion/importer/own/manifest';
import { CHUNK_ROWS, OwnImporter } from '../src/ingestion/importer/own/own-importer';
import { OwnImportRepository } from '../src/ingestion/importer/own/own-import.repository';
import { DEFAULT_LIMITS } from '../src/ingestion/importer/own/sources';

/**
 * The bulk first load (--bulk) against a real Neo4j that it stops, loads with neo4j-admin and starts again.
 * It needs an instance of its own that holds no node: BULK_TEST_BOLT_PORT / BULK_TEST_HTTP_PORT (default the
 * test instance's ports + 1; this file starts it with scripts/services.sh and stops it at the end when it is
 * not the test instance). Same files as the transactional importer: same graph, refusal on a non-empty
 * database, and a transactional rerun after the bulk load changes nothing.
 */
const boltPort = process.env.BULK_TEST_BOLT_PORT ?? String(Number(process.env.NEO4J_BOLT_PORT) + 1);
const httpPort = process.env.BULK_TEST_HTTP_PORT ?? String(Number(process.env.NEO4J_HTTP_PORT) + 1);
const uri = `bolt://127.0.0.1:${boltPort}`;
const env = { ...process.env, NEO4J_BOLT_PORT: boltPort, NEO4J_HTTP_PORT: httpPort, NEO4J_URI: uri };

describe('bulk first load (neo4j-admin) on its own real Neo4j', () => {
  const server = new LocalNeo4j(uri, env);
  const ownInstance = boltPort !== process.env.NEO4J_BOLT_PORT;
  let client: Neo4jClient;
  let driver: Driver;
  let importer: OwnImporter;
  let loader: BulkLoader;
  let dir: string;
  const db = { database: process.env.NEO4J_DATABASE ?? 'neo4j' };
  const stops: string[] = [];

  beforeAll(async () => {
    await server.start();
    client = new Neo4jClient(loadConfig(env), appCypherRegistry());
    driver = neo4j.driver(uri);
    importer = new OwnImporter(new OwnImportRepository(client));
    const counting = {
      describe: server.describe,
      start: () => server.start(),
      admin: (a: string[]) => server.admin(a),
      stop: () => (stops.push('stop'), server.stop()),
    };
    loader = new BulkLoader(importer, new BulkLoadRepository(client), counting);
    const { nodes } = await new BulkLoadRepository(client).counts();
    if (nodes) throw new Error(`the bulk-load test needs a Neo4j without nodes on bolt port ${boltPort}; it holds ${nodes}`);
    dir = mkdtempSync(join(tmpdir(), 'tg-bulk-'));
    write();
  }, 300_000);
  afterAll(async () => {
    await driver?.executeQuery('MATCH (n) WHERE n:User OR n:Item OR n:ImportChunk DETACH DELETE n', {}, db);
    await driver?.close();
    await client?.onApplicationShutdown();
    if (ownInstance) await server.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 300_000);

  const file = (name: string, content: string) => writeFileSync(join(dir, name), content);
  /** Two events chunks; pairs spread over both, some events without a time, a name with a line break; items only from events. */
  function write(): void {
    file(
      'users.csv',
      `user_id,display,country\n${Array.from({ length: 40 }, (_, k) => `u${k},"User ${k}${k === 1 ? '\nsecond line, ""quoted""' : ''}",C${k % 3}`).join('\n')}\n`,
    );
    const events = Array.from({ length: CHUNK_ROWS + 2_500 }, (_, k) => {
      const type = ['VIEW', 'LIKE', 'RATING'][k % 3];
      return `u${k % 40},i${(k * 7) % 150},${type},${type === 'RATING' ? (k % 5) + 0.5 : ''},${k % 13 ? 1_700_000_000 + ((k * 37) % 5000) : ''}`;
    });
    events.splice(7_000, 0, 'u1,i1,WATCH,,'); // a bad row in the middle: both imports skip it (skipBadRows)
    file('events.csv', `user,item,type,weight,timestamp\n${events.join('\n')}\n`);
    file('social.csv', 'from,to,kind\nu2,u1,friend\nu1,u2,friend\nu3,u1,follow\nu3,u1,follow\nu1,u3,follow\nu4,u39,friend\n');
    file(
      'import.yaml',
      'users: { file: users.csv, columns: { id: user_id, name: display }, attributes: [country] }\ninteractions: events.csv\nfriendships: { file: social.csv, columns: { a: from, b: to } }\n',
    );
    file('bad.csv', 'user,item,type,weight,timestamp\nu1,i1,VIEW,,\nu1,i2,WATCH,,\n');
    file('bad.yaml', 'interactions: bad.csv\n');
  }
  const options = (manifestFile: string, prefix: string): BulkLoadOptions => {
    const manifest = loadManifest(join(dir, manifestFile));
    manifest.idPrefix = prefix;
    return {
      manifest,
      ctx: { idPrefix: prefix, eventWeights: parseEventWeights('VIEW=1,LIKE=3,RATING=value'), maxTs: Date.now() + 300_000 },
      limits: DEFAULT_LIMITS,
      rejectsDir: join(dir, 'rejects'),
      checkpointDir: join(dir, `checkpoints-${prefix}`),
      target: 'bulk-e2e',
      database: db.database,
      workDir: join(dir, 'bulk'),
      skipBadRows: manifestFile === 'import.yaml',
    };
  };
  /** Every node and edge under a prefix, prefix removed, as sorted JSON lines (times of writing and rk as presence only). */
  async function snapshot(prefix: string): Promise<string[]> {
    const { records } = await driver.executeQuery(
      `MATCH (n) WHERE (n:User OR n:Item) AND n.id STARTS WITH $p
       OPTIONAL MATCH (n)-[r]->(m)
       RETURN labels(n) AS labels, properties(n) AS props, type(r) AS rel, m.id AS other, properties(r) AS rprops`,
      { p: prefix },
      db,
    );
    return records
      .map((r) => {
        const { createdAt, updatedAt, ...props } = r.get('props') as Record<string, unknown>;
        const { rk, ...rprops } = (r.get('rprops') ?? {}) as Record<string, unknown>;
        const times = [typeof createdAt, typeof updatedAt, typeof rk];
        return JSON.stringify([r.get('labels'), props, times, r.get('rel'), r.get('other'), rprops])
          .split(prefix)
          .join('');
      })
      .sort();
  }
  const nodes = async () => (await new BulkLoadRepository(client).counts()).nodes;

  it('refuses bad rows before touching the server, and a database that holds nodes', async () => {
    const bad = await loader.run(options('bad.yaml', 'x:')).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(DatasetInvalidError);
    expect(stops).toEqual([]);

    await importer.run(options('import.yaml', 't:')); // the transactional importer's graph, kept for the next test
    const refused = await loader.run(options('import.yaml', 'b:')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BulkNotEmptyError);
    expect((refused as Error).message).toMatch(/refusing the bulk load: .* holds \d+ node\(s\) \(40 User, 150 Item\).*Nothing was changed/);
    expect(stops).toEqual([]);
    expect(await nodes()).toBeGreaterThan(190);
  }, 600_000);

  it('loads the same graph as the transactional importer, with its chunk claims: a transactional rerun changes nothing', async () => {
    const transactional = await snapshot('t:');
    expect(transactional).toHaveLength(600 + 2 + 2 + 150); // (u k%40, i 7k%150) repeats every 600 events; friends, follows, items
    await driver.executeQuery('MATCH (n) WHERE n:User OR n:Item OR n:ImportChunk DETACH DELETE n', {}, db);
    expect(await nodes()).toBe(0);

    const s = await loader.run(options('import.yaml', 'b:'));
    expect(stops).toEqual(['stop']);
    await driver.close(); // its bookmarks name transactions of the database the load replaced
    driver = neo4j.driver(uri);
    expect(s.badRows).toBe(1);
    expect(s.rejects).toEqual([join(dir, 'rejects', 'events.csv.rejects.csv')]);
    expect(s.counts).toMatchObject({
      users: 40,
      items: 150,
      events: CHUNK_ROWS + 2_500,
      chunks: 2,
      friendships: 2,
      follows: 2,
      edgesWithoutUser: 0,
    });
    const bulk = await snapshot('b:');
    expect(bulk).toEqual(transactional);
    const { records } = await driver.executeQuery(
      `MATCH (u:User)-[r:INTERACTED]->() RETURN sum(r.count) AS events, count(r.rk) AS rk, count(DISTINCT r.rk) AS distinctRk`,
      {},
      db,
    );
    expect(records[0].get('events').toNumber()).toBe(CHUNK_ROWS + 2_500);
    expect(records[0].get('rk').toNumber()).toBe(s.counts.interactions);
    expect(records[0].get('distinctRk').toNumber()).toBe(s.counts.interactions);
    const constraints = await driver.executeQuery('SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names', {}, db);
    expect(constraints.records[0].get('names')).toEqual(
      expect.arrayContaining(['user_id_unique', 'item_id_unique', 'import_chunk_id_unique']),
    );

    const rerun = await importer.run(options('import.yaml', 'b:'));
    expect(rerun.written).toEqual({ users: 0, items: 0, edgesChanged: 0, events: 0, friendships: 0, follows: 0 });
    expect(await snapshot('b:')).toEqual(bulk);
  }, 600_000);
});
