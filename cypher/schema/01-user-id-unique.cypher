// schema: one User per external id (also the index behind MERGE and lookups)
CREATE CONSTRAINT user_id_unique IF NOT EXISTS FOR (u:User) REQUIRE u.id IS UNIQUE
