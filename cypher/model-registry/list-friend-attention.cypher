// read: a user's friends with the served model's attention in both directions, highest attention of the user first.
// params: $id string, $limit int
// returns: id, name, attention (the user's on the friend), attentionBack (the friend's on the user),
//          kept, keptBack (whether the model's attention filter kept each direction), version
MATCH (u:User {id: $id})-[r:FRIEND]-(f:User)
WITH f, r, startNode(r) = u AS out
RETURN f.id AS id,
       f.name AS name,
       CASE WHEN out THEN r.attentionOut ELSE r.attentionIn END AS attention,
       CASE WHEN out THEN r.attentionIn ELSE r.attentionOut END AS attentionBack,
       CASE WHEN out THEN r.attentionKeptOut ELSE r.attentionKeptIn END AS kept,
       CASE WHEN out THEN r.attentionKeptIn ELSE r.attentionKeptOut END AS keptBack,
       r.attentionVersion AS version
ORDER BY coalesce(attention, -1.0) DESC, id
LIMIT toInteger($limit)
