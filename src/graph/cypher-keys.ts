/**
 * Every Cypher statement the app runs, by key = path under cypher/ without `.cypher`.
 * The registry fails at boot when a key has no file or a file has no key.
 */
export const CYPHER_KEYS = [
  'health/ping',
  'ingestion/upsert-users',
  'ingestion/get-user',
] as const;

export type CypherKey = (typeof CYPHER_KEYS)[number];
