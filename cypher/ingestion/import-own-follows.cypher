// write (general import): one batch of directed FOLLOWS edges (idempotent); endpoints must exist.
// params: $a, $b newline-joined user ids (a follows b). returns: created
WITH split($a, '\n') AS as_, split($b, '\n') AS bs
UNWIND range(0, size(as_) - 1) AS k
MATCH (a:User {id: as_[k]})
MATCH (b:User {id: bs[k]})
MERGE (a)-[r:FOLLOWS]->(b)
  ON CREATE SET r.created = true
WITH r, r.created = true AS created
REMOVE r.created
RETURN count(CASE WHEN created THEN 1 END) AS created
