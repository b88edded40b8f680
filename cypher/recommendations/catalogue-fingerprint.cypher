// read: a fingerprint of the serving scope's catalogue, cheap to compare (one number each, no rows
// to the client): the items, the interactions on them, the hidden ones and the latest item update
// (updatedAt, set by every item write). The service re-reads the whole catalogue only when it changes.
// params: $prefix string ('' = the whole graph)
// returns: items int, interactions int, hidden int, updatedAt int (0 when no item has one)
MATCH (i:Item)
WHERE i.id STARTS WITH $prefix
RETURN count(i) AS items, sum(COUNT { (i)<-[:INTERACTED]-() }) AS interactions,
       sum(CASE WHEN i.hidden = true THEN 1 ELSE 0 END) AS hidden, coalesce(max(i.updatedAt), 0) AS updatedAt
