import { MigrationInterface, QueryRunner } from 'typeorm';

const DATE_COLUMNS = ['activatedAt', 'createdAt', 'updatedAt'];

/**
 * Makes model_versions work on PostgreSQL; nothing to do on SQLite.
 * - TypeORM inserts DEFAULT for a `uuid` primary key on PostgreSQL and expects the database to make
 *   the id; the first migration gave the column no default, so every insert failed.
 * - `timestamp` (without time zone) stores a wall-clock time: node-postgres writes a Date in the app's
 *   time zone and `now()` writes the session's, so the two disagree whenever the zones differ.
 *   `timestamptz` stores the instant. No rows can exist to convert, since no insert ever succeeded.
 */
export class ModelVersionsPostgresDefaults1795768800000 implements MigrationInterface {
  name = 'ModelVersionsPostgresDefaults1795768800000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(`ALTER TABLE "model_versions" ALTER COLUMN "id" SET DEFAULT gen_random_uuid()`);
    for (const c of DATE_COLUMNS) await q.query(`ALTER TABLE "model_versions" ALTER COLUMN "${c}" TYPE timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    for (const c of DATE_COLUMNS) await q.query(`ALTER TABLE "model_versions" ALTER COLUMN "${c}" TYPE timestamp`);
    await q.query(`ALTER TABLE "model_versions" ALTER COLUMN "id" DROP DEFAULT`);
  }
}
