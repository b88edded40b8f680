import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** The model registry's first table. Written with the Table API so it runs on SQLite and PostgreSQL. */
export class CreateModelVersions1764219600000 implements MigrationInterface {
  name = 'CreateModelVersions1764219600000';

  async up(q: QueryRunner): Promise<void> {
    const isPg = q.connection.options.type === 'postgres';
    await q.createTable(
      new Table({
        name: 'model_versions',
        columns: [
          { name: 'id', type: isPg ? 'uuid' : 'varchar', length: isPg ? undefined : '36', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '32' },
          { name: 'status', type: 'varchar', length: '16', default: "'CANDIDATE'" },
          { name: 'runId', type: 'varchar', length: '64', isNullable: true },
          { name: 'snapshotStats', type: 'text', isNullable: true },
          { name: 'hyperparameters', type: 'text', isNullable: true },
          { name: 'metrics', type: 'text', isNullable: true },
          { name: 'artifactDir', type: 'varchar', length: '1024' },
          { name: 'checksums', type: 'text' },
          { name: 'activatedAt', type: isPg ? 'timestamp' : 'datetime', isNullable: true },
          { name: 'createdAt', type: isPg ? 'timestamp' : 'datetime', default: isPg ? 'now()' : "(datetime('now'))" },
          { name: 'updatedAt', type: isPg ? 'timestamp' : 'datetime', default: isPg ? 'now()' : "(datetime('now'))" },
        ],
      }),
      true,
    );
    await q.createIndex('model_versions', new TableIndex({ name: 'IDX_model_versions_kind_status', columnNames: ['kind', 'status'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('model_versions', 'IDX_model_versions_kind_status');
    await q.dropTable('model_versions');
  }
}
