// A retired (merged) key is found by an index seek, not by reading every entity's
// `mergedKeys` list: one MergedKey node per retired key, pointing at its entity.
CREATE CONSTRAINT merged_key IF NOT EXISTS FOR (m:MergedKey) REQUIRE m.key IS UNIQUE;
MATCH (n:Entity) WHERE size(coalesce(n.mergedKeys, [])) > 0
UNWIND n.mergedKeys AS retired
MERGE (m:MergedKey {key: retired})
MERGE (m)-[:MERGED_INTO]->(n);
