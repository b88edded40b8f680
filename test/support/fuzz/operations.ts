import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getNamedType,
  GraphQLArgument,
  GraphQLField,
  GraphQLInputType,
  GraphQLOutputType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  print,
} from 'graphql';
import { FuzzIds, hostileDateTime, hostileFloat, hostileId, hostileInt, hostileJson, hostileString } from './values';

/** One Query or Mutation field, with a document taking every argument as a variable, and their arbitrary. */
export interface FuzzOperation {
  kind: 'query' | 'mutation';
  name: string;
  document: string;
  variables: fc.Arbitrary<Record<string, unknown>>;
}

export function loadSchema(path = join(__dirname, '..', '..', '..', 'schema.gql')): GraphQLSchema {
  return buildSchema(readFileSync(path, 'utf8'));
}

/** Well-typed but hostile values for an input type; `ill` adds a few values of the wrong type. */
function valueOf(type: GraphQLInputType, ids: FuzzIds, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return withIllTyped(strictValueOf(type.ofType, ids, depth));
  // Nullable: omitted (undefined, dropped by JSON), explicit null, or a value.
  return fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(undefined, null) },
    { weight: 4, arbitrary: withIllTyped(strictValueOf(type, ids, depth)) },
  );
}

/** One value in 50 is of the wrong GraphQL type (null, a string for a number, an object for a list). */
function withIllTyped(arb: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 49, arbitrary: arb }, { weight: 1, arbitrary: fc.constantFrom<unknown>(null, '1', 1.5, {}, [], true) });
}

function strictValueOf(type: GraphQLInputType, ids: FuzzIds, depth: number): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return strictValueOf(type.ofType, ids, depth);
  if (isListType(type)) {
    const item = valueOf(type.ofType, ids, depth + 1);
    return fc.oneof(
      { weight: 10, arbitrary: fc.array(item, { maxLength: 6 }) },
      { weight: 2, arbitrary: item.chain((v) => fc.constant([v, v, v])) },
      // Long lists now and then, at the batch limit and past it: one small value repeated, so the request stays small.
      {
        weight: depth === 0 ? 1 : 0,
        arbitrary: fc
          .tuple(
            fc.constantFrom(200, 201, 10_000, 10_001),
            item.filter((v) => JSON.stringify(v ?? null).length <= 200),
          )
          .map(([n, v]) => Array.from({ length: n }, () => v)),
      },
    );
  }
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    const shape: Record<string, fc.Arbitrary<unknown>> = {};
    for (const f of fields) shape[f.name] = valueOf(f.type, ids, depth);
    const required = fields.filter((f) => isNonNullType(f.type) && f.defaultValue === undefined).map((f) => f.name);
    return fc.record(shape, { requiredKeys: required });
  }
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.value as string));
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return hostileId(ids);
      case 'String':
        return hostileString;
      case 'Int':
        return hostileInt;
      case 'Float':
        return hostileFloat;
      case 'Boolean':
        return fc.boolean();
      case 'DateTime':
        return hostileDateTime;
      case 'JSON':
        return hostileJson;
    }
    throw new Error(`fuzz: no arbitrary for scalar ${type.name}; add one to test/support/fuzz/values.ts`);
  }
  throw new Error(`fuzz: unsupported input type ${String(type)}`);
}

/** Leaf fields of the returned type, and one level of object fields without required arguments. */
function selection(type: GraphQLOutputType, depth = 0): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!isObjectType(named)) return '{ __typename }';
  const parts = ['__typename'];
  for (const f of Object.values(named.getFields()) as GraphQLField<unknown, unknown>[]) {
    if (f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const sub = getNamedType(f.type);
    if (isLeafType(sub)) parts.push(f.name);
    else if (depth < 1) parts.push(`${f.name} ${selection(f.type, depth + 1)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

function operationOf(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, ids: FuzzIds): FuzzOperation {
  const args = field.args as readonly GraphQLArgument[];
  // Defaults are declared too, so an omitted variable takes the argument's default as a client's would.
  const decl = args
    .map((a) => `$${a.name}: ${String(a.type)}${a.astNode?.defaultValue ? ` = ${print(a.astNode.defaultValue)}` : ''}`)
    .join(', ');
  const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const document = `${kind} Fuzz${decl ? `(${decl})` : ''} { ${field.name}${call ? `(${call})` : ''} ${selection(field.type)} }`;
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const a of args) {
    // An argument with a default may also be left out.
    const v = valueOf(a.type, ids);
    shape[a.name] = a.defaultValue === undefined ? v : fc.oneof(fc.constant(undefined), v);
  }
  return { kind, name: field.name, document, variables: fc.record(shape) };
}

/** Every Query and Mutation field of the schema, so a new operation is fuzzed without touching this code. */
export function fuzzOperations(schema: GraphQLSchema, ids: FuzzIds): FuzzOperation[] {
  const ops: FuzzOperation[] = [];
  for (const [kind, root] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const) {
    for (const field of Object.values(root?.getFields() ?? {})) ops.push(operationOf(kind, field, ids));
  }
  return ops;
}
