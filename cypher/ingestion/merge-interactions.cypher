// write: merges live events, pre-aggregated per (user, item), into the one INTERACTED edge of the pair:
// weight += sum, count += n, types gains new types, type = type of the latest event, firstTs = min, lastTs = max.
// The edge's split (set by dataset imports) is left as it is. Endpoints must exist (checked before).
// New edges get their random sampling key rk (see sampling/sample-hop).
// params: $rows [{userId, itemId, weight: float, count: int, types: [string], type: string, firstTs: ms, lastTs: ms}]
// returns: pairs (int), created (int)
UNWIND $rows AS row
MATCH (u:User {id: row.userId})
MATCH (i:Item {id: row.itemId})
MERGE (u)-[r:INTERACTED]->(i)
  ON CREATE SET r.count = 0, r.weight = 0.0, r.types = [], r.rk = rand()
WITH r, row, r.count = 0 AS created, r.lastTs AS prevLast, r.firstTs AS prevFirst
SET r.weight = r.weight + row.weight,
    r.count = r.count + toInteger(row.count),
    r.types = coalesce(r.types, []) + [t IN row.types WHERE NOT t IN coalesce(r.types, [])],
    r.type = CASE WHEN prevLast IS NULL OR toInteger(row.lastTs) >= prevLast THEN row.type ELSE r.type END,
    r.firstTs = CASE WHEN prevFirst IS NULL OR toInteger(row.firstTs) < prevFirst THEN toInteger(row.firstTs) ELSE prevFirst END,
    r.lastTs = CASE WHEN prevLast IS NULL OR toInteger(row.lastTs) > prevLast THEN toInteger(row.lastTs) ELSE prevLast END
RETURN count(*) AS pairs, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created
