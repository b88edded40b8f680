// read: liveness of the graph database. Returns: ok
RETURN 1 AS ok
