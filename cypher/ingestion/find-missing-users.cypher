// read: which of the given user ids have no User node. params: $ids [string]. returns: missing [string]
UNWIND $ids AS id
OPTIONAL MATCH (u:User {id: id})
WITH id, u
WHERE u IS NULL
RETURN collect(id) AS missing
