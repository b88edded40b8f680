// write: hides or unhides items (they stay in the graph with their edges); a change stamps updatedAt.
// params: $ids [string] (distinct), $hidden bool. returns: matched (int), changed (int)
UNWIND $ids AS id
MATCH (i:Item {id: id})
WITH i, coalesce(i.hidden, false) <> $hidden AS changes
SET i.hidden = $hidden, i.updatedAt = CASE WHEN changes THEN timestamp() ELSE i.updatedAt END
RETURN count(i) AS matched, sum(CASE WHEN changes THEN 1 ELSE 0 END) AS changed
