// read: the ids of the serving scope's deleted items (tombstones), which a model trained before the
// delete still holds; serving masks them like hidden ones (cached with them).
// params: $prefix string ('' = the whole graph)
// returns: id
MATCH (t:Tombstone)
WHERE t.key STARTS WITH 'item:' + $prefix
RETURN substring(t.key, 5) AS id
