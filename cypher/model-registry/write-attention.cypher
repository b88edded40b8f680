// write: learned attention of the model version being promoted onto FRIEND edges, per direction
// (one row per undirected pair; the edge is stored once, so each direction is named from the edge's start).
// params: $rows [{a: string, b: string, ab: float|null, ba: float|null, keptAb: bool, keptBa: bool}], $version string
// (the pair-averaged attention/attentionKept of earlier versions are removed.)
// returns: updated (count of edges written)
UNWIND $rows AS row
MATCH (a:User {id: row.a})-[r:FRIEND]-(b:User {id: row.b})
WITH r, row, startNode(r) = a AS fromA
SET r.attentionOut = CASE WHEN fromA THEN row.ab ELSE row.ba END,
    r.attentionIn = CASE WHEN fromA THEN row.ba ELSE row.ab END,
    r.attentionKeptOut = CASE WHEN fromA THEN row.keptAb ELSE row.keptBa END,
    r.attentionKeptIn = CASE WHEN fromA THEN row.keptBa ELSE row.keptAb END,
    r.attentionVersion = $version
REMOVE r.attention, r.attentionKept
RETURN count(r) AS updated
