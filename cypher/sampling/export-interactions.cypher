// read (snapshot export, streamed): every INTERACTED edge between exported users and items, ordered
// by user id then item id (sorted per user, so the server never sorts the whole edge set).
// params: $prefix ('' for all)
// returns: user (id), item (id), weight (float), count (int), firstTs (int|null), lastTs (int|null),
//   split ('train'|'test'|'none')
// The far end's prefix is checked with left(), which no index answers: right after an import the index
// statistics still describe an empty index, and an indexed check there made the planner test every pair
// of nodes for an edge (48.6 s instead of 1.4 s at the 1x rung; plan checked by test/cypher-registry.e2e-spec.ts).
MATCH (u:User)
WHERE u.id STARTS WITH $prefix
WITH u
ORDER BY u.id
CALL (u) {
  MATCH (u)-[r:INTERACTED]->(i:Item)
  WHERE left(i.id, size($prefix)) = $prefix
  RETURN i.id AS item, r.weight AS weight, r.count AS count, r.firstTs AS firstTs, r.lastTs AS lastTs,
         coalesce(r.split, 'none') AS split
  ORDER BY item
}
RETURN u.id AS user, item, weight, count, firstTs, lastTs, split
