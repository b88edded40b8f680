// read: the tombstoned (deleted) ids of one kind in the scope, written at or after $since; a range seek
// on the tombstone key's unique index.
// params: $kind 'user'|'item', $prefix string ('' = all), $since epoch ms (0 = all)
// returns: id, at (int, epoch ms)
MATCH (t:Tombstone)
WHERE t.key STARTS WITH $kind + ':' + $prefix AND t.at >= $since
RETURN substring(t.key, size($kind) + 1) AS id, t.at AS at
