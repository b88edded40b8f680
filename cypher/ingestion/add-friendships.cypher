// write: one FRIEND edge per unordered pair, directed from the lower id to the higher id; since keeps the earliest value.
// New edges get their random sampling key rk (see sampling/sample-hop).
// params: $rows [{lo: string, hi: string, since: ms|null}] (lo < hi, distinct pairs, both users exist)
// returns: pairs (int), created (int)
UNWIND $rows AS row
MATCH (a:User {id: row.lo})
MATCH (b:User {id: row.hi})
WITH a, b, row, EXISTS { (a)-[:FRIEND]-(b) } AS existed
MERGE (a)-[r:FRIEND]->(b)
  ON CREATE SET r.rk = rand()
SET r.since = CASE
    WHEN row.since IS NULL THEN r.since
    WHEN r.since IS NULL OR toInteger(row.since) < r.since THEN toInteger(row.since)
    ELSE r.since END
RETURN count(*) AS pairs, sum(CASE WHEN existed THEN 0 ELSE 1 END) AS created
