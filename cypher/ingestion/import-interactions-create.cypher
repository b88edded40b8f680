// write (bulk import, fast path): one batch of new INTERACTED edges with CREATE (no per-row existence check).
// Used only when the dataset has no interactions in the graph yet and no checkpoint exists; reruns and resumed runs use import-interactions (MERGE).
// params: as import-interactions ($u, $i, $w, $c newline-joined; $t, $s per batch). returns: nothing
WITH split($u, '\n') AS us, split($i, '\n') AS its, split($w, '\n') AS ws, split($c, '\n') AS cs
UNWIND range(0, size(us) - 1) AS k
MATCH (u:User {id: us[k]})
MATCH (i:Item {id: its[k]})
CREATE (u)-[:INTERACTED {type: $t, types: [$t], weight: toFloat(ws[k]), count: toInteger(cs[k]), split: $s, rk: rand()}]->(i)
