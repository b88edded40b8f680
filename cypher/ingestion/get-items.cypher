// read: items by external id (hidden ones too); absent ids have no row. params: $ids [string]. returns: id, title, tags, hidden, createdAt, attributesJson
UNWIND $ids AS id
MATCH (i:Item {id: id})
RETURN i.id AS id, i.title AS title, i.tags AS tags, i.hidden AS hidden, i.createdAt AS createdAt, i.attributesJson AS attributesJson
