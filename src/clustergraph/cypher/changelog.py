"""The ordered change log: a sequence number on every `Change`, and reads of "what came after N".

One `ChangeLog` node holds the last number handed out. A write takes its lock when it
records its change (the last thing it does) and keeps it until it commits, so writers
that record changes commit one after another and the numbers follow commit order: a
reader that has seen N never later finds a change numbered below N appear.
"""

from __future__ import annotations

from typing import LiteralString

from clustergraph.model import CHANGE_KEY_LABEL, CHANGE_LABEL, ENTITY_LABEL

# Takes the counter's write lock before reading it (the explicit lock of Neo4j's
# "concurrent data access" recipe), so no two writers read the same value.
_LOCK_COUNTER: LiteralString = """
MERGE (log:ChangeLog {id: 'changes'})
ON CREATE SET log.last = 0
SET log._lock = true
REMOVE log._lock
"""

_KIND: LiteralString = f"[label IN labels(e) WHERE label <> '{ENTITY_LABEL}'][0]"


def _index_keys(keys: str) -> str:
    """One ChangeKey per distinct key of `c` (bound to the new Change): what history pages over."""
    distinct = f"reduce(seen = [], k IN {keys} | CASE WHEN k IN seen THEN seen ELSE seen + k END)"
    return f"FOREACH (k IN {distinct} | CREATE (:{CHANGE_KEY_LABEL} {{key: k, seq: c.seq}}))"


RECORD_CHANGE: LiteralString = f"""
{_LOCK_COUNTER}
SET log.last = log.last + 1
WITH log.last AS seq
OPTIONAL MATCH (e:{ENTITY_LABEL} {{key: $key}})
CREATE (c:{CHANGE_LABEL} {{
  id: randomUUID(), seq: seq, at: datetime.realtime(), actor: $actor, actorRole: $actorRole,
  action: $action, key: $key, keys: $keys, kind: coalesce($kind, {_KIND}),
  before: $before, after: $after, sources: $sources
}})
{_index_keys("$keys")}
RETURN c.id AS id, c.seq AS seq
"""

# Many changes at once (a bulk import's batch): rows {action, keys, kind, before, after, sources},
# numbered in the order given.
RECORD_CHANGES: LiteralString = f"""
{_LOCK_COUNTER}
WITH log, log.last AS base
UNWIND range(0, size($changes) - 1) AS i
WITH log, base, i, $changes[i] AS change
OPTIONAL MATCH (e:{ENTITY_LABEL} {{key: change.keys[0]}})
CREATE (c:{CHANGE_LABEL} {{
  id: randomUUID(), seq: base + i + 1, at: datetime.realtime(), actor: $actor, actorRole: $actorRole,
  action: change.action, key: change.keys[0], keys: change.keys, kind: coalesce(change.kind, {_KIND}),
  before: change.before, after: change.after, sources: change.sources
}})
{_index_keys("change.keys")}
WITH log, base, count(c) AS written
SET log.last = base + written
"""

# The log after `after`, oldest first: a range scan of the unique `seq` index.
CHANGES_AFTER: LiteralString = f"""
MATCH (c:{CHANGE_LABEL}) WHERE c.seq > $after
RETURN c.seq AS seq, toString(c.at) AS at, c.actor AS actor, c.actorRole AS actorRole,
       c.action AS action, c.key AS key, c.keys AS keys, c.kind AS kind,
       c.before AS before, c.after AS after, c.sources AS sources
ORDER BY c.seq
LIMIT $limit
"""

# The last number handed out (0 for a graph with no log yet).
LAST_SEQ: LiteralString = """
OPTIONAL MATCH (log:ChangeLog {id: 'changes'})
RETURN coalesce(log.last, 0) AS last
"""
