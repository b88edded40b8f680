// schema: one ImportChunk per tag (id prefix + file content hash + chunk number): a chunk of the general importer is applied once
CREATE CONSTRAINT import_chunk_id_unique IF NOT EXISTS FOR (c:ImportChunk) REQUIRE c.id IS UNIQUE
