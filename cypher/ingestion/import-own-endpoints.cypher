// write (general import): the users and items of a batch of events, created bare when missing (idempotent).
// params: $users, $items newline-joined distinct ids ('' for none), $now epoch ms. returns: nothing
CALL (*) {
  UNWIND [x IN split($users, '\n') WHERE x <> ''] AS id
  MERGE (u:User {id: id})
    ON CREATE SET u.createdAt = toInteger($now), u.attributesJson = '{}'
}
CALL (*) {
  UNWIND [x IN split($items, '\n') WHERE x <> ''] AS id
  MERGE (i:Item {id: id})
    ON CREATE SET i.createdAt = toInteger($now), i.hidden = false, i.attributesJson = '{}', i.tags = []
}
