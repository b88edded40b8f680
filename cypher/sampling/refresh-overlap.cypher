// write (auto-commit only: CALL { } IN TRANSACTIONS): sets FRIEND.overlap = Jaccard overlap of the two
// users' interacted item sets, |A ∩ B| / |A ∪ B|, 0.0 when both sets are empty. Interactions of the
// official test split (split = 'test') are left out so the feature never leaks held-out pairs;
// hidden items count (they are still the users' taste). Batched, one transaction per $batch edges.
// params: $prefix (only pairs whose two user ids start with it; '' for all), $batch int
// returns: edges (int, FRIEND edges updated)
// The far end's prefix is checked with left(), which no index answers (why: export-interactions.cypher).
MATCH (a:User)-[f:FRIEND]->(b:User)
WHERE a.id STARTS WITH $prefix AND left(b.id, size($prefix)) = $prefix
CALL (a, b, f) {
  WITH a, b, f,
       COUNT { (a)-[r:INTERACTED]->(:Item) WHERE coalesce(r.split, '') <> 'test' } AS na,
       COUNT { (b)-[r:INTERACTED]->(:Item) WHERE coalesce(r.split, '') <> 'test' } AS nb,
       COUNT { (a)-[r1:INTERACTED]->(:Item)<-[r2:INTERACTED]-(b)
               WHERE coalesce(r1.split, '') <> 'test' AND coalesce(r2.split, '') <> 'test' } AS shared
  SET f.overlap = CASE WHEN na + nb - shared = 0 THEN 0.0 ELSE toFloat(shared) / (na + nb - shared) END
} IN TRANSACTIONS OF toInteger($batch) ROWS
RETURN count(*) AS edges
