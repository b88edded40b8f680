// write (bulk import): one batch of INTERACTED edges, set to the dataset's state (idempotent: a rerun rewrites the same values).
// Endpoints are written first; MATCH uses the id uniqueness constraints; MERGE keeps one edge per (user, item).
// params (columns, packed as newline-joined strings: the JS driver packs one string far faster than 10k maps):
//   $u user ids, $i item ids, $w weights, $c counts (same length); $t event type and $s split ('train'|'test'|null) of the whole batch
// returns: nothing
WITH split($u, '\n') AS us, split($i, '\n') AS its, split($w, '\n') AS ws, split($c, '\n') AS cs
UNWIND range(0, size(us) - 1) AS k
MATCH (u:User {id: us[k]})
MATCH (i:Item {id: its[k]})
MERGE (u)-[r:INTERACTED]->(i)
  ON CREATE SET r.rk = rand()
SET r.type = $t, r.types = [$t], r.weight = toFloat(ws[k]), r.count = toInteger(cs[k]), r.split = $s
