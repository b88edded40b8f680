// write: removes the FRIEND edge of each unordered pair (matched in either direction).
// params: $rows [{a: string, b: string}] (distinct pairs). returns: removed (int)
UNWIND $rows AS row
OPTIONAL MATCH (:User {id: row.a})-[r:FRIEND]-(:User {id: row.b})
WITH collect(DISTINCT r) AS rs
FOREACH (x IN rs | DELETE x)
RETURN size(rs) AS removed
