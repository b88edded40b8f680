import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import neo4j, { Driver } from 'neo4j-driver';
import { appCypherRegistry } from '../../src/app.cypher-keys';
import { loadConfig } from '../../src/config/config.schema';
import { statementOf } from '../../src/graph/cypher-registry';
import { Neo4jClient } from '../../src/graph/neo4j.client';

/** A direct driver for test set-up and clean-up, against the same test server as the app. */
export function testDriver(): Driver {
  const pw = process.env.NEO4J_PASSWORD;
  return neo4j.driver(process.env.NEO4J_URI!, pw ? neo4j.auth.basic(process.env.NEO4J_USER ?? 'neo4j', pw) : undefined);
}

export async function cleanup(driver: Driver, prefix: string): Promise<void> {
  const stmt = statementOf(readFileSync(join(__dirname, 'cleanup.cypher'), 'utf8'));
  await driver.executeQuery(stmt, { prefix }, { database: process.env.NEO4J_DATABASE ?? 'neo4j' });
}

/** The app's constraints and indexes (Neo4jClient.applySchema), for set-up that writes before any app started. Idempotent. */
export async function ensureSchema(): Promise<void> {
  const client = new Neo4jClient(loadConfig(), appCypherRegistry());
  try {
    await client.applySchema();
  } finally {
    await client.onApplicationShutdown();
  }
}
