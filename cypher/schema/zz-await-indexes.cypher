// schema: wait until every index is online (runs last; files apply in name order)
CALL db.awaitIndexes(300)
