// read (snapshot export, streamed): every FRIEND pair once (as stored, lower id -> higher id) between
// exported users, ordered by the first then the second id.
// params: $prefix ('' for all)
// returns: a (id), b (id), overlap (float|null)
// The far end's prefix is checked with left(), which no index answers (why: export-interactions.cypher).
MATCH (a:User)
WHERE a.id STARTS WITH $prefix
WITH a
ORDER BY a.id
CALL (a) {
  MATCH (a)-[f:FRIEND]->(b:User)
  WHERE left(b.id, size($prefix)) = $prefix
  RETURN b.id AS b, f.overlap AS overlap
  ORDER BY b
}
RETURN a.id AS a, b, overlap
