// schema: the serving catalogue's fingerprint reads the latest item update from this index (newest first)
CREATE INDEX item_updated_at IF NOT EXISTS FOR (i:Item) ON (i.updatedAt)
