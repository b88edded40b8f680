// read (snapshot export, streamed): every FRIEND pair once (as stored, lower id -> higher id) between
// exported users, ordered by the first then the second id.
// params: $prefix ('' for all)
// returns: a (id), b (id), overlap (float|null)
// The far end's prefix is checked with left(), which no index answers: right after an import the index
// statistics still describe an empty index, and an indexed check there made the planner test every pair
// of nodes for an edge (48.6 s instead of 1.4 s at the 1x rung; plan checked by test/cypher-registry.e2e-spec.ts).
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
