// schema: one Tombstone per deleted user or item (key = kind + ':' + id, e.g. 'user:lastfm:u3', the only place
// the deleted id is kept); also the
// index behind the prefix reads of serving, the model store and the snapshot export
CREATE CONSTRAINT tombstone_key_unique IF NOT EXISTS FOR (t:Tombstone) REQUIRE t.key IS UNIQUE
