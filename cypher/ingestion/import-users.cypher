// write (bulk import): one batch of dataset users; existing users keep their properties (idempotent).
// params: $ids newline-joined user ids (ids cannot contain control characters; one string packs far
// faster in the JS driver than a list of maps), $now epoch ms. returns: nothing
UNWIND split($ids, '\n') AS id
MERGE (u:User {id: id})
  ON CREATE SET u.createdAt = toInteger($now), u.attributesJson = '{}'
