// write (bulk import): one batch of FRIEND edges, one per unordered pair, from the lower id to the higher id (idempotent).
// params: $lo, $hi newline-joined user ids (same length, lo[k] < hi[k]). returns: nothing
WITH split($lo, '\n') AS los, split($hi, '\n') AS his
UNWIND range(0, size(los) - 1) AS k
MATCH (a:User {id: los[k]})
MATCH (b:User {id: his[k]})
MERGE (a)-[r:FRIEND]->(b)
  ON CREATE SET r.rk = rand()
