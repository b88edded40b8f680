// write (general import): one batch of users; name and attributes set when the file has them. A row that
// changes nothing writes nothing (a rerun leaves updatedAt as it was). params: $rows [{id, name: string|null,
// attributesJson: string|null}], $now epoch ms. returns: written (users created or changed)
UNWIND $rows AS row
MERGE (u:User {id: row.id})
  ON CREATE SET u.createdAt = toInteger($now), u.attributesJson = '{}'
WITH u, row, [coalesce(row.name, u.name, ''), coalesce(row.attributesJson, u.attributesJson, '{}')] AS next
WHERE next <> [coalesce(u.name, ''), coalesce(u.attributesJson, '{}')] OR u.updatedAt IS NULL
SET u.name = CASE next[0] WHEN '' THEN null ELSE next[0] END, u.attributesJson = next[1], u.updatedAt = toInteger($now)
RETURN count(u) AS written
