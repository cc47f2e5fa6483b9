// An entity's history, page by page: one ChangeKey {key, seq} per key a Change touched,
// under a composite index whose order (key, then seq) a page reads from its cursor on,
// newest first, without reading the rest of the log (see cypher/history.py).
CREATE INDEX change_key_seq IF NOT EXISTS FOR (x:ChangeKey) ON (x.key, x.seq);
CALL db.awaitIndexes(300);
// Changes recorded before it get theirs (MERGE: running it again adds none).
MATCH (c:Change) WHERE c.seq IS NOT NULL
UNWIND c.keys AS k
WITH DISTINCT c.seq AS seq, k
MERGE (:ChangeKey {key: k, seq: seq});
