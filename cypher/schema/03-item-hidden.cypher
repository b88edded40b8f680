// schema: recommendation and sampling queries skip hidden items; graphStats counts them
CREATE INDEX item_hidden IF NOT EXISTS FOR (i:Item) ON (i.hidden)
