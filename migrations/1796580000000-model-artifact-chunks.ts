import { MigrationInterface, QueryRunner, Table, TableForeignKey } from 'typeorm';

/**
 * Artefact bytes in chunks (docs/decisions/0038-artefacts-in-chunks.md): one value per file could not hold the
 * 100× rung's files (better-sqlite3 caps a bound value at V8's largest string, 536,870,888 bytes; a
 * PostgreSQL bytea read as text doubles in size). `model_artifacts` keeps one row per file (sha256, size);
 * `model_artifact_chunks` holds its bytes in order (`seq` 0, 1, …), deleted with the file's row. Every file
 * already registered becomes one chunk, then the old column goes.
 */
export class ModelArtifactChunks1796580000000 implements MigrationInterface {
  name = 'ModelArtifactChunks1796580000000';

  async up(q: QueryRunner): Promise<void> {
    const isPg = q.connection.options.type === 'postgres';
    await q.createTable(
      new Table({
        name: 'model_artifact_chunks',
        columns: [
          { name: 'versionId', type: isPg ? 'uuid' : 'varchar', length: isPg ? undefined : '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '128', isPrimary: true },
          { name: 'seq', type: 'integer', isPrimary: true },
          { name: 'bytes', type: isPg ? 'bytea' : 'blob' },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_model_artifact_chunks_file',
            columnNames: ['versionId', 'name'],
            referencedTableName: 'model_artifacts',
            referencedColumnNames: ['versionId', 'name'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
      true,
    );
    await q.query(
      'INSERT INTO "model_artifact_chunks" ("versionId", "name", "seq", "bytes") SELECT "versionId", "name", 0, "bytes" FROM "model_artifacts"',
    );
    // SQLite ≥ 3.35 and PostgreSQL drop a column in place (TypeORM's SQLite dropColumn copies the table, which would cascade).
    await q.query('ALTER TABLE "model_artifacts" DROP COLUMN "bytes"');
  }

  /** Back to one value per file: on SQLite only while every file is one chunk (larger ones must be registered again). */
  async down(q: QueryRunner): Promise<void> {
    const isPg = q.connection.options.type === 'postgres';
    if (!isPg) {
      const [{ n }] = (await q.query('SELECT COUNT(*) AS n FROM "model_artifact_chunks" WHERE "seq" > 0')) as { n: number }[];
      if (Number(n) > 0)
        throw new Error(`${n} artefact chunks beyond the first: SQLite cannot join them back; delete those versions first`);
    }
    await q.query(`ALTER TABLE "model_artifacts" ADD COLUMN "bytes" ${isPg ? 'bytea' : 'blob'}`);
    await q.query(
      isPg
        ? `UPDATE "model_artifacts" a SET "bytes" = (SELECT string_agg(c."bytes", ''::bytea ORDER BY c."seq") FROM "model_artifact_chunks" c WHERE c."versionId" = a."versionId" AND c."name" = a."name")`
        : `UPDATE "model_artifacts" SET "bytes" = (SELECT c."bytes" FROM "model_artifact_chunks" c WHERE c."versionId" = "model_artifacts"."versionId" AND c."name" = "model_artifacts"."name" AND c."seq" = 0)`,
    );
    await q.dropTable('model_artifact_chunks');
  }
}
