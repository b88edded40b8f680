// schema: index on the INTERACTED sampling key r.rk (uniform in [0,1)); supernode sampling reads a random window of it
CREATE INDEX interacted_rk IF NOT EXISTS FOR ()-[r:INTERACTED]-() ON (r.rk)
