// read: which of the given item ids have no Item node. params: $ids [string]. returns: missing [string]
UNWIND $ids AS id
OPTIONAL MATCH (i:Item {id: id})
WITH id, i
WHERE i IS NULL
RETURN collect(id) AS missing
