// write (auto-commit, batched): deletes Event ids older than the cutoff (retention): a client retry
// arriving after that long counts again.
// params: $before epoch ms
// returns: deleted (int)
MATCH (e:Event)
WHERE e.at < toInteger($before)
CALL (e) {
  DELETE e
} IN TRANSACTIONS OF 10000 ROWS
RETURN count(*) AS deleted
