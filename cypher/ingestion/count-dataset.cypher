// read: what a dataset import left in the graph, by id prefix (e.g. 'lastfm:').
// params: $prefix. returns: users, items, interactions, train, test, unsplit, friendships
CALL () { MATCH (u:User) WHERE u.id STARTS WITH $prefix RETURN count(u) AS users }
CALL () { MATCH (i:Item) WHERE i.id STARTS WITH $prefix RETURN count(i) AS items }
CALL () {
  MATCH (u:User)-[r:INTERACTED]->(:Item) WHERE u.id STARTS WITH $prefix
  RETURN count(r) AS interactions, count(CASE WHEN r.split = 'train' THEN 1 END) AS train,
         count(CASE WHEN r.split = 'test' THEN 1 END) AS test, count(CASE WHEN r.split IS NULL THEN 1 END) AS unsplit
}
CALL () { MATCH (a:User)-[r:FRIEND]->(:User) WHERE a.id STARTS WITH $prefix RETURN count(r) AS friendships }
RETURN users, items, interactions, train, test, unsplit, friendships
