import { existsSync, readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { join } from 'node:path';
import { DEFAULT_QUERY, GRAPHIQL_ASSETS, graphiqlHtml } from './graphiql.assets';

describe('offline GraphiQL', () => {
  it('has every asset it loads in node_modules', () => {
    for (const { path } of Object.values(GRAPHIQL_ASSETS)) expect(existsSync(path)).toBe(true);
    const html = graphiqlHtml('/graphql');
    for (const file of Object.keys(GRAPHIQL_ASSETS)) expect(html).toContain(`/graphiql/assets/${file}`);
    expect(html).not.toMatch(/https?:\/\//); // nothing from a CDN
  });

  it('opens with an example query that is valid against the committed schema', () => {
    const schema = buildSchema(readFileSync(join(__dirname, '..', '..', 'schema.gql'), 'utf8'));
    expect(validate(schema, parse(DEFAULT_QUERY))).toEqual([]);
  });
});
