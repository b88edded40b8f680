// read: one item by external id (hidden ones too). params: $id. returns: id, title, tags, hidden, createdAt, attributesJson
MATCH (i:Item {id: $id})
RETURN i.id AS id, i.title AS title, i.tags AS tags, i.hidden AS hidden, i.createdAt AS createdAt, i.attributesJson AS attributesJson
