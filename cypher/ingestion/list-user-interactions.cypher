// read: one page of a user's interactions, ordered by item id (stable keyset pagination).
// params: $id, $after item id|null, $limit int. returns: item fields (id, title, tags, hidden, createdAt, attributesJson) and edge fields
MATCH (:User {id: $id})-[r:INTERACTED]->(i:Item)
WHERE $after IS NULL OR i.id > $after
RETURN i.id AS id, i.title AS title, i.tags AS tags, i.hidden AS hidden, i.createdAt AS createdAt, i.attributesJson AS attributesJson,
       r.type AS type, r.types AS types, r.weight AS weight, r.count AS count, r.firstTs AS firstTs, r.lastTs AS lastTs, r.split AS split
ORDER BY i.id
LIMIT toInteger($limit)
