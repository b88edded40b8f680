// write (tests only): removes every node whose id starts with $prefix (users, items, their tombstones,
// event ids, general-import chunk claims), with its edges
MATCH (n)
WHERE ((n:User OR n:Item OR n:Event OR n:ImportChunk) AND n.id STARTS WITH $prefix)
   OR (n:Tombstone AND (n.key STARTS WITH 'user:' + $prefix OR n.key STARTS WITH 'item:' + $prefix))
DETACH DELETE n
