// The ordered change log: every Change has a unique sequence number, in commit order
// (see cypher/changelog.py); "changes after N" is a range scan of this constraint's index.
CREATE CONSTRAINT change_seq IF NOT EXISTS FOR (c:Change) REQUIRE c.seq IS UNIQUE;
CREATE CONSTRAINT change_log_id IF NOT EXISTS FOR (l:ChangeLog) REQUIRE l.id IS UNIQUE;
// Changes recorded before the log existed are numbered in the order they were made.
MATCH (c:Change) WHERE c.seq IS NULL
WITH c ORDER BY c.at, c.id
WITH collect(c) AS unnumbered
OPTIONAL MATCH (numbered:Change) WHERE numbered.seq IS NOT NULL
WITH unnumbered, coalesce(max(numbered.seq), 0) AS base
MERGE (log:ChangeLog {id: 'changes'})
SET log.last = base + size(unnumbered)
WITH unnumbered, base
UNWIND range(0, size(unnumbered) - 1) AS i
WITH unnumbered[i] AS c, base + i + 1 AS seq
SET c.seq = seq;
