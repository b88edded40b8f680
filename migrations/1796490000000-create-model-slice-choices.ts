import { MigrationInterface, QueryRunner, Table, TableForeignKey } from 'typeorm';

/**
 * The per-slice serving table (docs/decisions/0033-per-slice-model-choice.md): one row per (active version,
 * slice) naming the version that serves the slice while that version is active, with the validation figures
 * the choice was made on. Written in the activation's transaction; rows go with either version (ON DELETE
 * CASCADE). `uuid` ids on PostgreSQL (as model_versions.id), varchar(36) on SQLite.
 */
export class CreateModelSliceChoices1796490000000 implements MigrationInterface {
  name = 'CreateModelSliceChoices1796490000000';

  async up(q: QueryRunner): Promise<void> {
    const isPg = q.connection.options.type === 'postgres';
    const id = isPg ? { type: 'uuid' } : { type: 'varchar', length: '36' };
    const real = isPg ? 'double precision' : 'real';
    const fk = (name: string, column: string) =>
      new TableForeignKey({
        name,
        columnNames: [column],
        referencedTableName: 'model_versions',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      });
    await q.createTable(
      new Table({
        name: 'model_slice_choices',
        columns: [
          { name: 'activeVersionId', ...id, isPrimary: true },
          { name: 'slice', type: 'varchar', length: '64', isPrimary: true },
          { name: 'versionId', ...id },
          { name: 'kind', type: 'varchar', length: '32' },
          { name: 'reason', type: 'varchar', length: '32' },
          { name: 'users', type: 'integer' },
          { name: 'activeRecall', type: real, isNullable: true },
          { name: 'activeHalfWidth', type: real, isNullable: true },
          { name: 'candidateVersionId', ...id, isNullable: true },
          { name: 'candidateRecall', type: real, isNullable: true },
          { name: 'candidateHalfWidth', type: real, isNullable: true },
        ],
        foreignKeys: [fk('FK_model_slice_choices_active', 'activeVersionId'), fk('FK_model_slice_choices_version', 'versionId')],
      }),
      true,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('model_slice_choices');
  }
}
