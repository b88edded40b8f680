// write: records deleted users or items as tombstones, in the transaction of the delete itself: serving
// masks them, the model store drops tombstoned users from every version it loads, the snapshot export
// skips them. A repeated delete keeps the first time. The id is kept in the key only: no node carries the
// deleted id as its `id`.
// params: $kind 'user'|'item', $ids [string], $now epoch ms. returns: written (int)
UNWIND $ids AS id
MERGE (t:Tombstone {key: $kind + ':' + id})
  ON CREATE SET t.kind = $kind, t.at = toInteger($now)
RETURN count(t) AS written
