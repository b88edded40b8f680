export const TRAINING_CYPHER = [] as const;
