// read: one page of a user's friends (FRIEND matched undirected), ordered by friend id.
// params: $id, $after user id|null, $limit int. returns: id, name, createdAt, attributesJson, since
MATCH (:User {id: $id})-[r:FRIEND]-(f:User)
WHERE $after IS NULL OR f.id > $after
RETURN f.id AS id, f.name AS name, f.createdAt AS createdAt, f.attributesJson AS attributesJson, r.since AS since
ORDER BY f.id
LIMIT toInteger($limit)
