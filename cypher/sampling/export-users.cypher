// read (snapshot export, streamed): users in id order (their snapshot index is the row number), less
// tombstoned ids (a deleted user's id re-created later is not trained on: see docs/graph-model.md),
// so their interactions and friendships are left out too.
// params: $prefix ('' for all)
// returns: id
MATCH (u:User)
WHERE u.id STARTS WITH $prefix AND NOT EXISTS { MATCH (t:Tombstone {key: 'user:' + u.id}) }
RETURN u.id AS id
ORDER BY id
