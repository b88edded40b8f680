import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j, { Driver } from 'neo4j-driver';
import { ModelRegistryRepository } from '../src/model-registry/model-registry.repository';
import { RetentionService } from '../src/training/retention.service';
import { startApp, TestApp, testPrefix } from './support/app';
import { testDriver } from './support/graph';

/** Retention (issue #21): old run folders and snapshots go, the active and previous versions keep their model, old event ids go. */
describe('retention: RETENTION_DAYS and RETENTION_EVENT_DAYS', () => {
  let t: TestApp;
  let driver: Driver;
  const runs = mkdtempSync(join(tmpdir(), 'tastegraph-retention-'));
  const p = testPrefix('retention');
  const db = { database: process.env.NEO4J_DATABASE ?? 'neo4j' };
  const DAY = 86_400_000;

  beforeAll(async () => {
    driver = testDriver();
    t = await startApp({ TRAINER_RUNS_DIR: runs, RETENTION_DAYS: '30', RETENTION_EVENT_DAYS: '7' });
  }, 120_000);
  afterAll(async () => {
    await driver.executeQuery('MATCH (e:Event) WHERE e.id STARTS WITH $p DELETE e', { p }, db);
    await t?.close();
    await driver.close();
    rmSync(runs, { recursive: true, force: true });
  });

  /** A run folder with a snapshot and a model, last modified `days` ago. */
  function run(name: string, days: number): string {
    const dir = join(runs, name);
    for (const sub of ['snapshot', 'model']) {
      mkdirSync(join(dir, sub), { recursive: true });
      writeFileSync(join(dir, sub, 'users.tsv'), 'index\tid\n0\tsomeone\n');
    }
    const at = new Date(Date.now() - days * DAY);
    utimesSync(dir, at, at);
    return dir;
  }

  it('deletes old runs whole, keeps young ones, and leaves the active and previous versions their model (snapshot gone)', async () => {
    const registry = t.app.get(ModelRegistryRepository);
    const version = async (dir: string) =>
      registry.insertCandidate(
        {
          kind: 'LIGHTGCN',
          artifactDir: join(dir, 'model'),
          runId: null,
          snapshotStats: null,
          hyperparameters: null,
          metrics: null,
          checksums: {},
        },
        [],
      );
    const previous = await version(run('old-previous', 90));
    const active = await version(run('old-active', 60));
    await registry.activate(previous.id, new Date(Date.now() - 2_000));
    await registry.activate(active.id, new Date());
    run('old-retired', 45);
    run('young', 3);
    await driver.executeQuery(
      'UNWIND $rows AS r CREATE (:Event {id: r.id, at: r.at})',
      {
        rows: [
          { id: `${p}old`, at: neo4j.int(Date.now() - 8 * DAY) },
          { id: `${p}new`, at: neo4j.int(Date.now() - DAY) },
        ],
      },
      db,
    );

    const out = await t.app.get(RetentionService).run();
    expect(out.runsDeleted).toEqual(['old-retired']);
    expect(out.snapshotsDeleted.sort()).toEqual(['old-active', 'old-previous']);
    expect(out.eventIdsDeleted).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(runs, 'old-retired'))).toBe(false);
    for (const kept of ['old-active', 'old-previous']) {
      expect(existsSync(join(runs, kept, 'model', 'users.tsv'))).toBe(true);
      expect(existsSync(join(runs, kept, 'snapshot'))).toBe(false);
    }
    expect(existsSync(join(runs, 'young', 'snapshot', 'users.tsv'))).toBe(true);
    const { records } = await driver.executeQuery('MATCH (e:Event) WHERE e.id STARTS WITH $p RETURN collect(e.id) AS ids', { p }, db);
    expect(records[0].get('ids')).toEqual([`${p}new`]);
  });
});
