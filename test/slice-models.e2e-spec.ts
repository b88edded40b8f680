/**
 * Per-slice serving model choice (decision 0033), against real services:
 * - the migration that creates model_slice_choices, on PostgreSQL and SQLite (columns, cascade, down);
 * - a real trained LightGCN / SocialGCN pair on the seeded taste graph: promoting SocialGCN builds its slice
 *   table from validation only, with the LightGCN run as the candidate. The graph has 48 users, so no slice
 *   reaches 100 validation users and the table keeps SocialGCN everywhere (real runs never pay here); then a
 *   forced table (one slice switched to LightGCN, written to the registry) is followed by the store and a
 *   request in that slice is served by LightGCN, a request in another slice by SocialGCN, and with
 *   SLICE_MODEL_CHOICE=false by SocialGCN.
 *
 * Needs the test PostgreSQL on 127.0.0.1:$PG_PORT (scripts/services.sh start postgres).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Driver } from 'neo4j-driver';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../migrations';
import { ModelRegistryRepository } from '../src/model-registry/model-registry.repository';
import { ModelStore } from '../src/model-registry/model-store';
import { SERVING_SLICES, SliceChoice } from '../src/model-registry/slice-choice';
import { startApp, TestApp, testPrefix } from './support/app';
import { cleanup, ensureSchema, testDriver } from './support/graph';
import { removeTrained, seedTasteGraph, TasteGraph, TrainedModel, trainAndRegister } from './support/model';
import { dropTestDatabase, registryEngines } from './support/postgres';

const ADMIN = 'slice-admin-token-1';
const auth = { authorization: `Bearer ${ADMIN}` };
const TABLE = `query($v: ID) { modelSliceTable(versionId: $v) { versionId enabled slices {
  slice versionId kind reason users activeRecall activeHalfWidth candidateVersionId candidateRecall candidateHalfWidth } } }`;
const RECS = `query($u: ID!) { recommendations(userId: $u, first: 5) { modelVersionId modelKind modelSlice path edges { node { item { id } } } } }`;

describe('model_slice_choices migration (PostgreSQL and SQLite)', () => {
  const dbName = `tastegraph_test_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'tastegraph-slices-'));
  afterAll(async () => {
    await dropTestDatabase(dbName);
    rmSync(dir, { recursive: true, force: true });
  });
  const drivers = registryEngines(dir, dbName);

  it.each(drivers)(
    'on $name: creates the table with its keys, rows go with their version, and down drops it',
    async ({ name, options }) => {
      // every migration up to this one (its down is undone below)
      const upTo = MIGRATIONS.slice(0, MIGRATIONS.findIndex((m) => m.name === 'CreateModelSliceChoices1796490000000') + 1);
      const ds = new DataSource({ ...(await options()), migrations: upTo, logging: false } as DataSourceOptions);
      await ds.initialize();
      try {
        const applied = await ds.runMigrations({ transaction: 'each' });
        expect(applied.map((m) => m.name).at(-1)).toBe('CreateModelSliceChoices1796490000000');
        const pg = name === 'PostgreSQL';
        const p = (n: number) => (pg ? `$${n}` : '?');
        const columns = pg
          ? (
              (await ds.query(
                `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_name = 'model_slice_choices'`,
              )) as Array<{ name: string; type: string }>
            ).map((c) => [c.name, c.type])
          : ((await ds.query(`PRAGMA table_info(model_slice_choices)`)) as Array<{ name: string; type: string }>).map((c) => [
              c.name,
              c.type,
            ]);
        const types = Object.fromEntries(columns);
        expect(Object.keys(types).sort()).toEqual(
          [
            'activeHalfWidth',
            'activeRecall',
            'activeVersionId',
            'candidateHalfWidth',
            'candidateRecall',
            'candidateVersionId',
            'kind',
            'reason',
            'slice',
            'users',
            'versionId',
          ].sort(),
        );
        expect([types.activeVersionId, types.activeRecall]).toEqual(pg ? ['uuid', 'double precision'] : ['varchar(36)', 'REAL']);

        // two versions, a row pointing from one to the other; the same (version, slice) twice is refused
        const ids = pg ? ['7b0c6a53-9d77-4f0e-9a55-2a1d5bbf0a01', '7b0c6a53-9d77-4f0e-9a55-2a1d5bbf0a02'] : ['v-a', 'v-b'];
        for (const id of ids)
          await ds.query(
            `INSERT INTO model_versions ("id", "kind", "status", "artifactDir", "checksums") VALUES (${p(1)}, 'LIGHTGCN', 'CANDIDATE', '/x', '{}')`,
            [id],
          );
        const insert = `INSERT INTO model_slice_choices ("activeVersionId", "slice", "versionId", "kind", "reason", "users", "activeRecall") VALUES (${p(1)}, ${p(2)}, ${p(3)}, 'LIGHTGCN', 'PAYS', 150, 0.25)`;
        await ds.query(insert, [ids[0], 'by_interactions:6-20', ids[1]]);
        await expect(ds.query(insert, [ids[0], 'by_interactions:6-20', ids[1]])).rejects.toThrow();
        const [row] = (await ds.query(`SELECT "users", "activeRecall" FROM model_slice_choices`)) as Array<{
          users: number;
          activeRecall: number;
        }>;
        expect([Number(row.users), Number(row.activeRecall)]).toEqual([150, 0.25]);
        if (!pg) await ds.query('PRAGMA foreign_keys = ON');
        await ds.query(`DELETE FROM model_versions WHERE "id" = ${p(1)}`, [ids[1]]);
        expect(await ds.query(`SELECT * FROM model_slice_choices`)).toEqual([]);

        await ds.undoLastMigration({ transaction: 'each' });
        await expect(ds.query(`SELECT * FROM model_slice_choices`)).rejects.toThrow();
      } finally {
        await ds.destroy();
      }
    },
  );
});

describe('per-slice serving with a real trained pair (LightGCN, SocialGCN)', () => {
  const p = testPrefix('slices');
  let driver: Driver;
  let graph: TasteGraph;
  let t: TestApp;
  let lightgcn: TrainedModel;
  let socialgcn: TrainedModel;
  const user = () => graph.users.rock[3];

  beforeAll(async () => {
    driver = testDriver();
    await ensureSchema();
    graph = await seedTasteGraph(driver, p);
    t = await startApp({ ADMIN_TOKEN: ADMIN, TRAINING_ID_PREFIX: p });
    const opts = { idPrefix: p, epochs: 10, dim: 16, timeoutMs: 240_000 };
    lightgcn = await trainAndRegister(t.app, { ...opts, kind: 'LIGHTGCN', promote: false });
    socialgcn = await trainAndRegister(t.app, { ...opts, kind: 'SOCIALGCN' }); // promoted: its table is built now
  }, 600_000);

  afterAll(async () => {
    await t?.close();
    removeTrained(lightgcn, socialgcn);
    if (driver) {
      await cleanup(driver, p);
      await driver.close();
    }
  });

  const table = async () => {
    const res = await t.gql(TABLE, {}, auth);
    expect(res.errors).toBeUndefined();
    return res.data!.modelSliceTable as { versionId: string; enabled: boolean; slices: Array<Record<string, any>> };
  };
  const recommend = async (app: TestApp, userId: string) => {
    const res = await app.gql(RECS, { u: userId });
    expect(res.errors).toBeUndefined();
    const r = res.data!.recommendations;
    expect(r.edges).toHaveLength(5);
    return r as { modelVersionId: string; modelKind: string; modelSlice: string | null; edges: Array<{ node: { item: { id: string } } }> };
  };

  it('builds the table from validation at promotion: the LightGCN run is the candidate, but no slice has 100 users, so SocialGCN serves all', async () => {
    const s = socialgcn.version.id;
    const tbl = await table();
    expect(tbl).toMatchObject({ versionId: s, enabled: true });
    expect(tbl.slices.map((r) => r.slice).sort()).toEqual([...SERVING_SLICES].sort());
    expect(tbl.slices.every((r) => r.versionId === s && r.kind === 'SOCIALGCN')).toBe(true);
    // the seeded users all have 7 interactions: the 6-20 bucket holds every validation user, under 100 of them
    const busy = tbl.slices.find((r) => r.slice === 'by_interactions:6-20')!;
    expect(busy).toMatchObject({ reason: 'TOO_FEW_USERS', candidateVersionId: lightgcn.version.id });
    expect(busy.users).toBeGreaterThan(0);
    expect(busy.users).toBeLessThan(100);
    expect(typeof busy.activeRecall).toBe('number');
    expect(typeof busy.candidateRecall).toBe('number');
    for (const r of tbl.slices.filter((x) => x.slice !== busy.slice)) expect(['NO_FIGURES', 'TOO_FEW_USERS']).toContain(r.reason);
    // an admin query: a read-only caller is refused, an unknown version is NOT_FOUND
    expect((await t.gql(TABLE, {})).errors?.[0].extensions?.code).toMatch(/UNAUTHENTICATED|FORBIDDEN/);
    const unknown = await t.gql(TABLE, { v: '00000000-0000-4000-8000-000000000000' }, auth);
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'MODEL_VERSION_NOT_FOUND' });

    const r = await recommend(t, user());
    expect(r).toMatchObject({ modelVersionId: s, modelKind: 'SOCIALGCN', modelSlice: 'by_interactions:6-20' });
  });

  it('routes a forced table through the service: the switched slice is served by LightGCN, the others by SocialGCN', async () => {
    const s = socialgcn.version.id;
    const l = lightgcn.version.id;
    const before = await table();
    const forced = before.slices.map((r) => ({
      ...r,
      activeVersionId: s,
      ...(r.slice === 'by_interactions:6-20' ? { versionId: l, kind: 'LIGHTGCN', reason: 'PAYS' } : {}),
    })) as SliceChoice[];
    await t.app.get(ModelRegistryRepository).replaceSliceChoices(s, forced);
    await t.app.get(ModelStore).sync(); // what the 5 s poll does on every replica
    expect(t.app.get(ModelStore).routed().routing?.models.get('by_interactions:6-20')?.version.id).toBe(l);

    const switched = await recommend(t, user());
    expect(switched).toMatchObject({ modelVersionId: l, modelKind: 'LIGHTGCN', modelSlice: 'by_interactions:6-20' });

    // a new user with two items and a friend is in the sparse-with-friends slice: still SocialGCN
    const fresh = `${p}u-new-sparse`;
    await driver.executeQuery(
      `CREATE (u:User {id: $u, name: 'new', createdAt: 0, attributesJson: '{}'}) WITH u
       MATCH (f:User {id: $f}) MERGE (u)-[:FRIEND]->(f) WITH u
       UNWIND $items AS id MATCH (i:Item {id: id}) MERGE (u)-[r:INTERACTED]->(i) SET r.weight = 1.0, r.count = 1, r.lastTs = 1, r.rk = rand()`,
      { u: fresh, f: user(), items: graph.items.rock.slice(0, 2) },
    );
    expect(await recommend(t, fresh)).toMatchObject({
      modelVersionId: s,
      modelKind: 'SOCIALGCN',
      modelSlice: 'sparse_with_friends:<=5 & friends>=1',
    });

    const routed = switched.edges.map((e) => e.node.item.id);
    // LightGCN made active serves the same user the same page the slice routing gave (same model, same state)
    const promoted = await t.gql(`mutation($id: ID!) { promoteModelVersion(id: $id) { id } }`, { id: l }, auth);
    expect(promoted.errors).toBeUndefined();
    const direct = await recommend(t, user());
    expect(direct).toMatchObject({ modelVersionId: l, modelKind: 'LIGHTGCN' });
    expect(direct.edges.map((e) => e.node.item.id)).toEqual(routed);
    // and LightGCN's own table (built at this activation) keeps LightGCN on every slice (too few users)
    expect((await table()).slices.every((r) => r.versionId === l)).toBe(true);
  });

  it('with SLICE_MODEL_CHOICE=false a table that switches every slice loads no other version and routes nothing', async () => {
    const off = await startApp({ ADMIN_TOKEN: ADMIN, SLICE_MODEL_CHOICE: 'false' });
    try {
      const store = off.app.get(ModelStore);
      const s = await store.load(socialgcn.version);
      const forced = SERVING_SLICES.map((slice) => ({
        activeVersionId: s.version.id,
        slice,
        versionId: lightgcn.version.id,
        kind: 'LIGHTGCN',
      }));
      const routing = await store.sliceRouting(s, forced as SliceChoice[]);
      expect(routing).toMatchObject({ enabled: false, activeVersionId: s.version.id });
      expect(routing.models.size).toBe(0);
      store.swap(s, routing);
      expect((await recommend(off, user())).modelSlice).toBeNull();
      expect((await recommend(off, user())).modelVersionId).toBe(s.version.id);
      // its own registry (in-memory SQLite) has no active version: the admin query answers null
      expect((await off.gql(TABLE, {}, auth)).data!.modelSliceTable).toBeNull();
    } finally {
      await off.close();
    }
  });
});
