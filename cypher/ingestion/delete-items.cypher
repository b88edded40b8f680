// write: deletes items and every edge they have. params: $ids [string] (distinct). returns: deleted (int), interactions (int)
UNWIND $ids AS id
MATCH (i:Item {id: id})
WITH i, COUNT { (i)<-[:INTERACTED]-() } AS n
DETACH DELETE i
RETURN count(*) AS deleted, coalesce(sum(n), 0) AS interactions
