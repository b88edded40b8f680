// write (general import): claims an events chunk by its tag (id prefix + file content hash + chunk number) in the
// transaction that applies it, so each chunk counts once: a rerun or a resumed run finds the claim and skips the
// chunk. params: $id tag, $now epoch ms. returns: one row (claimed: true) when this call claimed it, none when it was applied before
OPTIONAL MATCH (c:ImportChunk {id: $id})
WITH c
WHERE c IS NULL
CREATE (:ImportChunk {id: $id, at: toInteger($now)})
RETURN true AS claimed
