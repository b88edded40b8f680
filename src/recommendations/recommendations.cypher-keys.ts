export const RECOMMENDATIONS_CYPHER = [
  'recommendations/read-user-context',
  'recommendations/user-context-fingerprint',
  'recommendations/list-hidden-items',
  'recommendations/hydrate-items',
  'recommendations/list-catalogue',
  'recommendations/catalogue-fingerprint',
] as const;
