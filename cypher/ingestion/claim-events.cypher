// write: claims client event ids for this transaction attempt: an id seen before (committed by an
// earlier attempt, another request or a concurrent one that committed first) matches its node and is
// not fresh; MERGE under event_id_unique locks the id, so concurrent claims of one id serialize.
// $attempt is unique per transaction attempt, so a retry of an attempt whose commit did land sees
// its ids as already claimed.
// params: $ids [string] (distinct), $attempt string, $now epoch ms
// returns: fresh [string] (the ids this attempt claimed)
UNWIND $ids AS id
MERGE (e:Event {id: id})
  ON CREATE SET e.at = toInteger($now), e.attempt = $attempt
RETURN collect(CASE WHEN e.attempt = $attempt THEN id END) AS fresh
