import type { CypherKeySet } from '../graph/cypher-keys';

export const MODEL_REGISTRY_CYPHER = [
  'model-registry/clear-attention',
  'model-registry/write-attention',
  'model-registry/list-friend-attention',
] as const;

type ModelRegistryCypherKeys = CypherKeySet<typeof MODEL_REGISTRY_CYPHER>;
declare module '../graph/cypher-keys' {
  interface CypherKeys extends ModelRegistryCypherKeys {}
}
