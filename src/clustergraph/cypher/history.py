"""History: one `(:Change)` node per write, created in the same transaction as the write."""

from __future__ import annotations

from typing import LiteralString

from clustergraph.cypher.lookup import resolve_entity
from clustergraph.model import CHANGE_LABEL

# An entity's changes, newest first: under its key and every key merged into it. A deleted
# entity has no node any more, but its changes still name its key.
HISTORY: LiteralString = f"""
OPTIONAL CALL () {{
  {resolve_entity("n", "$key")}
  RETURN [n.key] + coalesce(n.mergedKeys, []) AS found
}}
WITH coalesce(found, [$key]) AS keys
MATCH (c:{CHANGE_LABEL}) WHERE any(k IN c.keys WHERE k IN keys)
RETURN c.id AS id, toString(c.at) AS at, c.actor AS actor, c.action AS action, c.key AS key,
       c.keys AS keys, c.before AS before, c.after AS after, c.sources AS sources
ORDER BY c.at DESC, c.id DESC
LIMIT $first
"""
