// write (general import): one batch of FRIEND edges, one per unordered pair from the lower id to the higher
// (idempotent); endpoints must exist (rows whose users are missing are reported before anything is written).
// params: $a, $b newline-joined user ids (a[k] < b[k]). returns: created
WITH split($a, '\n') AS as_, split($b, '\n') AS bs
UNWIND range(0, size(as_) - 1) AS k
MATCH (a:User {id: as_[k]})
MATCH (b:User {id: bs[k]})
MERGE (a)-[r:FRIEND]->(b)
  ON CREATE SET r.rk = rand(), r.created = true
WITH r, r.created = true AS created
REMOVE r.created
RETURN count(CASE WHEN created THEN 1 END) AS created
