import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { GraphQLSchema, parse, specifiedRules, validate } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { DomainError } from '../common/errors/domain-error';
import { loadConfig } from '../config/config.schema';
import { GRAPHQL_RESOLVERS } from '../graphql-resolvers';
import { queryShapeRules } from './query-shape.rules';

/** The issue's request: 20 aliased samples of the widest fan-outs (15.7 MB, RSS 224 → 561 MB before the limits). */
const ISSUE_QUERY = `query { ${Array.from(
  { length: 20 },
  (_, k) =>
    `s${k}: sampleNeighborhood(seedId: "lastfm:u2", fanouts: [50, 50, 50]) { seedId hops { hop fanout neighbors { nodeId kind weight parentId edge } } }`,
).join(' ')} }`;

const config = loadConfig({});
const batch = (n: number, entry: (k: number) => Record<string, unknown>) => Array.from({ length: n }, (_, k) => entry(k));

/** What the README and the e2e tests send (the heaviest form of each), with their variables. */
const NORMAL: Array<[string, Record<string, unknown>?]> = [
  ['mutation { upsertUsers(users: [{id: "u1", name: "Ada"}]) { id } }'],
  ['mutation { upsertItems(items: [{id: "i1", title: "Kind of Blue", tags: ["jazz"]}]) { id } }'],
  ['mutation { recordInteractions(events: [{userId: "u1", itemId: "i1", type: "LIKE"}]) { pairs edgesCreated } }'],
  ['mutation { addFriendships(pairs: [{a: "u1", b: "u2"}]) { created } }'],
  [
    `{ recommendations(userId: "lastfm:u2", first: 10, explain: true, filter: {excludeTags: ["pop"]}) {
       path modelKind edges { cursor node { id rank score isNew item { id title tags } explanation { sentence friends { user { id } attention } } } }
       pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
  ],
  [
    `query($u: ID!) { recommendations(userId: $u, first: 200, explain: true) { path modelKind modelVersionId
       edges { cursor node { id item { id title tags createdAt attributes } score rank isNew
         explanation { sentence friends { id user { id name } attention } basedOn { id item { id title } similarity } } } }
       pageInfo { hasNextPage endCursor } } }`,
    { u: 'u1' },
  ],
  ['{ similarItems(itemId: "lastfm:i89", first: 5) { edges { node { item { title } similarity } } pageInfo { hasNextPage endCursor } } }'],
  ['{ relatedItems(itemId: "lastfm:i89", first: 5) { item { title } visits weight } }'],
  ['query($i: ID!) { relatedItems(itemId: $i, walks: 50, length: 3) { id item { id title } weight visits } }', { i: 'A' }],
  [
    `query($s: ID!) { sampleNeighborhood(seedId: $s, fanouts: [5, 3], includeFriends: true) {
       seedId seedKind bias hops { hop fanout neighbors { nodeId kind weight parentId edge } } } }`,
    { s: 'u0' },
  ],
  ['query($s: ID!) { sampleNeighborhood(seedId: $s) { seedKind hops { hop fanout neighbors { nodeId } } } }', { s: 'u0' }],
  [
    `query($id: ID!, $first: Int!) { user(id: $id) { id name createdAt attributes
       interactions(first: $first) { totalCount edges { cursor node { item { id title tags hidden } type types weight count firstTs lastTs split } } pageInfo { hasNextPage endCursor } }
       friends(first: $first) { totalCount edges { cursor node { user { id name } since } } pageInfo { hasNextPage endCursor } } } }`,
    { id: 'u1', first: 20 },
  ],
  ['{ graphStats { nodes { name count } relationships { name count } interactionsBySplit { split count } } }'],
  [
    `query { activeModel { id kind status } modelVersions(first: 100) { totalCount pageInfo { hasNextPage endCursor }
       edges { cursor node { id kind status runId createdAt activatedAt metrics { loss validation { name value } test { name value } all }
       hyperparameters snapshotStats } } } }`,
  ],
  [
    'query { trainingRuns(first: 5) { totalCount edges { node { id model status stage timings { train } } } pageInfo { hasNextPage endCursor } } }',
  ],
  ['mutation { startRetraining(model: SOCIALGCN, params: {maxMinutes: 4, refitEpochs: 20}) { id status } }'],
  [
    'mutation($e: [InteractionInput!]!) { recordInteractions(events: $e) { events pairs edgesCreated edgesUpdated } }',
    { e: batch(10_000, (k) => ({ userId: `u${k}`, itemId: 'i1', type: 'VIEW' })) },
  ],
  ['mutation($u: [UserInput!]!) { upsertUsers(users: $u) { id } }', { u: batch(10_000, (k) => ({ id: `u${k}` })) }],
  ['mutation($ids: [ID!]!) { hideItems(ids: $ids) { matched changed } }', { ids: Array.from({ length: 10_000 }, (_, k) => `i${k}`) }],
];

describe('query limits against the real schema', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
    schema = await app.get(GraphQLSchemaFactory).create(GRAPHQL_RESOLVERS);
    await app.close();
  });

  const cost = (query: string, variables: Record<string, unknown> = {}) =>
    getComplexity({
      schema,
      query: parse(query),
      variables,
      estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
    });
  const shapeErrors = (query: string) =>
    validate(schema, parse(query), [
      ...specifiedRules,
      ...queryShapeRules({ maxDepth: config.GRAPHQL_MAX_DEPTH, maxAliases: config.GRAPHQL_MAX_ALIASES }),
    ]);
  const reasonOf = (query: string) => shapeErrors(query).map((e) => (e.originalError as DomainError | undefined)?.reason);

  it("refuses the issue's 20 aliased fan-outs of [50, 50, 50] by cost (each alias counts)", () => {
    expect(shapeErrors(ISSUE_QUERY)).toEqual([]); // within the alias and depth limits: the cost is what refuses it
    const one = cost(ISSUE_QUERY.replace(/ s1:.*/, ' }'));
    expect(one).toBeGreaterThan(50 + 50 * 50 + 50 * 50 * 50); // every neighbour it may return
    expect(cost(ISSUE_QUERY)).toBeCloseTo(20 * one, 6);
    expect(cost(ISSUE_QUERY)).toBeGreaterThan(config.GRAPHQL_MAX_COST);
  });

  it.each(NORMAL.map(([q, v]) => [q.replace(/\s+/g, ' ').slice(0, 90), q, v]))(
    'passes what the README and the e2e tests send: %s',
    (_name, query, variables) => {
      expect(shapeErrors(query as string)).toEqual([]);
      expect(cost(query as string, variables as Record<string, unknown>)).toBeLessThanOrEqual(config.GRAPHQL_MAX_COST);
    },
  );

  it('counts fan-outs, walks, pages and batches', () => {
    const hood = (f: string) => cost(`{ sampleNeighborhood(seedId: "u", fanouts: ${f}) { hops { neighbors { nodeId } } } }`);
    expect(hood('[10, 5]') - hood('[10]')).toBe(50);
    expect(hood('[50, 50]')).toBeLessThanOrEqual(config.GRAPHQL_MAX_COST);
    expect(hood('[50, 50, 50]')).toBeGreaterThan(config.GRAPHQL_MAX_COST);
    // out-of-range arguments are clamped: their validation error answers, not the cost
    expect(hood('[500, 500, 500, 500]')).toBe(hood('[50, 50, 50]'));

    const walks = (a: string) => cost(`{ relatedItems(itemId: "i", ${a}) { id } }`);
    expect(walks('walks: 200, length: 10, first: 1') - walks('walks: 100, length: 10, first: 1')).toBe(1_000);

    const twoLevels = cost('{ user(id: "u") { friends(first: 200) { edges { node { user { friends(first: 200) { totalCount } } } } } } }');
    expect(twoLevels).toBeGreaterThan(200 * 200);

    const events = (n: number) =>
      cost('mutation($e: [InteractionInput!]!) { recordInteractions(events: $e) { events } }', {
        e: batch(n, () => ({ userId: 'u', itemId: 'i', type: 'VIEW' })),
      });
    expect(events(10_000)).toBeGreaterThan(events(100) + 900);
    // more than a batch takes is answered by BATCH_TOO_LARGE (its entries are counted up to the maximum)
    expect(events(10_001)).toBe(events(10_000));
    const sixFullBatches = `mutation($e: [InteractionInput!]!) { ${Array.from({ length: 6 }, (_, k) => `r${k}: recordInteractions(events: $e) { events }`).join(' ')} }`;
    expect(cost(sixFullBatches, { e: batch(10_000, () => ({ userId: 'u', itemId: 'i', type: 'VIEW' })) })).toBeGreaterThan(
      config.GRAPHQL_MAX_COST,
    );
  });

  it('refuses deep nesting (QUERY_TOO_DEEP) and many aliases (TOO_MANY_ALIASES) before anything runs', () => {
    const deep =
      '{ user(id: "u") { friends { edges { node { user { friends { edges { node { user { friends { totalCount } } } } } } } } } } }';
    expect(reasonOf(deep)).toEqual(['QUERY_TOO_DEEP']);
    const aliases = `{ ${Array.from({ length: config.GRAPHQL_MAX_ALIASES + 1 }, (_, k) => `a${k}: graphStats { nodes { name } }`).join(' ')} }`;
    expect(reasonOf(aliases)).toEqual(['TOO_MANY_ALIASES']);
    const typenames = `{ ${Array.from({ length: 100 }, (_, k) => `t${k}: __typename`).join(' ')} }`;
    expect(shapeErrors(typenames)).toEqual([]);
  });
});
