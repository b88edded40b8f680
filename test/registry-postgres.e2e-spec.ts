/**
 * The model registry on a real PostgreSQL, with the same flow run on SQLite next to it: migrations,
 * registering trained versions, listing, promoting, rolling back, dates that round-trip, and the
 * state surviving a restart.
 *
 * Needs a PostgreSQL on 127.0.0.1:$PG_PORT (default 15432) that trusts user `postgres` there:
 * scripts/test.sh starts one with `scripts/services.sh start postgres`. Each run makes its own
 * database and drops it afterwards. The app's PostgreSQL session runs in a time zone far from the
 * app's, so a date column that stores wall-clock time instead of an instant shows up here.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Driver } from 'neo4j-driver';
import { Client } from 'pg';
import { ModelVersionEntity } from '../src/model-registry/model-version.entity';
import { ModelRegistryRepository } from '../src/model-registry/model-registry.repository';
import { ModelRegistryService } from '../src/model-registry/model-registry.service';
import { ModelStore } from '../src/model-registry/model-store';
import { startApp, TestApp, testPrefix } from './support/app';
import { cleanup, ensureSchema, testDriver } from './support/graph';
import { removeTrained, seedTasteGraph, TrainedModel, trainAndRegister } from './support/model';
import { connectAdmin, pgPort } from './support/postgres';

const PG_PORT = pgPort();
const ADMIN = 'registry-admin-token-1';
const auth = { authorization: `Bearer ${ADMIN}` };
const FIELDS = 'id kind status runId metrics { all } hyperparameters createdAt activatedAt';
const SESSION_TZ = 'Pacific/Chatham'; // UTC+12:45/+13:45: far from any machine's zone

interface Driverset {
  name: string;
  env: () => Record<string, string>;
}

describe('model registry on PostgreSQL and SQLite (real trainer artefacts, real services)', () => {
  const p = testPrefix('registry');
  const dbName = `tastegraph_test_${randomBytes(4).toString('hex')}`;
  const sqliteDir = mkdtempSync(join(tmpdir(), 'tastegraph-registry-'));
  let driver: Driver;
  let admin: Client;
  let lightgcn: TrainedModel;
  let socialgcn: TrainedModel;
  let setUp = false;

  beforeAll(async () => {
    admin = await connectAdmin();
    await admin.query(`CREATE DATABASE "${dbName}"`);
    driver = testDriver();
    await ensureSchema();
    await seedTasteGraph(driver, p);
    // Trains both models once, in an app with a throwaway registry; each driver registers the artefacts itself.
    const trainer = await startApp();
    try {
      lightgcn = await trainAndRegister(trainer.app, {
        idPrefix: p,
        kind: 'LIGHTGCN',
        epochs: 10,
        dim: 16,
        promote: false,
        timeoutMs: 240_000,
      });
      socialgcn = await trainAndRegister(trainer.app, {
        idPrefix: p,
        kind: 'SOCIALGCN',
        epochs: 10,
        dim: 16,
        promote: false,
        timeoutMs: 240_000,
      });
    } finally {
      await trainer.close();
    }
    setUp = true;
  }, 600_000);

  afterAll(async () => {
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await admin.end();
    }
    removeTrained(lightgcn, socialgcn);
    rmSync(sqliteDir, { recursive: true, force: true });
    if (driver) {
      await cleanup(driver, p);
      await driver.close();
    }
  });

  const drivers: Driverset[] = [
    {
      name: 'PostgreSQL',
      env: () => ({
        DATABASE_URL: `postgres://postgres@127.0.0.1:${PG_PORT}/${dbName}?options=${encodeURIComponent(`-c TimeZone=${SESSION_TZ}`)}`,
      }),
    },
    { name: 'SQLite', env: () => ({ DATABASE_SQLITE_PATH: join(sqliteDir, 'registry.sqlite') }) },
  ];

  describe.each(drivers)('on $name', ({ name, env }) => {
    let t: TestApp;
    const boot = async () => (t = await startApp({ ...env(), ADMIN_TOKEN: ADMIN, ARTIFACT_CACHE_DIR: join(sqliteDir, `cache-${name}`) }));
    const versions = async () => {
      const res = await t.gql(`query { modelVersions(first: 100) { edges { node { ${FIELDS} } } } activeModel { id } }`);
      expect(res.errors).toBeUndefined();
      const d = res.data as { modelVersions: { edges: Array<{ node: Record<string, any> }> }; activeModel: { id: string } | null };
      return { modelVersions: d.modelVersions.edges.map((e) => e.node), activeModel: d.activeModel };
    };
    const promote = async (id: string) => {
      const res = await t.gql(`mutation($id: ID!) { promoteModelVersion(id: $id) { ${FIELDS} } }`, { id }, auth);
      expect(res.errors).toBeUndefined();
      return res.data!.promoteModelVersion as Record<string, any>;
    };
    const rollback = async () => {
      const res = await t.gql(`mutation { rollbackModel { ${FIELDS} } }`, {}, auth);
      expect(res.errors).toBeUndefined();
      return res.data!.rollbackModel as Record<string, any>;
    };
    const register = (m: TrainedModel) =>
      t.app.get(ModelRegistryService).register({
        kind: m.version.kind,
        artifactDir: m.dir,
        runId: `${name}-${m.version.kind}`,
        snapshotStats: { users: 48, items: 36 },
        hyperparameters: m.version.hyperparameters,
        checksums: m.version.checksums,
      });

    let a: ModelVersionEntity;
    let b: ModelVersionEntity;
    const activated: Record<string, string> = {};

    beforeAll(async () => {
      // Jest still runs this hook when the outer one failed: booting against a missing database would only bury its error.
      if (!setUp) throw new Error('the shared set-up failed (see the first error of this file)');
      await boot();
    }, 120_000);
    afterAll(async () => {
      await t?.close();
    });

    it('starts with the migrated, empty registry and nothing to roll back to', async () => {
      expect(await versions()).toEqual({ modelVersions: [], activeModel: null });
      const res = await t.gql(`mutation { rollbackModel { id } }`, {}, auth);
      expect(res.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NO_PREVIOUS_VERSION' });
      if (name === 'PostgreSQL') {
        const db = await connectAdmin(dbName);
        try {
          const applied = await db.query<{ name: string }>('SELECT name FROM migrations ORDER BY id');
          expect(applied.rows.map((r) => r.name)).toEqual([
            'CreateModelVersions1764219600000',
            'ModelVersionsPostgresDefaults1795768800000',
            'CreateModelArtifacts1796403600000',
            'CreateModelSliceChoices1796490000000',
            'ModelArtifactChunks1796580000000',
          ]);
          const blob = await db.query<{ data_type: string }>(
            `SELECT data_type FROM information_schema.columns WHERE table_name = 'model_artifact_chunks' AND column_name = 'bytes'`,
          );
          expect(blob.rows).toEqual([{ data_type: 'bytea' }]);
          const cols = await db.query<{ column_name: string; data_type: string; column_default: string | null }>(
            `SELECT column_name, data_type, column_default FROM information_schema.columns WHERE table_name = 'model_versions' AND column_name IN ('id', 'activatedAt', 'createdAt')`,
          );
          expect(Object.fromEntries(cols.rows.map((c) => [c.column_name, c.data_type]))).toEqual({
            id: 'uuid',
            activatedAt: 'timestamp with time zone',
            createdAt: 'timestamp with time zone',
          });
          expect(cols.rows.find((c) => c.column_name === 'id')!.column_default).toBe('gen_random_uuid()');
        } finally {
          await db.end();
        }
      }
    });

    it('registers trained versions as candidates and lists them newest first with their JSON intact', async () => {
      a = await register(lightgcn);
      await new Promise((r) => setTimeout(r, 1100)); // SQLite's datetime('now') counts whole seconds
      b = await register(socialgcn);
      expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(b.id).not.toBe(a.id);
      expect([a.status, b.status]).toEqual(['CANDIDATE', 'CANDIDATE']);
      const { modelVersions, activeModel } = await versions();
      expect(activeModel).toBeNull();
      expect(modelVersions.map((v) => [v.id, v.kind, v.status, v.activatedAt])).toEqual([
        [b.id, 'SOCIALGCN', 'CANDIDATE', null],
        [a.id, 'LIGHTGCN', 'CANDIDATE', null],
      ]);
      const metrics = JSON.parse(readFileSync(join(lightgcn.dir, 'metrics.json'), 'utf8'));
      expect(modelVersions[1]).toMatchObject({
        runId: `${name}-LIGHTGCN`,
        metrics: { all: metrics },
        hyperparameters: lightgcn.version.hyperparameters,
      });
      // modelVersions pages like every list: one version per page, the second page continues after the first
      const PAGE = `query($after: String) { modelVersions(first: 1, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { id } } } }`;
      const p1 = (await t.gql(PAGE)).data!.modelVersions;
      const p2 = (await t.gql(PAGE, { after: p1.pageInfo.endCursor })).data!.modelVersions;
      expect([p1.edges[0].node.id, p2.edges[0].node.id]).toEqual([b.id, a.id]);
      expect([p1.totalCount, p1.pageInfo.hasNextPage, p1.pageInfo.hasPreviousPage]).toEqual([2, true, false]);
      expect([p2.pageInfo.hasNextPage, p2.pageInfo.hasPreviousPage]).toEqual([false, true]);
    });

    it('promotes one version, then a second, and rolls back and forth, with dates that round-trip', async () => {
      const first = await promote(a.id);
      expect(first).toMatchObject({ id: a.id, status: 'ACTIVE' });
      activated.a1 = first.activatedAt;
      expect((await versions()).activeModel).toEqual({ id: a.id });

      const second = await promote(b.id);
      activated.b1 = second.activatedAt;
      let listed = await versions();
      expect(listed.activeModel).toEqual({ id: b.id });
      expect(listed.modelVersions.map((v) => [v.id, v.status, v.activatedAt])).toEqual([
        [b.id, 'ACTIVE', activated.b1],
        [a.id, 'RETIRED', activated.a1],
      ]);
      expect(Date.parse(activated.b1)).toBeGreaterThan(Date.parse(activated.a1));

      const back = await rollback();
      expect(back).toMatchObject({ id: a.id, status: 'ACTIVE', kind: 'LIGHTGCN' });
      activated.a2 = back.activatedAt;
      expect(Date.parse(activated.a2)).toBeGreaterThan(Date.parse(activated.b1));
      listed = await versions();
      expect(listed.modelVersions.map((v) => [v.id, v.status, v.activatedAt])).toEqual([
        [b.id, 'RETIRED', activated.b1],
        [a.id, 'ACTIVE', activated.a2],
      ]);

      const forth = await rollback();
      expect(forth).toMatchObject({ id: b.id, status: 'ACTIVE', kind: 'SOCIALGCN' });
      activated.b2 = forth.activatedAt;
      listed = await versions();
      expect(listed.activeModel).toEqual({ id: b.id });
      expect(listed.modelVersions.map((v) => [v.id, v.status, v.activatedAt])).toEqual([
        [b.id, 'ACTIVE', activated.b2],
        [a.id, 'RETIRED', activated.a2],
      ]);

      // The database's clock (createdAt defaults to now()) and the app's (activatedAt) agree.
      for (const v of listed.modelVersions) {
        const lag = Date.parse(v.activatedAt) - Date.parse(v.createdAt);
        expect(lag).toBeGreaterThanOrEqual(-2000);
        expect(lag).toBeLessThan(10 * 60_000);
      }
      const recs = await t.gql(
        `query($u: ID!) { recommendations(userId: $u, first: 5) { modelVersionId edges { node { item { id } } } } }`,
        {
          u: `${p}u-rock-0`,
        },
      );
      expect(recs.errors).toBeUndefined();
      expect(recs.data!.recommendations.modelVersionId).toBe(b.id);
      expect(recs.data!.recommendations.edges).toHaveLength(5);
    });

    it('keeps the registry and serves the active version again after a restart', async () => {
      const before = await versions();
      await t.close();
      await boot();
      expect(await versions()).toEqual(before);
      const ready = await t.get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.checks.sql.ok).toBe(true);
      expect(ready.body.checks.model.detail.active.id).toBe(b.id);
      const kinds = await t.gql(`query($u: ID!) { recommendations(userId: $u, first: 5, model: LIGHTGCN) { modelVersionId } }`, {
        u: `${p}u-jazz-3`,
      });
      expect(kinds.errors).toBeUndefined();
      expect(kinds.data!.recommendations.modelVersionId).toBe(a.id); // the latest activated LightGCN, found by activatedAt
    });

    it('loads a version whose run folder is gone from the registry database on another replica; a corrupt one is never promoted and the active keeps serving', async () => {
      // The worker registers from its own disk; then that disk is gone (another host, or retention).
      const registerGone = async (m: TrainedModel) => {
        const run = mkdtempSync(join(sqliteDir, 'run-'));
        cpSync(m.dir, run, { recursive: true });
        const v = await t.app.get(ModelRegistryService).register({
          kind: m.version.kind,
          artifactDir: run,
          runId: `${name}-gone-${m.version.kind}`,
          snapshotStats: null,
          hyperparameters: m.version.hyperparameters,
          checksums: m.version.checksums,
        });
        rmSync(run, { recursive: true, force: true });
        return v;
      };
      const c = await registerGone(lightgcn);
      const d = await registerGone(socialgcn);
      const replicaCache = join(sqliteDir, `cache-${name}-replica`);
      const replica = await startApp({ ...env(), ADMIN_TOKEN: ADMIN, ARTIFACT_CACHE_DIR: replicaCache });
      const recommend = async (app: TestApp) => {
        const res = await app.gql(
          `query($u: ID!) { recommendations(userId: $u, first: 5) { modelVersionId edges { node { item { id } } } } }`,
          {
            u: `${p}u-pop-2`,
          },
        );
        expect(res.errors).toBeUndefined();
        expect(res.data!.recommendations.edges).toHaveLength(5);
        return res.data!.recommendations.modelVersionId as string;
      };
      try {
        const promoted = await replica.gql(`mutation($id: ID!) { promoteModelVersion(id: $id) { id status } }`, { id: c.id }, auth);
        expect(promoted.errors).toBeUndefined();
        expect(promoted.data!.promoteModelVersion).toEqual({ id: c.id, status: 'ACTIVE' });
        expect(readdirSync(join(replicaCache, c.id)).sort()).toEqual(Object.keys(c.checksums).sort());
        expect(await recommend(replica)).toBe(c.id);
        // The first replica follows the registry from the database too (its own cache).
        await t.app.get(ModelStore).sync();
        expect(await recommend(t)).toBe(c.id);

        // A blob whose bytes fail the registry's sha256: refused with a stable reason, nothing changes.
        await replica.app.get(ModelRegistryRepository).putArtifactBytes(d.id, 'scorer.onnx', Buffer.from('not an ONNX model'));
        const refused = await replica.gql(`mutation($id: ID!) { promoteModelVersion(id: $id) { id } }`, { id: d.id }, auth);
        expect(refused.errors![0].message).toMatch(`artefact scorer.onnx of version ${d.id} from the registry database fails its checksum`);
        expect(refused.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'BAD_ARTIFACT' });
        expect((await versions()).activeModel).toEqual({ id: c.id });
        expect(await recommend(replica)).toBe(c.id);

        // Marked ACTIVE behind the API's back (a worker's auto-promotion on a host that still had the files):
        // every replica keeps serving what it had and says why.
        await replica.app.get(ModelRegistryRepository).activate(d.id, new Date());
        await expect(replica.app.get(ModelStore).sync()).rejects.toThrow(`active version ${d.id} not loaded (keeps serving ${c.id};`);
        expect(await recommend(replica)).toBe(c.id);
        await expect(t.app.get(ModelStore).sync()).rejects.toThrow(/fails its checksum/);
        expect(await recommend(t)).toBe(c.id);
      } finally {
        await replica.close();
      }
    });
  });
});
