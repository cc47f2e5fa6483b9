// Curation: API keys are found by the hash of their token; changes by id, newest first.
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE;
CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.hash IS UNIQUE;
CREATE CONSTRAINT change_id IF NOT EXISTS FOR (c:Change) REQUIRE c.id IS UNIQUE;
CREATE INDEX change_at IF NOT EXISTS FOR (c:Change) ON (c.at);
// Merged keys (Entity.mergedKeys, a list) need no index: a lookup tries the unique `key`
// first and reads `mergedKeys` only for a key no entity has (see cypher/lookup.py).
