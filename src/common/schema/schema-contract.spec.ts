import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import { GRAPHQL_RESOLVERS } from '../../graphql-resolvers';
import { fromRoot } from '../repo-root';
import { schemaOf, unannouncedChanges, unreleasedSection } from './schema-contract';
import { undescribed } from './schema-docs';

const read = (p: string) => readFileSync(fromRoot(p), 'utf8');

describe('the committed schema', () => {
  const current = read('schema.gql');

  it('announces every breaking and dangerous change since docs/schema/baseline.gql in CHANGELOG.md (Unreleased)', () => {
    const { breaking, dangerous } = unannouncedChanges(read('docs/schema/baseline.gql'), current, read('CHANGELOG.md'));
    // The lines to add under "### Unreleased", as graphql-js words them.
    expect({ breaking, dangerous }).toEqual({ breaking: [], dangerous: [] });
  });

  it('is what the resolvers build (the app rewrites schema.gql at start-up: commit it)', async () => {
    const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
    const built = await app.get(GraphQLSchemaFactory).create(GRAPHQL_RESOLVERS);
    await app.close();
    const sdl = (text: string) => printSchema(lexicographicSortSchema(schemaOf(text)));
    expect(sdl(current)).toBe(printSchema(lexicographicSortSchema(built)));
  });

  it('describes every type, field, argument, input field and enum value', () => {
    expect(undescribed(schemaOf(current))).toEqual([]);
  });
});

describe('unannouncedChanges', () => {
  const before = 'type Query { a: String, b(x: Int): String }';
  const after = 'type Query { b(x: Int, y: Int): Int }';

  it('names each unlisted change the way graphql-js describes it', () => {
    expect(unannouncedChanges(before, after, '# Changelog\n### Unreleased\n')).toEqual({
      breaking: ['Query.a was removed.', 'Query.b changed type from String to Int.'],
      dangerous: ['An optional arg y on Query.b was added.'],
    });
  });

  it('accepts changes listed under Unreleased, and only there', () => {
    const listed = '- Query.a was removed.\n- Query.b changed type from String to Int.\n- An optional arg y on Query.b was added.\n';
    expect(unannouncedChanges(before, after, `### Unreleased\n${listed}`)).toEqual({ breaking: [], dangerous: [] });
    expect(unannouncedChanges(before, after, `### Unreleased\n\n### 1.0.0\n${listed}`).breaking).toHaveLength(2);
  });

  it('finds nothing between a schema and itself', () => {
    expect(unannouncedChanges(before, before, '')).toEqual({ breaking: [], dangerous: [] });
    expect(unreleasedSection('# x\n### 1.0\n- a')).toBe('');
  });

  it('finds an undescribed field, argument and enum value', () => {
    const sdl = '"q" type Query { "f" f(x: Int): E, g: Int }\n"e" enum E { "a" A B }';
    expect(undescribed(schemaOf(sdl))).toEqual(['E.B', 'Query.f(x)', 'Query.g']);
  });
});
