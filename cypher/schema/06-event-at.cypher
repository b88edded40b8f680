// schema: retention deletes Event nodes older than RETENTION_EVENT_DAYS by this range
CREATE INDEX event_at IF NOT EXISTS FOR (e:Event) ON (e.at)
