// write (bulk import, fast path): one batch of new FRIEND edges with CREATE, lower id to higher id.
// Used only when the dataset has no friendships in the graph yet and no checkpoint exists; otherwise import-friendships (MERGE).
// params: $lo, $hi newline-joined user ids (lo[k] < hi[k], distinct pairs). returns: nothing
WITH split($lo, '\n') AS los, split($hi, '\n') AS his
UNWIND range(0, size(los) - 1) AS k
MATCH (a:User {id: los[k]})
MATCH (b:User {id: his[k]})
CREATE (a)-[:FRIEND {rk: rand()}]->(b)
