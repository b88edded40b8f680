// read: the serving context of one user in one round trip: whether the user exists, the user's
// interactions (most recent first, then heaviest; capped) with the item titles, friends (capped, by id),
// and the items of the serving scope hidden right now (so hiding takes effect on the next request;
// the hint keeps that a seek on the hidden index instead of a range scan over the whole scope).
// params: $userId string, $maxItems int, $maxFriends int, $prefix string, $maxHidden int
// returns: found bool, items [{id, title, weight, lastTs}], friends [{id, name}], hidden [string]
OPTIONAL MATCH (u:User {id: $userId})
RETURN u IS NOT NULL AS found,
       COLLECT {
         MATCH (u)-[r:INTERACTED]->(i:Item)
         WITH i, r ORDER BY coalesce(r.lastTs, 0) DESC, r.weight DESC, i.id
         LIMIT toInteger($maxItems)
         RETURN {id: i.id, title: i.title, weight: r.weight, lastTs: r.lastTs}
       } AS items,
       COLLECT {
         MATCH (u)-[:FRIEND]-(f:User)
         WITH DISTINCT f ORDER BY f.id
         LIMIT toInteger($maxFriends)
         RETURN {id: f.id, name: f.name}
       } AS friends,
       COLLECT {
         MATCH (h:Item) USING INDEX h:Item(hidden)
         WHERE h.hidden = true AND h.id STARTS WITH $prefix
         RETURN h.id LIMIT toInteger($maxHidden)
       } AS hidden
