// read (snapshot export, streamed): items in id order (their snapshot index is the row number).
// params: $prefix ('' for all)
// returns: id, hidden (bool), tags ([string])
MATCH (i:Item)
WHERE i.id STARTS WITH $prefix
RETURN i.id AS id, coalesce(i.hidden, false) AS hidden, coalesce(i.tags, []) AS tags
ORDER BY id
