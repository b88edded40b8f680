// read: the serving context of some users in one round trip (one row per given id): whether the
// user exists, the user's interactions (most recent first, then heaviest; capped) with the item
// titles, and friends (capped, by id). Cached by serving until this process writes for the user
// (or it expires); a user's friends are read the same way for explanations.
// params: $userIds [string], $maxItems int, $maxFriends int
// returns: userId, found bool, items [{id, title, weight, lastTs}], friends [{id, name}]
UNWIND $userIds AS userId
OPTIONAL MATCH (u:User {id: userId})
RETURN userId, u IS NOT NULL AS found,
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
