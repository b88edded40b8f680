// read (tests only): $prefix; returns nodes and relationships (whole database counts) and every
// User or Item whose id starts with $prefix with its labels, properties and edges (either direction)
CALL { MATCH (x) RETURN count(x) AS nodes }
CALL { MATCH ()-[r]->() RETURN count(r) AS relationships }
CALL {
  MATCH (n) WHERE (n:User OR n:Item) AND n.id STARTS WITH $prefix
  OPTIONAL MATCH (n)-[e]-(m)
  WITH n, collect(CASE WHEN e IS NULL THEN null ELSE {type: type(e), out: startNode(e) = n, other: m.id, props: properties(e)} END) AS edges
  RETURN collect({id: n.id, labels: labels(n), props: properties(n), edges: edges}) AS prefixed
}
RETURN nodes, relationships, prefixed
