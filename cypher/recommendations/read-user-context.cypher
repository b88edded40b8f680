// read: the serving context of some users in one round trip (one row per given id): whether the
// user exists, the user's interactions (most recent first, then heaviest; capped) with the item
// titles, and friends (capped, by id), each with the ids of the items they interacted with (capped;
// in store order: serving sorts them): friends' picks and explanations. Cached by serving until a
// write by this process for the user or one of the friends (or it expires). Plain id lists, not
// one map per friend's item, and no edge property read (ordering by r.lastTs doubled the read):
// this row is re-read for every cached user when it expires.
// params: $userIds [string], $maxItems int, $maxFriends int, $maxFriendItems int
// returns: userId, found bool, items [{id, title, weight, lastTs, updatedAt}], friends [{id, name, items [string]}]
// (user-context-fingerprint.cypher follows what this returns: change them together)
UNWIND $userIds AS userId
OPTIONAL MATCH (u:User {id: userId})
RETURN userId, u IS NOT NULL AS found,
       COLLECT {
         MATCH (u)-[r:INTERACTED]->(i:Item)
         WITH i, r ORDER BY coalesce(r.lastTs, 0) DESC, r.weight DESC, i.id
         LIMIT toInteger($maxItems)
         RETURN {id: i.id, title: i.title, weight: r.weight, lastTs: r.lastTs, updatedAt: i.updatedAt}
       } AS items,
       COLLECT {
         MATCH (u)-[:FRIEND]-(f:User)
         WHERE f <> u
         WITH DISTINCT f ORDER BY f.id
         LIMIT toInteger($maxFriends)
         RETURN {id: f.id, name: f.name, items: COLLECT {
           MATCH (f)-[:INTERACTED]->(i:Item)
           RETURN i.id LIMIT toInteger($maxFriendItems)
         }}
       } AS friends
