// read: the ids of the serving scope's items hidden right now (cached by serving until this process
// hides, unhides or deletes items, or it expires). The hint keeps this a seek on the hidden index
// instead of a range scan over the whole scope.
// params: $prefix string ('' = the whole graph), $maxHidden int
// returns: id
MATCH (h:Item) USING INDEX h:Item(hidden)
WHERE h.hidden = true AND h.id STARTS WITH $prefix
RETURN h.id AS id
LIMIT toInteger($maxHidden)
