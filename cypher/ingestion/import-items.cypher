// write (bulk import): one batch of dataset items; sets title and tags when the dataset has them (idempotent).
// params: $rows [{id: string, title: string|null, tags: [string]|null}], $now epoch ms. returns: nothing
UNWIND $rows AS row
MERGE (i:Item {id: row.id})
  ON CREATE SET i.createdAt = toInteger($now), i.hidden = false, i.attributesJson = '{}', i.tags = []
SET i.title = coalesce(row.title, i.title),
    i.tags = coalesce(row.tags, i.tags),
    i.updatedAt = toInteger($now)
