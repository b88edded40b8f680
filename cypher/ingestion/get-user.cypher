// read: one user by external id. params: $id. returns: id, name, createdAt, attributesJson (no row when absent)
MATCH (u:User {id: $id})
RETURN u.id AS id, u.name AS name, u.createdAt AS createdAt, u.attributesJson AS attributesJson
