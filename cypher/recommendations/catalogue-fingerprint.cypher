// read: a fingerprint of the serving scope's catalogue, cheap to compare (one number each, no rows
// to the client): the items, the hidden ones and the latest item update (updatedAt, set by every item
// write). The service re-reads the whole catalogue only when it changes, and at least every 5 minutes
// (popularity moves with every interaction: it is refreshed by that full read, not watched here).
// Each part reads an index: the hidden and the newest item by their own (item_hidden, item_updated_at),
// so the cost is one count over the scope's id range (~0.2 s at 1.06M items; the interaction count it
// used to sum took 3-4 s there: decision 0039).
// params: $prefix string ('' = the whole graph)
// returns: items int, hidden int, updatedAt int (0 when no item has one)
CALL {
  MATCH (i:Item)
  WHERE i.id STARTS WITH $prefix
  RETURN count(i) AS items
}
CALL {
  MATCH (i:Item)
  USING INDEX i:Item(hidden)
  WHERE i.hidden = true AND i.id STARTS WITH $prefix
  RETURN count(i) AS hidden
}
CALL {
  OPTIONAL MATCH (i:Item)
  USING INDEX i:Item(updatedAt)
  WHERE i.updatedAt > 0 AND i.id STARTS WITH $prefix
  WITH i ORDER BY i.updatedAt DESC LIMIT 1
  RETURN coalesce(i.updatedAt, 0) AS updatedAt
}
RETURN items, hidden, updatedAt
