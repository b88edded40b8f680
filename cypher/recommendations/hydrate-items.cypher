// read: the current fields of some items (deleted ids are simply absent).
// params: $ids [string]
// returns: id, title, tags, hidden
UNWIND $ids AS id
MATCH (i:Item {id: id})
RETURN i.id AS id, i.title AS title, coalesce(i.tags, []) AS tags, coalesce(i.hidden, false) AS hidden
