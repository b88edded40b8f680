export const SAMPLING_CYPHER = [] as const;
