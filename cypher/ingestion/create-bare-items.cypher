// write: bare, visible Item nodes for ids seen in events (recordInteractions with createMissing).
// params: $ids [string], $now epoch ms. returns: touched (int)
UNWIND $ids AS id
MERGE (i:Item {id: id})
  ON CREATE SET i.createdAt = toInteger($now), i.updatedAt = toInteger($now), i.hidden = false, i.tags = [], i.attributesJson = '{}'
RETURN count(i) AS touched
