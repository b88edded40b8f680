/**
 * A Cypher statement's key is its path under cypher/ without `.cypher`. The graph layer knows no
 * domain: each domain lists its keys in `<domain>.cypher-keys.ts`, adds them to CypherKeys below
 * (declaration merging, so repositories get typed keys and a typo fails tsc) and registers them at
 * boot with `CypherModule.forFeature(KEYS)` in its module; the registry then fails when a key has no
 * file or a file no key. (cypher/schema/ files are applied in name order and need no key.)
 *
 *   type XCypherKeys = CypherKeySet<typeof X_CYPHER>;
 *   declare module '../graph/cypher-keys' { interface CypherKeys extends XCypherKeys {} }
 */
export interface CypherKeys {}

export type CypherKey = keyof CypherKeys & string;

/** A domain's key list as an object type, for `interface CypherKeys extends ...`. */
export type CypherKeySet<K extends readonly string[]> = Record<K[number], true>;
