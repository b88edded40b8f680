// read (bulk load): what the database holds, from the count store (constant time): every node, and the nodes and
// edges the general importer writes; before a bulk load (it refuses unless nodes = 0) and after it (verification).
// params: none. returns: nodes, users, items, chunks, interactions, friendships, follows
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH (u:User) RETURN count(u) AS users }
CALL () { MATCH (i:Item) RETURN count(i) AS items }
CALL () { MATCH (c:ImportChunk) RETURN count(c) AS chunks }
CALL () { MATCH ()-[r:INTERACTED]->() RETURN count(r) AS interactions }
CALL () { MATCH ()-[r:FRIEND]->() RETURN count(r) AS friendships }
CALL () { MATCH ()-[r:FOLLOWS]->() RETURN count(r) AS follows }
RETURN nodes, users, items, chunks, interactions, friendships, follows
