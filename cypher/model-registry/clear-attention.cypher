// write: removes the attention another model version wrote onto FRIEND edges (run before the promoted
// version's own is written, in the same transaction, so no reader sees a mix of two versions). Also
// removes the pair-averaged `attention`/`attentionKept` that versions before per-direction attention wrote.
// params: $version string (the version being promoted: its own attention is left alone)
// returns: cleared (count of edges cleared)
MATCH ()-[r:FRIEND]->()
WHERE r.attentionVersion IS NOT NULL AND r.attentionVersion <> $version
REMOVE r.attention, r.attentionKept, r.attentionOut, r.attentionIn, r.attentionKeptOut, r.attentionKeptIn, r.attentionVersion
RETURN count(r) AS cleared
