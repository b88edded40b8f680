import { MigrationInterface, QueryRunner, Table, TableForeignKey } from 'typeorm';

/**
 * The artefact bytes of every version, so a replica on another host loads a version from the registry
 * database (docs/decisions/0022-artefacts-in-the-registry.md). `bytea` on PostgreSQL, `blob` on SQLite;
 * rows go with their version (ON DELETE CASCADE).
 */
export class CreateModelArtifacts1796403600000 implements MigrationInterface {
  name = 'CreateModelArtifacts1796403600000';

  async up(q: QueryRunner): Promise<void> {
    const isPg = q.connection.options.type === 'postgres';
    await q.createTable(
      new Table({
        name: 'model_artifacts',
        columns: [
          { name: 'versionId', type: isPg ? 'uuid' : 'varchar', length: isPg ? undefined : '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '128', isPrimary: true },
          { name: 'sha256', type: 'varchar', length: '64' },
          { name: 'size', type: isPg ? 'bigint' : 'integer' },
          { name: 'bytes', type: isPg ? 'bytea' : 'blob' },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_model_artifacts_version',
            columnNames: ['versionId'],
            referencedTableName: 'model_versions',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
      true,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('model_artifacts');
  }
}
