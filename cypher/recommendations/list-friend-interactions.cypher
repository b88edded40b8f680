// read: for explanations, which of the user's friends interacted with each of a page's items.
// Starts from the friends (few, each with a bounded history) rather than the items (a popular item
// has thousands of users).
// params: $friendIds [string], $itemIds [string]
// returns: itemId, friendIds [string] (only items some friend interacted with)
UNWIND $friendIds AS fid
MATCH (f:User {id: fid})-[:INTERACTED]->(i:Item)
WHERE i.id IN $itemIds
RETURN i.id AS itemId, collect(DISTINCT f.id) AS friendIds
