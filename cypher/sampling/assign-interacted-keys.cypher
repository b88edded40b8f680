// write (auto-commit only: CALL { } IN TRANSACTIONS): gives every INTERACTED edge without one a
// uniform random sampling key r.rk in [0, 1) (indexed by schema/20-interacted-rk; supernode windows
// in sampling/sample-hop and the walk steps read it). Idempotent: existing keys are kept.
// params: $batch int
// returns: edges (int, keys assigned)
MATCH ()-[r:INTERACTED]->()
WHERE r.rk IS NULL
CALL (r) {
  SET r.rk = rand()
} IN TRANSACTIONS OF toInteger($batch) ROWS
RETURN count(*) AS edges
