import { GraphQLError, buildSchema, parse } from 'graphql';
import { complexityPlugin } from './complexity.plugin';

const schema = buildSchema(`
  enum Kind { A B }
  type Item { id: ID! }
  type Query { items(kind: Kind!, first: Int!): [Item!]! }
`);

async function check(query: string, variables: Record<string, unknown>, max = 5_000): Promise<unknown> {
  const listener = await complexityPlugin(() => schema, max).requestDidStart!({} as never);
  const didResolveOperation = (listener as { didResolveOperation: (ctx: unknown) => Promise<void> }).didResolveOperation;
  try {
    await didResolveOperation({ request: { variables }, document: parse(query) });
    return null;
  } catch (err) {
    return err;
  }
}

describe('complexityPlugin', () => {
  it('lets a cheap operation through', async () => {
    expect(await check('query($k: Kind!) { items(kind: $k, first: 2) { id } }', { k: 'A' })).toBeNull();
  });

  it('refuses an operation over the limit as BAD_USER_INPUT QUERY_TOO_COMPLEX', async () => {
    const err = (await check('{ a: items(kind: A, first: 1) { id } b: items(kind: B, first: 1) { id } }', {}, 3)) as GraphQLError;
    expect(err).toBeInstanceOf(GraphQLError);
    expect(err.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COMPLEX', http: { status: 400 } });
  });

  it('a variable that does not coerce (unknown enum value) is BAD_USER_INPUT, not an internal error', async () => {
    const err = (await check('query($k: Kind!) { items(kind: $k, first: 2) { id } }', { k: 'BOGUS' })) as GraphQLError;
    expect(err).toBeInstanceOf(GraphQLError);
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(err.message).toMatch(/BOGUS/);
  });
});
