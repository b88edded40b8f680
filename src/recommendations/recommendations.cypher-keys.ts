export const RECOMMENDATIONS_CYPHER = [] as const;
