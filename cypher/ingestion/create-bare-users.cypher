// write: bare User nodes for ids seen in events (recordInteractions with createMissing).
// params: $ids [string], $now epoch ms. returns: touched (int)
UNWIND $ids AS id
MERGE (u:User {id: id})
  ON CREATE SET u.createdAt = toInteger($now), u.attributesJson = '{}'
RETURN count(u) AS touched
