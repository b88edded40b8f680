// read: one social random-walk step user -> friend for walkers grouped by their current user (the
// repository advances all walkers one step per call). Uniform over the FRIEND edges (undirected),
// with replacement; supernodes (degree > $cap and d^2 > $window * E) draw from a window of the FRIEND r.rk index as in
// sampling/walk-step-items.
// params: $groups [{id: user id, n: walkers on it}], $cap int, $window int,
//   $costBased bool (false: the window for every degree above $cap, for tests)
// returns: cur (user id), next (user id): one row per walker that could move; no row on a dead end
CALL () {
  MATCH ()-[r:FRIEND]->()
  RETURN toFloat(count(r)) AS nEdges
}
UNWIND $groups AS g
MATCH (x:User {id: g.id})
CALL (x, g, nEdges) {
  CALL (x, nEdges) {
    WITH x, COUNT { (x)-[:FRIEND]-() } AS deg
    WHERE deg <= $cap OR ($costBased AND toFloat(deg) * deg <= $window * nEdges)
    MATCH (x)-[:FRIEND]-(v:User)
    RETURN v
    UNION ALL
    WITH x, COUNT { (x)-[:FRIEND]-() } AS deg
    WHERE deg > $cap AND NOT ($costBased AND toFloat(deg) * deg <= $window * nEdges)
    WITH x, CASE WHEN toFloat($window) / deg < 1.0 THEN toFloat($window) / deg ELSE 1.0 END AS width, rand() AS lo
    UNWIND [[lo, lo + width], [0.0, lo + width - 1.0]] AS rng
    WITH x, width, rng
    WHERE rng[0] < rng[1]
    MATCH (a:User)-[r:FRIEND]->(b:User)
    USING INDEX r:FRIEND(rk)
    WHERE r.rk >= rng[0] AND r.rk < rng[1] AND (a = x OR b = x)
    RETURN CASE WHEN a = x THEN b ELSE a END AS v
  }
  WITH collect(v.id) AS vs
  WHERE size(vs) > 0
  UNWIND range(1, toInteger(g.n)) AS walker
  RETURN vs[toInteger(floor(rand() * size(vs)))] AS next
}
RETURN x.id AS cur, next
