export const INGESTION_CYPHER = ['ingestion/upsert-users', 'ingestion/get-user'] as const;
