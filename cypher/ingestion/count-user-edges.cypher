// read: how many interactions and friends a user has. params: $id. returns: interactions, friends (no row when absent)
MATCH (u:User {id: $id})
RETURN COUNT { (u)-[:INTERACTED]->(:Item) } AS interactions, COUNT { (u)-[:FRIEND]-(:User) } AS friends
