import { readFileSync } from 'node:fs';
import { buildSchema, Kind, parse, validate, type OperationDefinitionNode } from 'graphql';
import * as queries from '../../explorer/src/queries';
import { fromRoot } from '../common/repo-root';

/**
 * The explorer (explorer/src/queries.ts) sends its documents as plain strings, so neither its build nor
 * the schema contract would notice a schema change that breaks them: every exported document must
 * validate against schema.gql as it is now.
 */
const documents = Object.entries(queries as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string');
const schema = buildSchema(readFileSync(fromRoot('schema.gql'), 'utf8'));

describe('the explorer GraphQL documents', () => {
  it('are all found (one per query, mutation and subscription the explorer sends)', () => {
    expect(documents.map(([name]) => name).sort()).toEqual(
      [
        'ADMIN_CHECK',
        'CANCEL_RETRAINING',
        'FRIEND_ATTENTION',
        'ITEM',
        'MODEL_VERSIONS',
        'PROMOTE',
        'RECOMMENDATIONS',
        'RECORD_INTERACTION',
        'RELATED_ITEMS',
        'ROLLBACK',
        'SIMILAR_ITEMS',
        'START_RETRAINING',
        'TRAINING_PROGRESS',
        'TRAINING_RUN',
        'TRAINING_RUNS',
        'USER',
      ].sort(),
    );
  });

  it.each(documents)('%s validates against schema.gql', (_name, doc) => {
    expect(validate(schema, parse(doc)).map((e) => e.message)).toEqual([]);
  });

  it('name each operation once, with the Explorer prefix the API logs and metrics show', () => {
    const names = documents.map(([, doc]) => {
      const ops = parse(doc).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      expect(ops).toHaveLength(1);
      return ops[0].name?.value;
    });
    for (const n of names) expect(n).toMatch(/^Explorer[A-Z]\w+$/);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('metric()', () => {
  const m = {
    loss: 0.41,
    validation: [{ name: 'recall@20', value: 0.12 }],
    test: [{ name: 'ndcg@20', value: 0.07 }],
    all: { best_epoch: 7, refit: { test_selected: { 'recall@20': 0.13 } }, val: { 'recall@20': 0.12 } },
  };
  it('reads validation.* and test.* from the typed lists and any other path from all', () => {
    expect(queries.metric(m, 'validation.recall@20')).toBe(0.12);
    expect(queries.metric(m, 'test.ndcg@20')).toBe(0.07);
    expect(queries.metric(m, 'test.recall@20')).toBeNull();
    expect(queries.metric(m, 'best_epoch')).toBe(7);
    expect(queries.metric(m, 'refit.test_selected.recall@20')).toBe(0.13);
    expect(queries.metric(null, 'validation.recall@20')).toBeNull();
  });
});
