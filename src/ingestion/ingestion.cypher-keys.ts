import type { CypherKeySet } from '../graph/cypher-keys';

export const INGESTION_CYPHER = [
  'ingestion/upsert-users',
  'ingestion/get-user',
  'ingestion/get-users',
  'ingestion/upsert-items',
  'ingestion/get-item',
  'ingestion/get-items',
  'ingestion/find-missing-users',
  'ingestion/find-missing-items',
  'ingestion/create-bare-users',
  'ingestion/create-bare-items',
  'ingestion/merge-interactions',
  'ingestion/add-friendships',
  'ingestion/remove-friendships',
  'ingestion/delete-user',
  'ingestion/set-items-hidden',
  'ingestion/delete-items',
  'ingestion/write-tombstones',
  'ingestion/list-tombstones',
  'ingestion/claim-events',
  'ingestion/prune-events',
  'ingestion/list-user-interactions',
  'ingestion/list-user-friends',
  'ingestion/count-user-edges',
  'ingestion/graph-stats',
  'ingestion/count-interactions-by-split',
  'ingestion/import-users',
  'ingestion/import-items',
  'ingestion/import-interactions',
  'ingestion/import-friendships',
  'ingestion/import-interactions-create',
  'ingestion/import-friendships-create',
  'ingestion/import-own-users',
  'ingestion/import-own-items',
  'ingestion/import-own-claim-chunk',
  'ingestion/import-own-endpoints',
  'ingestion/import-own-events',
  'ingestion/import-own-friendships',
  'ingestion/import-own-follows',
  'ingestion/count-dataset',
] as const;

type IngestionCypherKeys = CypherKeySet<typeof INGESTION_CYPHER>;
declare module '../graph/cypher-keys' {
  interface CypherKeys extends IngestionCypherKeys {}
}
