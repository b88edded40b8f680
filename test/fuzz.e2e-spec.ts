import { Driver } from 'neo4j-driver';
import { cleanup, testDriver } from './support/graph';
import { startApp, TestApp, testPrefix } from './support/app';
import { fuzzOperations, loadSchema } from './support/fuzz/operations';
import { fuzzIds, fuzzOperation, seedKnownGraph } from './support/fuzz/runner';

/**
 * Property-based inputs for every Query and Mutation argument, derived from schema.gql: no call may
 * answer INTERNAL_SERVER_ERROR or a 5xx, every error carries a stable code, and a refused mutation
 * writes nothing (graph diff under the prefix, node and relationship counts of the whole database).
 * FUZZ_CASES sets the cases per operation (default 1000), FUZZ_SEED the seed.
 */
const CASES = Number(process.env.FUZZ_CASES ?? 1000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const ADMIN = 'fuzz-admin-token-1';
const headers = { authorization: `Bearer ${ADMIN}` };

describe('fuzz: every operation with hostile, well-typed arguments', () => {
  const p = testPrefix('fuzz');
  const ids = fuzzIds(p);
  const ops = fuzzOperations(loadSchema(), ids);
  let t: TestApp;
  let driver: Driver;

  // Empties the prefix before writing the known graph again, so nodes created by earlier cases
  // (createMissing, upserts of new ids) do not grow every later snapshot.
  const reseed = async () => {
    await cleanup(driver, p);
    await seedKnownGraph(t.url, ids, headers);
  };

  beforeAll(async () => {
    driver = testDriver();
    t = await startApp({ ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'error' });
    await seedKnownGraph(t.url, ids, headers);
  });
  afterAll(async () => {
    await t?.close();
    await cleanup(driver, p);
    await driver?.close();
  });

  it('covers every Query and Mutation field the server has', async () => {
    const res = await t.gql(`{ __schema { queryType { fields { name } } mutationType { fields { name } } } }`);
    const fields = [...res.data!.__schema.queryType.fields, ...res.data!.__schema.mutationType.fields].map((f: { name: string }) => f.name);
    expect(ops.map((o) => o.name).sort()).toEqual(fields.sort());
  });

  it.each(ops.map((o) => [o.name, o] as const))(
    '%s',
    async (_name, op) => {
      const fig = await fuzzOperation(op, {
        url: t.url,
        headers,
        cases: CASES,
        seed: SEED,
        driver,
        ids,
        reseed,
      });
      expect({
        operation: op.name,
        cases: fig.cases,
        internal: fig.internal,
        http5xx: fig.http5xx,
        unstable: fig.unstable,
        partialWrites: fig.partialWrites,
        transport: fig.transport,
        nonGraphql: fig.nonGraphql,
        examples: fig.examples,
      }).toEqual({
        operation: op.name,
        cases: CASES,
        internal: 0,
        http5xx: 0,
        unstable: 0,
        partialWrites: 0,
        transport: 0,
        nonGraphql: 0,
        examples: [],
      });
    },
    600_000,
  );
});
