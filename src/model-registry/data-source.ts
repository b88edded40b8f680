import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { fromRoot } from '../common/repo-root';
import { AppConfig } from '../config/config.schema';
import { MIGRATIONS } from '../../migrations';
import { ModelSliceChoiceEntity } from './model-slice-choice.entity';
import { ModelVersionEntity } from './model-version.entity';

/** SQLite file by default, PostgreSQL when DATABASE_URL is set. Used by the app and by `npm run migrate`. */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = {
    entities: [ModelVersionEntity, ModelSliceChoiceEntity],
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging: false,
  };
  if (config.DATABASE_URL) {
    return { type: 'postgres', url: config.DATABASE_URL, ...common };
  }
  const file = config.DATABASE_SQLITE_PATH === ':memory:' ? ':memory:' : fromRoot(config.DATABASE_SQLITE_PATH);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  return { type: 'better-sqlite3', database: file, ...common };
}
