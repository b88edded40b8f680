import type { CypherKeySet } from '../graph/cypher-keys';

export const SAMPLING_CYPHER = [
  'sampling/resolve-nodes',
  'sampling/sample-hop',
  'sampling/walk-step-items',
  'sampling/walk-step-friends',
  'sampling/refresh-overlap',
  'sampling/assign-interacted-keys',
  'sampling/assign-friend-keys',
  'sampling/export-users',
  'sampling/export-items',
  'sampling/export-interactions',
  'sampling/export-friendships',
] as const;

type SamplingCypherKeys = CypherKeySet<typeof SAMPLING_CYPHER>;
declare module '../graph/cypher-keys' {
  interface CypherKeys extends SamplingCypherKeys {}
}
