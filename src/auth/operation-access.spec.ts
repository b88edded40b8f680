import 'reflect-metadata';
import { buildSchema, GraphQLObjectType } from 'graphql';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot } from '../common/repo-root';
import { Access, ACCESS_METADATA } from './access.decorator';

/**
 * Who may call what: every Query and Mutation field of the committed schema, and the fields that
 * expose other users' data. Changing a scope means changing this table on purpose; an operation
 * added without RequireAccess fails here (and AccessGuard would refuse it at run time).
 */
const EXPECTED: Record<string, Access> = {
  'Query.activeModel': 'read',
  'Query.friendAttention': 'read',
  'Query.graphStats': 'read',
  'Query.item': 'read',
  'Query.modelVersions': 'read',
  'Query.recommendations': 'read',
  'Query.relatedItems': 'read',
  'Query.sampleNeighborhood': 'read',
  'Query.similarItems': 'read',
  'Query.user': 'read',
  'Query.trainingRun': 'admin',
  'Query.trainingRuns': 'admin',
  'Query.modelSliceTable': 'admin',
  'Mutation.upsertUsers': 'write',
  'Mutation.upsertItems': 'write',
  'Mutation.recordInteractions': 'write',
  'Mutation.addFriendships': 'write',
  'Mutation.removeFriendships': 'write',
  'Mutation.hideItems': 'write',
  'Mutation.unhideItems': 'write',
  'Mutation.deleteUser': 'delete',
  'Mutation.deleteItems': 'delete',
  'Mutation.startRetraining': 'admin',
  'Mutation.cancelRetraining': 'admin',
  'Mutation.promoteModelVersion': 'admin',
  'Mutation.rollbackModel': 'admin',
  'User.interactions': 'read',
  'User.friends': 'read',
  'ModelVersion.trainingCurve': 'read',
  'Subscription.trainingProgress': 'admin',
  'User.createdAt': 'read',
  'User.attributes': 'read',
  'Item.tags': 'read',
  'Item.createdAt': 'read',
  'Item.attributes': 'read',
  'SampledNeighbor.user': 'read',
  'SampledNeighbor.item': 'read',
};

// @nestjs/graphql's metadata keys (dist/graphql.constants, not in its package exports).
const RESOLVER_TYPE_METADATA = 'graphql:resolver_type';
const RESOLVER_NAME_METADATA = 'graphql:resolver_name';
const RESOLVER_PROPERTY_METADATA = 'graphql:resolve_property';

const tsFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.resolver.ts') ? [p] : [];
  });

/** Every resolver method of every `*.resolver.ts`, as `Parent.field`, with the access it declares. */
function declared(): Map<string, Access | undefined> {
  const out = new Map<string, Access | undefined>();
  for (const file of tsFiles(fromRoot('src'))) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolver files are found at run time
    const mod = require(file) as Record<string, unknown>;
    for (const cls of Object.values(mod)) {
      if (typeof cls !== 'function') continue;
      for (const method of Object.getOwnPropertyNames(cls.prototype)) {
        const fn = (cls.prototype as Record<string, unknown>)[method];
        if (method === 'constructor' || typeof fn !== 'function') continue;
        // What Nest's resolver explorer reads: Query/Mutation on the method, a field resolver's parent on the class.
        const root = Reflect.getMetadata(RESOLVER_TYPE_METADATA, fn) as string | undefined;
        const field = Reflect.getMetadata(RESOLVER_PROPERTY_METADATA, fn) as boolean | undefined;
        if (!root && !field) continue;
        const parent = root ?? (Reflect.getMetadata(RESOLVER_TYPE_METADATA, cls) as string).replace(/Type$/, ''); // UserType is User
        const name = (Reflect.getMetadata(RESOLVER_NAME_METADATA, fn) as string | undefined) ?? method;
        out.set(`${parent}.${name}`, Reflect.getMetadata(ACCESS_METADATA, fn) as Access | undefined);
      }
    }
  }
  return out;
}

describe('operation access', () => {
  const schema = buildSchema(readFileSync(fromRoot('schema.gql'), 'utf8'));
  const roots = ['Query', 'Mutation', 'Subscription'].flatMap((t) => {
    const type = schema.getType(t) as GraphQLObjectType | undefined;
    return type ? Object.keys(type.getFields()).map((f) => `${t}.${f}`) : [];
  });
  const methods = declared();

  it('is declared on every resolver method', () => {
    expect([...methods].filter(([, access]) => !access).map(([field]) => field)).toEqual([]);
  });

  it('covers every root field of the schema, and the table names only real fields', () => {
    expect(roots.filter((f) => !methods.has(f))).toEqual([]);
    expect(roots.filter((f) => !(f in EXPECTED))).toEqual([]);
    const known = new Set([...roots, ...methods.keys()]);
    expect(Object.keys(EXPECTED).filter((f) => !known.has(f))).toEqual([]);
  });

  it('is what the table says', () => {
    expect(Object.fromEntries([...methods].sort())).toEqual(Object.fromEntries(Object.entries(EXPECTED).sort()));
  });
});
