// read: INTERACTED edges by split ('train', 'test', null). params: none. returns: split, count
MATCH ()-[r:INTERACTED]->()
RETURN r.split AS split, count(*) AS count
ORDER BY split
