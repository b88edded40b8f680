// write: deletes a user and every relationship it has (no trace left).
// params: $id. returns: interactions, friendships, relationships (no row when the user is absent)
MATCH (u:User {id: $id})
WITH u, COUNT { (u)-[:INTERACTED]->() } AS interactions, COUNT { (u)-[:FRIEND]-() } AS friendships, COUNT { (u)--() } AS relationships
DETACH DELETE u
RETURN interactions, friendships, relationships
