export const TRAINING_CYPHER = ['training/write-attention'] as const;
