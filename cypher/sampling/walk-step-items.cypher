// read: one PinSage random-walk step item -> user -> item for walkers grouped by their current item
// (the repository advances all walkers one step per call and counts the visits). Each walker moves
// independently and uniformly: a user of the item, then an item of that user (with replacement, so
// walkers at the same node are i.i.d.). Neighbour lists are read once per distinct node per step.
// Supernodes (degree > $cap and d^2 > $window * E, see sampling/sample-hop) draw from a window of
// the relationship index on r.rk (circular window [lo, lo + width) mod 1, width = min(1, $window/d),
// lo ~ U[0, 1): every edge equally likely to be in it) instead of reading all their edges.
// Hidden items are walked through (the caller filters results).
// params: $groups [{id: item id, n: walkers on it}], $cap int, $window int,
//   $costBased bool (false: the window for every degree above $cap, for tests)
// returns: cur (item id), next (item id): one row per walker that could move; walkers on an item
//   without users (or a user whose window came back empty) get no row (dead end)
CALL () {
  MATCH ()-[r:INTERACTED]->()
  RETURN toFloat(count(r)) AS nEdges
}
UNWIND $groups AS g
MATCH (x:Item {id: g.id})
CALL (x, g, nEdges) {
  CALL (x, nEdges) {
    WITH x, COUNT { (x)<-[:INTERACTED]-() } AS deg
    WHERE deg <= $cap OR ($costBased AND toFloat(deg) * deg <= $window * nEdges)
    MATCH (x)<-[:INTERACTED]-(u:User)
    RETURN u
    UNION ALL
    WITH x, COUNT { (x)<-[:INTERACTED]-() } AS deg
    WHERE deg > $cap AND NOT ($costBased AND toFloat(deg) * deg <= $window * nEdges)
    WITH x, CASE WHEN toFloat($window) / deg < 1.0 THEN toFloat($window) / deg ELSE 1.0 END AS width, rand() AS lo
    UNWIND [[lo, lo + width], [0.0, lo + width - 1.0]] AS rng
    WITH x, width, rng
    WHERE rng[0] < rng[1]
    MATCH (u:User)-[r:INTERACTED]->(b)
    USING INDEX r:INTERACTED(rk)
    WHERE r.rk >= rng[0] AND r.rk < rng[1] AND b = x
    RETURN u
  }
  WITH collect(u) AS us
  WHERE size(us) > 0
  UNWIND range(1, toInteger(g.n)) AS walker
  RETURN us[toInteger(floor(rand() * size(us)))] AS u
}
WITH nEdges, u, collect(x.id) AS curs
CALL (u, curs, nEdges) {
  CALL (u, nEdges) {
    WITH u, COUNT { (u)-[:INTERACTED]->() } AS deg
    WHERE deg <= $cap OR ($costBased AND toFloat(deg) * deg <= $window * nEdges)
    MATCH (u)-[:INTERACTED]->(i:Item)
    RETURN i
    UNION ALL
    WITH u, COUNT { (u)-[:INTERACTED]->() } AS deg
    WHERE deg > $cap AND NOT ($costBased AND toFloat(deg) * deg <= $window * nEdges)
    WITH u, CASE WHEN toFloat($window) / deg < 1.0 THEN toFloat($window) / deg ELSE 1.0 END AS width, rand() AS lo
    UNWIND [[lo, lo + width], [0.0, lo + width - 1.0]] AS rng
    WITH u, width, rng
    WHERE rng[0] < rng[1]
    MATCH (a)-[r:INTERACTED]->(i:Item)
    USING INDEX r:INTERACTED(rk)
    WHERE r.rk >= rng[0] AND r.rk < rng[1] AND a = u
    RETURN i
  }
  WITH collect(i.id) AS items
  WHERE size(items) > 0
  RETURN [c IN curs | items[toInteger(floor(rand() * size(items)))]] AS nexts
}
UNWIND range(0, size(curs) - 1) AS j
RETURN curs[j] AS cur, nexts[j] AS next
