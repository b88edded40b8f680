// write (tests only): a small real subset into the graph. params: $users [{id}], $items [{id, title, tags}],
// $interactions [{u, i, split}], $friends [{a, b}] (a < b), $now
CALL (*) {
  UNWIND $users AS row MERGE (u:User {id: row.id}) ON CREATE SET u.createdAt = toInteger($now), u.attributesJson = '{}'
}
CALL (*) {
  UNWIND $items AS row MERGE (i:Item {id: row.id})
  ON CREATE SET i.createdAt = toInteger($now), i.title = row.title, i.tags = row.tags, i.hidden = false, i.attributesJson = '{}'
}
CALL (*) {
  UNWIND $interactions AS row
  MATCH (u:User {id: row.u}) MATCH (i:Item {id: row.i})
  MERGE (u)-[r:INTERACTED]->(i)
  SET r.type = 'PLAY', r.types = ['PLAY'], r.weight = 1.0, r.count = 1, r.firstTs = toInteger($now), r.lastTs = toInteger($now), r.split = row.split
}
CALL (*) {
  UNWIND $friends AS row
  MATCH (a:User {id: row.a}) MATCH (b:User {id: row.b})
  MERGE (a)-[:FRIEND]->(b)
}
RETURN 1 AS ok
