// write (general import): one batch of items; title, tags and attributes set when the file has them. A row
// that changes nothing writes nothing (a rerun leaves updatedAt, which the serving catalogue watches, as it was).
// params: $rows [{id, title: string|null, tags: [string]|null, attributesJson: string|null}], $now epoch ms.
// returns: written (items created or changed)
UNWIND $rows AS row
MERGE (i:Item {id: row.id})
  ON CREATE SET i.createdAt = toInteger($now), i.hidden = false, i.attributesJson = '{}', i.tags = []
WITH i, row,
     [coalesce(row.title, i.title, ''), coalesce(row.tags, i.tags, []), coalesce(row.attributesJson, i.attributesJson, '{}')] AS next
WHERE next <> [coalesce(i.title, ''), coalesce(i.tags, []), coalesce(i.attributesJson, '{}')] OR i.updatedAt IS NULL
SET i.title = CASE next[0] WHEN '' THEN null ELSE next[0] END, i.tags = next[1], i.attributesJson = next[2],
    i.updatedAt = toInteger($now)
RETURN count(i) AS written
