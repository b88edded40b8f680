import type { CypherKeySet } from '../graph/cypher-keys';

export const RECOMMENDATIONS_CYPHER = [
  'recommendations/read-user-context',
  'recommendations/user-context-fingerprint',
  'recommendations/list-hidden-items',
  'recommendations/list-deleted-items',
  'recommendations/hydrate-items',
  'recommendations/list-catalogue',
  'recommendations/catalogue-fingerprint',
] as const;

type RecommendationsCypherKeys = CypherKeySet<typeof RECOMMENDATIONS_CYPHER>;
declare module '../graph/cypher-keys' {
  interface CypherKeys extends RecommendationsCypherKeys {}
}
