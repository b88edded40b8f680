import { GraphQLError, buildSchema, parse } from 'graphql';
import { complexityPlugin } from './complexity.plugin';
import { DomainError } from './errors/domain-error';

const schema = buildSchema(`
  enum Kind { A B }
  type Item { id: ID! }
  type Query { items(kind: Kind!, first: Int!): [Item!]! }
`);

async function check(query: string, variables: Record<string, unknown>, max = 5_000): Promise<unknown> {
  const listener = await complexityPlugin(() => schema, max).requestDidStart!({} as never);
  const didResolveOperation = (listener as { didResolveOperation: (ctx: unknown) => Promise<void> }).didResolveOperation;
  try {
    const document = parse(query);
    await didResolveOperation({ request: { variables }, document, operation: document.definitions[0] });
    return null;
  } catch (err) {
    return err;
  }
}

describe('complexityPlugin', () => {
  it('lets a cheap operation through', async () => {
    expect(await check('query($k: Kind!) { items(kind: $k, first: 2) { id } }', { k: 'A' })).toBeNull();
  });

  it('refuses an operation over the limit as BAD_USER_INPUT QUERY_TOO_COMPLEX with HTTP 400; aliases each count', async () => {
    const err = (await check('{ a: items(kind: A, first: 1) { id } b: items(kind: B, first: 1) { id } }', {}, 3)) as GraphQLError;
    expect(err).toBeInstanceOf(GraphQLError);
    expect(err.originalError).toBeInstanceOf(DomainError);
    expect((err.originalError as DomainError).reason).toBe('QUERY_TOO_COMPLEX');
    expect((err.extensions.http as { status: number }).status).toBe(400);
  });

  it('leaves a variable that does not coerce (unknown enum value) to execution, which answers BAD_USER_INPUT', async () => {
    expect(await check('query($k: Kind!) { items(kind: $k, first: 2) { id } }', { k: 'BOGUS' })).toBeNull();
  });
});
