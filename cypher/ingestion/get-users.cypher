// read: users by external id; absent ids have no row. params: $ids [string]. returns: id, name, createdAt, attributesJson
UNWIND $ids AS id
MATCH (u:User {id: id})
RETURN u.id AS id, u.name AS name, u.createdAt AS createdAt, u.attributesJson AS attributesJson
