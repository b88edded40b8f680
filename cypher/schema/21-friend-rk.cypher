// schema: index on the FRIEND sampling key r.rk (uniform in [0,1)); supernode sampling reads a random window of it
CREATE INDEX friend_rk IF NOT EXISTS FOR ()-[r:FRIEND]-() ON (r.rk)
