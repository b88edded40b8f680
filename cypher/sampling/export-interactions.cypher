// read (snapshot export, streamed): every INTERACTED edge between exported users and items, ordered
// by user id then item id (sorted per user, so the server never sorts the whole edge set).
// params: $prefix ('' for all)
// returns: user (id), item (id), weight (float), count (int), firstTs (int|null), lastTs (int|null),
//   split ('train'|'test'|'none')
MATCH (u:User)
WHERE u.id STARTS WITH $prefix
WITH u
ORDER BY u.id
CALL (u) {
  MATCH (u)-[r:INTERACTED]->(i:Item)
  WHERE i.id STARTS WITH $prefix
  RETURN i.id AS item, r.weight AS weight, r.count AS count, r.firstTs AS firstTs, r.lastTs AS lastTs,
         coalesce(r.split, 'none') AS split
  ORDER BY item
}
RETURN u.id AS user, item, weight, count, firstTs, lastTs, split
