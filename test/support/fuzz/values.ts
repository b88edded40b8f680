import fc from 'fast-check';

/** Ids the fuzzer draws from: nodes that exist (seeded under the prefix) and the prefix for unknown ones. */
export interface FuzzIds {
  prefix: string;
  users: string[];
  items: string[];
}

/** Strings a careless server trips on: empty, blank, control characters, unicode, injection-looking, huge. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      ' x',
      'x ',
      '\u0000',
      'a\nb',
      '\t',
      '\u007f',
      '\u202eevil',
      '\ud800',
      '👩‍👩‍👧‍👦',
      "' OR 1=1 //",
      '}) MATCH (n) DETACH DELETE n //',
      '$prefix',
      '\\',
      '"',
      '__proto__',
      'constructor',
      'null',
      'x'.repeat(65),
      'x'.repeat(257),
      'x'.repeat(513),
      'é'.repeat(5000),
    ),
  },
);

/** GraphQL Int: boundaries of the type and of the API's own limits. */
export const hostileInt: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -1, 1, 2, 3, 4, 5, 49, 50, 51, 199, 200, 201, 1000, 10_000, 10_001, 2 ** 31 - 1, -(2 ** 31)),
  fc.integer(),
  fc.integer({ min: -5, max: 300 }),
);

/** Finite floats (JSON has no NaN or Infinity) at the edges of the API's bounds and of doubles. */
export const hostileFloat: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 0.5, 1, 1e6, 1e6 + 1, 1e308, -1e308, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER + 2),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

export const hostileDateTime: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '2020-01-01T00:00:00Z',
    '1970-01-01T00:00:00Z',
    '1969-12-31T23:59:59Z',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '+275760-09-13T00:00:00Z',
    '2019-13-45T25:61:61Z',
    '2020-02-30T00:00:00Z',
    '2020-01-01',
    '',
    'now',
    '1e309',
  ),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()),
);

const deepJson = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

/** JSON scalars: ordinary values, non-objects, oversized and deeply nested ones, prototype keys. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      {},
      [],
      null,
      'x',
      { __proto__: { admin: true } },
      JSON.parse('{"__proto__": {"polluted": true}}'),
      { big: 'x'.repeat(5000) },
      deepJson(200),
      deepJson(2000),
    ),
  },
);

/** An id: mostly existing nodes or unknown ones under the prefix, sometimes ids the API must refuse. */
export function hostileId(ids: FuzzIds): fc.Arbitrary<string> {
  const known = [...ids.users, ...ids.items];
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...known) },
    { weight: 2, arbitrary: fc.constantFrom(...ids.users.slice(0, 2), ...ids.items.slice(0, 2)) },
    { weight: 3, arbitrary: hostileString.map((s) => ids.prefix + s) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', ' ', ' x', 'x ', '\u0000', 'a\nb', '\u007f', 'x'.repeat(257), `${ids.prefix}${'y'.repeat(300)}`),
    },
  );
}
