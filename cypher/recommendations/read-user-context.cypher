// read: the serving context of one user in one round trip: whether the user exists, the user's
// interactions (most recent first, then heaviest; capped) with the item titles, and friends (capped, by id).
// Cached by serving until this process writes for the user (or it expires).
// params: $userId string, $maxItems int, $maxFriends int
// returns: found bool, items [{id, title, weight, lastTs}], friends [{id, name}]
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
       } AS friends
