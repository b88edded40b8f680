// read: which of the given ids are users and which are items (ids are unique across kinds by the
// dataset namespacing convention; when an id names both, both rows come back and the caller picks).
// params: $ids [string]
// returns: id, kind ('USER'|'ITEM'), hidden (bool, items only; false for users), title (items; null for users)
UNWIND $ids AS id
CALL (id) {
  MATCH (u:User {id: id}) RETURN 'USER' AS kind, false AS hidden, null AS title
  UNION ALL
  MATCH (i:Item {id: id}) RETURN 'ITEM' AS kind, coalesce(i.hidden, false) AS hidden, i.title AS title
}
RETURN id, kind, hidden, title
