// write (auto-commit only: CALL { } IN TRANSACTIONS): gives every FRIEND edge without one a uniform
// random sampling key r.rk in [0, 1) (indexed by schema/21-friend-rk). Idempotent.
// params: $batch int
// returns: edges (int, keys assigned)
MATCH ()-[r:FRIEND]->()
WHERE r.rk IS NULL
CALL (r) {
  SET r.rk = rand()
} IN TRANSACTIONS OF toInteger($batch) ROWS
RETURN count(*) AS edges
