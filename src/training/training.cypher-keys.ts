import type { CypherKeySet } from '../graph/cypher-keys';

export const TRAINING_CYPHER = ['training/write-attention'] as const;

type TrainingCypherKeys = CypherKeySet<typeof TRAINING_CYPHER>;
declare module '../graph/cypher-keys' {
  interface CypherKeys extends TrainingCypherKeys {}
}
