// write: learned attention of the model version being promoted onto FRIEND edges (one row per undirected pair).
// params: $rows [{a: string, b: string, attention: float, kept: bool}], $version string
// returns: updated (count of edges written)
UNWIND $rows AS row
MATCH (a:User {id: row.a})-[r:FRIEND]-(b:User {id: row.b})
SET r.attention = row.attention, r.attentionKept = row.kept, r.attentionVersion = $version
RETURN count(r) AS updated
