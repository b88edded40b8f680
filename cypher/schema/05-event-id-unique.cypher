// schema: one Event per client event id (recordInteractions' eventId): a replayed event finds its node
// and counts nothing; MERGE on it takes the constraint's lock, so two concurrent replays serialize
CREATE CONSTRAINT event_id_unique IF NOT EXISTS FOR (e:Event) REQUIRE e.id IS UNIQUE
