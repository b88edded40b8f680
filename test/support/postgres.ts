import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DataSourceOptions } from 'typeorm';

/** The test PostgreSQL's port: scripts/test.sh starts it there (test/support/env.ts defaults it to 15432). */
export const pgPort = () => Number(process.env.PG_PORT ?? '15432');

export function pgBinaries(): string | null {
  if (process.env.PG_BIN) return existsSync(join(process.env.PG_BIN, 'postgres')) ? process.env.PG_BIN : null;
  const base = '/usr/lib/postgresql';
  const found = existsSync(base)
    ? readdirSync(base)
        .map((v) => join(base, v, 'bin'))
        .filter((d) => existsSync(join(d, 'postgres')))
    : [];
  return found[0] ?? null;
}

/** A superuser connection to the test server, or an error that says how to get one. */
export async function connectAdmin(database = 'postgres'): Promise<Client> {
  const port = pgPort();
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    return client;
  } catch (err) {
    const start = `PG_PORT=${port} bash scripts/services.sh start postgres`;
    throw new Error(
      pgBinaries()
        ? `No PostgreSQL answers on 127.0.0.1:${port} (${(err as Error).message}). Start the test instance with \`${start}\` (scripts/test.sh does this).`
        : `PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): run scripts/setup-system.sh or \`apt-get install -y postgresql\` (or set PG_BIN), then \`${start}\`.`,
      { cause: err },
    );
  }
}

/**
 * The two registry engines for migration tests: a throwaway PostgreSQL database `dbName` on the test server
 * (created on first use; drop it with dropTestDatabase) and a SQLite file in `dir`.
 */
export function registryEngines(
  dir: string,
  dbName: string,
): Array<{ name: 'PostgreSQL' | 'SQLite'; options: () => Promise<DataSourceOptions> }> {
  let created = false;
  return [
    {
      name: 'PostgreSQL',
      options: async () => {
        if (!created) {
          const admin = await connectAdmin();
          await admin.query(`CREATE DATABASE "${dbName}"`);
          await admin.end();
          created = true;
        }
        return { type: 'postgres', url: `postgres://postgres@127.0.0.1:${pgPort()}/${dbName}` };
      },
    },
    { name: 'SQLite', options: async () => ({ type: 'better-sqlite3', database: join(dir, 'registry.sqlite') }) },
  ];
}

export async function dropTestDatabase(dbName: string): Promise<void> {
  const admin = await connectAdmin();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.end();
}
