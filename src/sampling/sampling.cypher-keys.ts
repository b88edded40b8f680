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
