// read: every item in the serving scope with its title, tags, hidden flag and popularity (the number
// of users who interacted with it: one INTERACTED edge per pair), in id order so that an unchanged
// re-read compares equal row by row. Cached briefly by the service.
// params: $prefix string ('' = the whole graph)
// returns: id, title, tags [string], hidden bool, popularity int
MATCH (i:Item)
WHERE i.id STARTS WITH $prefix
RETURN i.id AS id, i.title AS title, coalesce(i.tags, []) AS tags, coalesce(i.hidden, false) AS hidden,
       COUNT { (i)<-[:INTERACTED]-() } AS popularity
ORDER BY id
