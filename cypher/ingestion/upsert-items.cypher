// write: create items or update them; omitted fields keep their value, new items start visible.
// params: $rows [{id, title: string|null, tags: [string]|null, attributesJson: string|null}], $now epoch ms
// returns: id, title, tags, hidden, createdAt, attributesJson
UNWIND $rows AS row
MERGE (i:Item {id: row.id})
  ON CREATE SET i.createdAt = toInteger($now), i.hidden = false
SET i.title = coalesce(row.title, i.title),
    i.tags = coalesce(row.tags, i.tags, []),
    i.attributesJson = coalesce(row.attributesJson, i.attributesJson, '{}'),
    i.updatedAt = toInteger($now)
RETURN i.id AS id, i.title AS title, i.tags AS tags, i.hidden AS hidden, i.createdAt AS createdAt, i.attributesJson AS attributesJson
