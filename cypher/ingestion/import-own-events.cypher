// write (general import): one chunk of events, pre-aggregated per (user, item), merged into the pair's one
// INTERACTED edge the way recordInteractions merges (weight += sum, count += n, types gains new ones, type of
// the latest event, firstTs = min, lastTs = max). Runs once per chunk: import-own-claim-chunk in the same
// transaction. Endpoints exist (import-own-endpoints, same transaction).
// params (newline-joined columns): $u, $i ids, $w weight sums, $c counts, $types comma-joined distinct types,
//   $type type of the latest event, $f first and $l last timestamps in epoch ms ('' when unknown).
// returns: pairs (edges changed)
WITH split($u, '\n') AS us, split($i, '\n') AS its, split($w, '\n') AS ws, split($c, '\n') AS cs,
     split($types, '\n') AS tss, split($type, '\n') AS ty, split($f, '\n') AS fs, split($l, '\n') AS ls
UNWIND range(0, size(us) - 1) AS k
MATCH (u:User {id: us[k]})
MATCH (i:Item {id: its[k]})
MERGE (u)-[r:INTERACTED]->(i)
  ON CREATE SET r.count = 0, r.weight = 0.0, r.types = [], r.rk = rand()
WITH r, toFloat(ws[k]) AS w, toInteger(cs[k]) AS c, split(tss[k], ',') AS types, ty[k] AS type,
     CASE fs[k] WHEN '' THEN null ELSE toInteger(fs[k]) END AS first,
     CASE ls[k] WHEN '' THEN null ELSE toInteger(ls[k]) END AS last
WITH r, w, c, types, type, first, last, r.firstTs AS prevFirst, r.lastTs AS prevLast
SET r.weight = r.weight + w,
    r.count = r.count + c,
    r.types = coalesce(r.types, []) + [t IN types WHERE NOT t IN coalesce(r.types, [])],
    r.type = CASE WHEN r.type IS NULL OR last IS NULL OR prevLast IS NULL OR last >= prevLast THEN type ELSE r.type END,
    r.firstTs = CASE WHEN first IS NULL THEN prevFirst WHEN prevFirst IS NULL OR first < prevFirst THEN first ELSE prevFirst END,
    r.lastTs = CASE WHEN last IS NULL THEN prevLast WHEN prevLast IS NULL OR last > prevLast THEN last ELSE prevLast END
RETURN count(r) AS pairs
