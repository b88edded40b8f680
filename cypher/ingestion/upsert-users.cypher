// write: create users or update their name and attributes (missing fields keep their value).
// params: $rows [{id: string, name: string|null, attributesJson: string|null}], $now epoch ms
// returns: id, name, createdAt, attributesJson
UNWIND $rows AS row
MERGE (u:User {id: row.id})
  ON CREATE SET u.createdAt = toInteger($now)
SET u.name = coalesce(row.name, u.name),
    u.attributesJson = coalesce(row.attributesJson, u.attributesJson, '{}')
RETURN u.id AS id, u.name AS name, u.createdAt AS createdAt, u.attributesJson AS attributesJson
