// read: one hop of neighbour sampling for a de-duplicated frontier (GraphSAGE style: the repository
// runs it once per hop, hop h+1 over the distinct neighbours of hop h). Without replacement, at most
// $k per frontier node, by exponential keys (Efraimidis-Spirakis) in log space:
//   key = log(-log(U)) - log(w_eff); the k smallest keys win; every w_eff > 0 keeps a chance.
// Edge properties are read only when the bias needs them, and for the k winners.
// Neighbours: INTERACTED both ways (user->item, item<-user; hidden items included) and, with
// $includeFriends, FRIEND (undirected) for users.
// Supernodes: when a node's degree d (O(1) from the degree store) is above $cap AND reading a window
// of the global relationship index on the uniform key r.rk is cheaper than reading all d edges
// (the window holds about E * $window / d entries of all nodes, so: d^2 > $window * E, E = edges of
// the type, O(1) from the count store), the candidates are the edges
// with r.rk in the circular window [lo, lo + width) mod 1, width = min(1, $window / d), lo ~ U[0, 1):
// every edge is in the window with the same probability pi = width and every window holds about
// $window of the node's edges (no thin windows at the ends that would favour their edges);
// candidates carry log(pi) so w_eff = w / pi keeps the shares of the edge types right.
// A frontier entry without a kind (seeds from the API) is looked up as a user, else as an item.
// params: $frontier [{id: string, kind: 'USER'|'ITEM'|null}], $k int, $bias 'UNIFORM'|'WEIGHT'|'RECENCY',
//   $includeFriends bool, $cap int, $window int, $costBased bool (false: the window for every degree
//   above $cap, for tests), $now epoch ms, $lambda (per day), $horizonDays,
//   $minWeight (floor for weights <= 0)
// returns: one row per frontier node that exists (a node without neighbours too, with empty lists):
//   parent (id), parentKind ('USER'|'ITEM'), and the sample as parallel lists: ids, kinds ('USER'|'ITEM'),
//   weights (INTERACTED.weight, 1.0 when missing; FRIEND 1.0), edges ('INTERACTED'|'FRIEND')
CALL () {
  MATCH ()-[r:INTERACTED]->()
  RETURN toFloat(count(r)) AS nInteracted
}
CALL () {
  MATCH ()-[r:FRIEND]->()
  RETURN toFloat(count(r)) AS nFriend
}
UNWIND $frontier AS f
CALL (f) {
  MATCH (s:User {id: f.id}) WHERE f.kind = 'USER' OR f.kind IS NULL RETURN s
  UNION
  MATCH (s:Item {id: f.id}) WHERE f.kind = 'ITEM' OR (f.kind IS NULL AND NOT EXISTS { MATCH (:User {id: f.id}) }) RETURN s
}
CALL (s, nInteracted, nFriend) {
  CALL (s, nInteracted, nFriend) {
    WITH s, COUNT { (s)-[:INTERACTED]-() } AS deg
    WHERE deg <= $cap OR ($costBased AND toFloat(deg) * deg <= $window * nInteracted)
    MATCH (s)-[r:INTERACTED]-(n)
    RETURN r, n, 0.0 AS logPi
    UNION ALL
    WITH s, COUNT { (s)-[:INTERACTED]-() } AS deg
    WHERE deg > $cap AND NOT ($costBased AND toFloat(deg) * deg <= $window * nInteracted)
    WITH s, CASE WHEN toFloat($window) / deg < 1.0 THEN toFloat($window) / deg ELSE 1.0 END AS width, rand() AS lo
    UNWIND [[lo, lo + width], [0.0, lo + width - 1.0]] AS rng
    WITH s, width, rng
    WHERE rng[0] < rng[1]
    MATCH (a)-[r:INTERACTED]->(b)
    USING INDEX r:INTERACTED(rk)
    WHERE r.rk >= rng[0] AND r.rk < rng[1] AND (a = s OR b = s)
    RETURN r, CASE WHEN a = s THEN b ELSE a END AS n, log(width) AS logPi
    UNION ALL
    WITH s, COUNT { (s)-[:FRIEND]-() } AS deg
    WHERE $includeFriends AND s:User AND (deg <= $cap OR ($costBased AND toFloat(deg) * deg <= $window * nFriend))
    MATCH (s)-[r:FRIEND]-(n:User)
    RETURN r, n, 0.0 AS logPi
    UNION ALL
    WITH s, COUNT { (s)-[:FRIEND]-() } AS deg
    WHERE $includeFriends AND s:User AND deg > $cap AND NOT ($costBased AND toFloat(deg) * deg <= $window * nFriend)
    WITH s, CASE WHEN toFloat($window) / deg < 1.0 THEN toFloat($window) / deg ELSE 1.0 END AS width, rand() AS lo
    UNWIND [[lo, lo + width], [0.0, lo + width - 1.0]] AS rng
    WITH s, width, rng
    WHERE rng[0] < rng[1]
    MATCH (a:User)-[r:FRIEND]->(b:User)
    USING INDEX r:FRIEND(rk)
    WHERE r.rk >= rng[0] AND r.rk < rng[1] AND (a = s OR b = s)
    RETURN r, CASE WHEN a = s THEN b ELSE a END AS n, log(width) AS logPi
  }
  WITH r, n, logPi + log(-log(1.0 - rand())) - CASE $bias
      WHEN 'WEIGHT' THEN CASE
        WHEN type(r) = 'FRIEND' THEN 0.0
        WHEN coalesce(r.weight, 1.0) > 0 THEN log(coalesce(r.weight, 1.0))
        ELSE log($minWeight) END
      WHEN 'RECENCY' THEN -$lambda * CASE
        WHEN type(r) = 'FRIEND' AND r.since IS NULL THEN $horizonDays
        WHEN type(r) = 'FRIEND' THEN CASE
          WHEN $now - r.since >= $horizonDays * 86400000.0 THEN $horizonDays
          WHEN r.since >= $now THEN 0.0
          ELSE ($now - r.since) / 86400000.0 END
        WHEN r.lastTs IS NULL OR $now - r.lastTs >= $horizonDays * 86400000.0 THEN $horizonDays
        WHEN r.lastTs >= $now THEN 0.0
        ELSE ($now - r.lastTs) / 86400000.0 END
      ELSE 0.0 END AS key
  ORDER BY key
  LIMIT toInteger($k)
  RETURN collect(n.id) AS ids,
         collect(CASE WHEN n:User THEN 'USER' ELSE 'ITEM' END) AS kinds,
         collect(CASE WHEN type(r) = 'FRIEND' THEN 1.0 ELSE coalesce(r.weight, 1.0) END) AS weights,
         collect(type(r)) AS edges
}
RETURN s.id AS parent, CASE WHEN s:User THEN 'USER' ELSE 'ITEM' END AS parentKind, ids, kinds, weights, edges
