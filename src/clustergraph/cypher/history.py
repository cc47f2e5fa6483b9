"""History: one `(:Change)` node per write, created in the same transaction as the write."""

from __future__ import annotations

from typing import LiteralString

from clustergraph.cypher.lookup import resolve_entity
from clustergraph.model import CHANGE_KEY_LABEL, CHANGE_LABEL

# One page of an entity's changes, newest first: those under its key and every key merged
# into it, numbered below `$before` (the cursor's change). A deleted entity has no node any
# more, but its changes still name its key. Each key is a seek of the (key, seq) index read
# in its own order from `$before` down, `$limit` entries at most (index-backed: no sort, no
# read of older entries); a change under several of the keys (a merge) counts once.
HISTORY_PAGE: LiteralString = f"""
OPTIONAL CALL () {{
  {resolve_entity("n", "$key")}
  RETURN [n.key] + coalesce(n.mergedKeys, []) AS found
}}
WITH coalesce(found, [$key]) AS keys
CALL (keys) {{
  UNWIND keys AS k
  CALL (k) {{
    MATCH (x:{CHANGE_KEY_LABEL}) WHERE x.key = k AND x.seq < $before
    RETURN x.seq AS seq ORDER BY x.key DESC, x.seq DESC LIMIT $limit
  }}
  RETURN DISTINCT seq ORDER BY seq DESC LIMIT $limit
}}
MATCH (c:{CHANGE_LABEL} {{seq: seq}})
RETURN c.seq AS seq, c.id AS id, toString(c.at) AS at, c.actor AS actor, c.action AS action, c.key AS key,
       c.keys AS keys, c.before AS before, c.after AS after, c.sources AS sources
ORDER BY seq DESC
"""
