/**
 * Artefact bytes in pieces (decision 0038), on PostgreSQL and SQLite: the migration moves the bytes already
 * registered into model_artifact_chunks without losing any and its down brings them back; the repository
 * stores a file in pieces and hands it back whole; a file that is not the sha256 it was reported with
 * registers nothing. Needs the test PostgreSQL on 127.0.0.1:$PG_PORT (scripts/services.sh start postgres).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../migrations';
import { ModelRegistryRepository } from '../src/model-registry/model-registry.repository';
import { ModelVersionEntity } from '../src/model-registry/model-version.entity';
import { dropTestDatabase, registryEngines } from './support/postgres';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('artefact bytes in pieces (PostgreSQL and SQLite)', () => {
  const dbName = `tastegraph_test_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'tastegraph-chunks-'));
  afterAll(async () => {
    await dropTestDatabase(dbName);
    rmSync(dir, { recursive: true, force: true });
  });
  const drivers = registryEngines(dir, dbName);

  it.each(drivers)(
    'on $name: existing bytes move into pieces and back, files go in pieces and come back whole, a wrong sha256 writes nothing',
    async ({ name, options }) => {
      const pg = name === 'PostgreSQL';
      const p = (n: number) => (pg ? `$${n}` : '?');
      const last = MIGRATIONS.findIndex((m) => m.name === 'ModelArtifactChunks1796580000000');
      const before = new DataSource({ ...(await options()), migrations: MIGRATIONS.slice(0, last), logging: false } as DataSourceOptions);
      await before.initialize();
      const old = pg ? '7b0c6a53-9d77-4f0e-9a55-2a1d5bbf0b01' : 'v-old';
      const oldBytes = randomBytes(3_000);
      try {
        await before.runMigrations({ transaction: 'each' });
        await before.query(
          `INSERT INTO model_versions ("id", "kind", "status", "artifactDir", "checksums") VALUES (${p(1)}, 'LIGHTGCN', 'CANDIDATE', '/x', '{}')`,
          [old],
        );
        await before.query(
          `INSERT INTO model_artifacts ("versionId", "name", "sha256", "size", "bytes") VALUES (${p(1)}, 'scorer.onnx', ${p(2)}, 3000, ${p(3)})`,
          [old, sha(oldBytes), oldBytes],
        );
      } finally {
        await before.destroy();
      }

      const ds = new DataSource({
        ...(await options()),
        migrations: MIGRATIONS,
        entities: [ModelVersionEntity],
        logging: false,
      } as DataSourceOptions);
      await ds.initialize();
      try {
        expect((await ds.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(['ModelArtifactChunks1796580000000']);
        const repo = new ModelRegistryRepository(ds.getRepository(ModelVersionEntity));
        expect((await repo.artifactBytes(old, 'scorer.onnx'))!.equals(oldBytes)).toBe(true);

        const bytes = randomBytes(10_000);
        writeFileSync(join(dir, `big-${name}.bin`), bytes);
        writeFileSync(join(dir, `empty-${name}.bin`), '');
        const files = [
          { name: 'big.bin', path: join(dir, `big-${name}.bin`), sha256: sha(bytes) },
          { name: 'empty.bin', path: join(dir, `empty-${name}.bin`), sha256: sha(Buffer.alloc(0)) },
        ];
        const row = {
          kind: 'LIGHTGCN' as const,
          artifactDir: dir,
          runId: null,
          snapshotStats: null,
          hyperparameters: null,
          metrics: null,
          checksums: {},
        };
        const v = await repo.insertCandidate(row, files, 4_096);
        const pieces: number[] = [];
        expect(await repo.readArtifact(v.id, 'big.bin', async (b) => void pieces.push(b.length))).toBe(true);
        expect(pieces).toEqual([4_096, 4_096, 1_808]);
        expect((await repo.artifactBytes(v.id, 'big.bin'))!.equals(bytes)).toBe(true);
        expect((await repo.artifactBytes(v.id, 'empty.bin'))!.length).toBe(0);
        expect(await repo.artifactBytes(v.id, 'absent.bin')).toBeNull();

        const count = async () => Number(((await ds.query('SELECT COUNT(*) AS n FROM model_versions')) as { n: number }[])[0].n);
        const n = await count();
        await expect(repo.insertCandidate(row, [{ ...files[0], sha256: sha(Buffer.from('other')) }], 4_096)).rejects.toMatchObject({
          reason: 'BAD_ARTIFACT',
          message: 'artefact big.bin does not match the checksum the trainer reported',
        });
        expect(await count()).toBe(n);

        // pieces go with their version
        if (!pg) await ds.query('PRAGMA foreign_keys = ON');
        await ds.query(`DELETE FROM model_versions WHERE "id" = ${p(1)}`, [v.id]);
        expect(await ds.query(`SELECT "seq" FROM model_artifact_chunks WHERE "versionId" = ${p(1)}`, [v.id])).toEqual([]);

        // down: one value per file again, the old version's bytes intact
        await ds.undoLastMigration({ transaction: 'each' });
        const [back] = (await ds.query(`SELECT "bytes" FROM model_artifacts WHERE "versionId" = ${p(1)}`, [old])) as { bytes: Buffer }[];
        expect(Buffer.from(back.bytes).equals(oldBytes)).toBe(true);
      } finally {
        await ds.destroy();
      }
    },
  );
});
