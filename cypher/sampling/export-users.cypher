// read (snapshot export, streamed): users in id order (their snapshot index is the row number).
// params: $prefix ('' for all)
// returns: id
MATCH (u:User)
WHERE u.id STARTS WITH $prefix
RETURN u.id AS id
ORDER BY id
