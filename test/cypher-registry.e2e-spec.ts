import { Driver } from 'neo4j-driver';
import { appCypherRegistry } from '../src/app.cypher-keys';
import { testDriver } from './support/graph';

describe('every Cypher file plans on the real server', () => {
  const registry = appCypherRegistry();
  let driver: Driver;
  beforeAll(() => {
    driver = testDriver();
  });
  afterAll(() => driver.close());

  const statements = registry.entries().filter((e) => !e.key.startsWith('schema/'));
  it.each(statements.map((s) => [s.key, s.statement]))('EXPLAIN %s', async (_key, statement) => {
    const session = driver.session({ database: process.env.NEO4J_DATABASE ?? 'neo4j' });
    try {
      const res = await session.run(`EXPLAIN ${statement}`);
      expect(res.summary.plan).toBeTruthy();
    } finally {
      await session.close();
    }
  });

  it('applies the schema files idempotently (twice without error)', async () => {
    for (let round = 0; round < 2; round++) {
      for (const { statement } of registry.schemaStatements()) {
        await driver.executeQuery(statement, {}, { database: process.env.NEO4J_DATABASE ?? 'neo4j' });
      }
    }
    const { records } = await driver.executeQuery(
      "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties WHERE type = 'UNIQUENESS' RETURN collect(labelsOrTypes[0] + '.' + properties[0]) AS keys",
    );
    expect(records[0].get('keys')).toEqual(expect.arrayContaining(['User.id', 'Item.id']));
  });
});
