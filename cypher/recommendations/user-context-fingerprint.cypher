// read: a fingerprint of some users' serving contexts (one row per given id), a few numbers and
// one short string per friend instead of the rows of read-user-context. Serving re-reads a cached
// user whose 30 s expiry passed only when this changed. It follows what read-user-context returns:
// the user's interactions (count, weights, times, the latest update of their items: titles), and
// the friends (by id, with their names and how many items they interacted with), capped alike.
// params: $userIds [string], $maxItems int, $maxFriends int, $maxFriendItems int
// returns: userId, found bool, items int, weights float, times int, itemUpdate int, friends [string]
UNWIND $userIds AS userId
OPTIONAL MATCH (u:User {id: userId})
CALL (u) {
  OPTIONAL MATCH (u)-[r:INTERACTED]->(i:Item)
  RETURN count(r) AS items, sum(coalesce(r.weight, 0.0)) AS weights, sum(coalesce(r.lastTs, 0)) AS times,
         max(coalesce(i.updatedAt, 0)) AS itemUpdate
}
CALL (u) {
  OPTIONAL MATCH (u)-[:FRIEND]-(f:User)
  WHERE f <> u
  WITH DISTINCT f ORDER BY f.id
  LIMIT toInteger($maxFriends)
  RETURN collect(f.id + ':' + coalesce(f.name, '') + ':' +
                 toString(CASE WHEN COUNT { (f)-[:INTERACTED]->() } > $maxFriendItems THEN $maxFriendItems
                               ELSE COUNT { (f)-[:INTERACTED]->() } END)) AS friends
}
RETURN userId, u IS NOT NULL AS found,
       CASE WHEN items > $maxItems THEN -1 ELSE items END AS items, weights, times, coalesce(itemUpdate, 0) AS itemUpdate, friends
