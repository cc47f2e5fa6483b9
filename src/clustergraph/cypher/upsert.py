"""Batched, idempotent writes of import rows: upsert on stable keys."""

from __future__ import annotations

from typing import LiteralString

from clustergraph.model import ENTITY_LABEL, REL_TYPES, Kind

# Each returns one row: how many rows changed something (created or updated). The
# loader reads how many were created from the summary's counters, which spares a
# look-up of the old node or relationship per row before the MERGE.
_CHANGED = "RETURN sum(CASE WHEN before <> after THEN 1 ELSE 0 END) AS changed"


def upsert_nodes(kind: Kind) -> LiteralString:
    """Rows: the node's properties, with `key` and `sources`. Properties are replaced whole;
    provenance edges follow `sources`."""
    label = Kind(kind).value
    return f"""
UNWIND $rows AS props
MERGE (n:{ENTITY_LABEL} {{key: props.key}})
WITH n, props, properties(n) AS before
SET n = props
SET n:{label}
WITH n, props, before
CALL (n, props) {{
  OPTIONAL MATCH (n)-[stale:SOURCED_FROM]->(s:Source)
  WHERE NOT s.key IN props.sources
  DELETE stale
}}
CALL (n, props) {{
  UNWIND props.sources AS sourceKey
  MATCH (s:Source {{key: sourceKey}})
  MERGE (n)-[:SOURCED_FROM]->(s)
}}
WITH before, properties(n) AS after
{_CHANGED}
"""


def upsert_relationships(rel_type: str) -> LiteralString:
    """Rows: {start, end, props}. One relationship per (type, ends, identity properties)."""
    rel = REL_TYPES[rel_type]
    identity = ", ".join(f"{p}: row.props.{p}" for p in rel.identity)
    identity_map = f" {{{identity}}}" if identity else ""
    return f"""
UNWIND $rows AS row
MATCH (a:{ENTITY_LABEL} {{key: row.start}})
MATCH (b:{ENTITY_LABEL} {{key: row.end}})
MERGE (a)-[r:{rel.name}{identity_map}]->(b)
WITH r, row, properties(r) AS before
SET r = row.props
WITH before, properties(r) AS after
{_CHANGED}
"""


EXISTING_KINDS: LiteralString = f"""
MATCH (n:{ENTITY_LABEL}) WHERE n.key IN $keys
RETURN n.key AS key, [label IN labels(n) WHERE label <> '{ENTITY_LABEL}'][0] AS kind
"""
