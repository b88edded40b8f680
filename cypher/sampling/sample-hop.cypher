// read: one hop of neighbour sampling for a de-duplicated frontier (GraphSAGE style: the repository
// runs it once per hop, hop h+1 over the distinct neighbours of hop h). Without replacement, at most
// $k per frontier node, by exponential keys (Efraimidis-Spirakis) in log space:
//   key = log(-log(U)) - log(w_eff); the k smallest keys win; every w_eff > 0 keeps a chance.
// Bias terms: WEIGHT log(max(weight, $minWeight)) (FRIEND 1.0); RECENCY -lambda * age in days, age
// from INTERACTED.lastTs / FRIEND.since clamped to [0, $horizonDays], a missing time counting as the
// horizon; written as lambda * ts' / day with ts' = the clamped time, which orders the same (it
// differs from -lambda * age by one constant for every edge).
// Neighbours: INTERACTED both ways (user->item, item<-user; hidden items included) and, with
// $includeFriends, FRIEND (undirected) for users.
// Supernodes: when a node's degree d (O(1) from the degree store) is above $cap AND reading a window
// of the global relationship index on the uniform key r.rk is cheaper than reading all d edges
// (the window holds about E * $window / d entries of all nodes, so: d^2 > $window * E, E = edges of
// the type, O(1) from the count store), the candidates are the edges
// with r.rk in the circular window [lo, lo + width) mod 1, width = $window / d < 1, lo ~ U[0, 1):
// every edge is in the window with the same probability pi = width and every window holds about
// $window of the node's edges (no thin windows at the ends that would favour their edges);
// candidates carry log(pi) so w_eff = w / pi keeps the shares of the edge types right.
// Speed: each source of candidates (INTERACTED read whole, FRIEND read whole, the rk windows) is a
// COLLECT subquery inside a CASE, so only the sources a node needs run, and each keeps its own k
// best (one Expand and one Top per edge, no UNION per row: a UNION or a CALL per source costs more
// than the sampling itself); the winners of several sources (at most 3k) are merged by key.
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
WITH nInteracted, nFriend, $now - $horizonDays * 86400000.0 AS oldest
UNWIND $frontier AS f
CALL (f) {
  MATCH (s:User {id: f.id}) WHERE f.kind = 'USER' OR f.kind IS NULL RETURN s
  UNION
  MATCH (s:Item {id: f.id}) WHERE f.kind = 'ITEM' OR (f.kind IS NULL AND NOT EXISTS { MATCH (:User {id: f.id}) }) RETURN s
}
WITH s, oldest, nInteracted, nFriend, COUNT { (s)-[:INTERACTED]-() } AS degI,
     CASE WHEN $includeFriends AND s:User THEN COUNT { (s)-[:FRIEND]-() } ELSE 0 END AS degF
// per edge type: 0 no edges, 1 read every edge, 2 the rk window (never when it would hold every edge)
WITH s, oldest, degI, degF,
     CASE WHEN degI = 0 THEN 0 WHEN degI <= $cap OR degI <= $window OR ($costBased AND toFloat(degI) * degI <= $window * nInteracted) THEN 1 ELSE 2 END AS modeI,
     CASE WHEN degF = 0 THEN 0 WHEN degF <= $cap OR degF <= $window OR ($costBased AND toFloat(degF) * degF <= $window * nFriend) THEN 1 ELSE 2 END AS modeF
WITH s, oldest, degI, degF, modeI, modeF,
  CASE WHEN modeI = 1 THEN COLLECT {
    MATCH (s)-[r:INTERACTED]-(n)
    WITH r, n, log(-log(1.0 - rand())) - CASE $bias
        WHEN 'WEIGHT' THEN CASE WHEN coalesce(r.weight, 1.0) > $minWeight THEN log(coalesce(r.weight, 1.0)) ELSE log($minWeight) END
        WHEN 'RECENCY' THEN $lambda / 86400000.0 * CASE
          WHEN r.lastTs IS NULL OR r.lastTs < oldest THEN oldest WHEN r.lastTs > $now THEN $now ELSE r.lastTs END
        ELSE 0.0 END AS key
    ORDER BY key
    LIMIT toInteger($k)
    RETURN {r: r, n: n, key: key} } ELSE [] END AS interacted,
  CASE WHEN modeF = 1 THEN COLLECT {
    MATCH (s)-[r:FRIEND]-(n:User)
    WITH r, n, log(-log(1.0 - rand())) - CASE $bias
        WHEN 'RECENCY' THEN $lambda / 86400000.0 * CASE
          WHEN r.since IS NULL OR r.since < oldest THEN oldest WHEN r.since > $now THEN $now ELSE r.since END
        ELSE 0.0 END AS key
    ORDER BY key
    LIMIT toInteger($k)
    RETURN {r: r, n: n, key: key} } ELSE [] END AS friends,
  CASE WHEN modeI = 2 OR modeF = 2 THEN COLLECT {
  CALL (s, degI, degF, modeI, modeF) {
    WITH s, degI WHERE modeI = 2
    WITH s, toFloat($window) / degI AS width, rand() AS lo
    UNWIND [[lo, lo + width], [0.0, lo + width - 1.0]] AS rng
    WITH s, width, rng
    WHERE rng[0] < rng[1]
    MATCH (a)-[r:INTERACTED]->(b)
    USING INDEX r:INTERACTED(rk)
    WHERE r.rk >= rng[0] AND r.rk < rng[1] AND (a = s OR b = s)
    RETURN r, CASE WHEN a = s THEN b ELSE a END AS n, log(width) AS logPi
    UNION ALL
    WITH s, degF WHERE modeF = 2
    WITH s, toFloat($window) / degF AS width, rand() AS lo
    UNWIND [[lo, lo + width], [0.0, lo + width - 1.0]] AS rng
    WITH s, width, rng
    WHERE rng[0] < rng[1]
    MATCH (a:User)-[r:FRIEND]->(b:User)
    USING INDEX r:FRIEND(rk)
    WHERE r.rk >= rng[0] AND r.rk < rng[1] AND (a = s OR b = s)
    RETURN r, CASE WHEN a = s THEN b ELSE a END AS n, log(width) AS logPi
  }
  // the same keys as the whole reads above, for either edge type
  WITH r, n, logPi + log(-log(1.0 - rand())) - CASE $bias
      WHEN 'WEIGHT' THEN CASE
        WHEN type(r) = 'FRIEND' OR coalesce(r.weight, 1.0) > $minWeight THEN log(CASE WHEN type(r) = 'FRIEND' THEN 1.0 ELSE coalesce(r.weight, 1.0) END)
        ELSE log($minWeight) END
      WHEN 'RECENCY' THEN $lambda / 86400000.0 * CASE
        WHEN coalesce(r.lastTs, r.since) IS NULL OR coalesce(r.lastTs, r.since) < oldest THEN oldest
        WHEN coalesce(r.lastTs, r.since) > $now THEN $now ELSE coalesce(r.lastTs, r.since) END
      ELSE 0.0 END AS key
  ORDER BY key
  LIMIT toInteger($k)
  RETURN {r: r, n: n, key: key} } ELSE [] END AS windowed
// usually one source only: then its winners are the sample as they are
WITH s, CASE WHEN friends = [] AND windowed = [] THEN interacted
  ELSE COLLECT { UNWIND interacted + friends + windowed AS c WITH c ORDER BY c.key LIMIT toInteger($k) RETURN c } END AS winners
RETURN s.id AS parent, CASE WHEN s:User THEN 'USER' ELSE 'ITEM' END AS parentKind,
       [c IN winners | c.n.id] AS ids,
       [c IN winners | CASE WHEN c.n:User THEN 'USER' ELSE 'ITEM' END] AS kinds,
       [c IN winners | CASE WHEN type(c.r) = 'FRIEND' THEN 1.0 ELSE coalesce(c.r.weight, 1.0) END] AS weights,
       [c IN winners | type(c.r)] AS edges
