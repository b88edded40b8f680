// write (auto-commit only: CALL { } IN TRANSACTIONS; bulk load): neo4j-admin leaves an empty array field unset, but
// the general importer gives every item tags = [] (import-own-items, import-own-endpoints): set it where missing.
// params: $batch int. returns: items (int, tags set)
MATCH (i:Item)
WHERE i.tags IS NULL
CALL (i) {
  SET i.tags = []
} IN TRANSACTIONS OF toInteger($batch) ROWS
RETURN count(*) AS items
