import 'reflect-metadata';
import { appCypherRegistry } from '../app.cypher-keys';
import { loadConfig } from '../config/config.schema';
import { Neo4jClient } from '../graph/neo4j.client';

/** `npm run schema`: applies cypher/schema/*.cypher (idempotent; the app also does it at start-up). */
async function main(): Promise<void> {
  const client = new Neo4jClient(loadConfig(), appCypherRegistry());
  try {
    const applied = await client.applySchema();
    process.stdout.write(`applied ${applied.length} schema statements: ${applied.join(', ')}\n`);
  } finally {
    await client.onApplicationShutdown();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`schema failed: ${(err as Error).message}\n`);
  process.exit(1);
});
