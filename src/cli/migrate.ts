import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/config.schema';
import { dataSourceOptions } from '../model-registry/data-source';

/** `npm run migrate`: applies pending TypeORM migrations (the app also runs them at start-up). */
async function main(): Promise<void> {
  const ds = new DataSource(dataSourceOptions(loadConfig()));
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    process.stdout.write(applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}\n` : 'no pending migrations\n');
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`migrate failed: ${(err as Error).message}\n`);
  process.exit(1);
});
