// write (tests only): removes every node whose id starts with $prefix, with its edges
MATCH (n) WHERE (n:User OR n:Item) AND n.id STARTS WITH $prefix
DETACH DELETE n
