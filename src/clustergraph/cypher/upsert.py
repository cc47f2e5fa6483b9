"""Batched, idempotent writes of import rows: upsert on stable keys."""

from __future__ import annotations

from typing import LiteralString

from clustergraph.model import ENTITY_LABEL, REL_TYPES, Kind

# Each returns one row per input row: whether it was created, and its properties before
# and after (the loader counts from them and records the changes in history).


def upsert_nodes(kind: Kind) -> LiteralString:
    """Rows: {key, props, sources}. Properties are replaced whole; provenance edges follow `sources`."""
    label = Kind(kind).value
    return f"""
UNWIND $rows AS row
OPTIONAL MATCH (old:{ENTITY_LABEL} {{key: row.key}})
WITH row, old IS NULL AS created, properties(old) AS before
MERGE (n:{ENTITY_LABEL} {{key: row.key}})
SET n = row.props
SET n:{label}
WITH n, row, created, before
CALL (n, row) {{
  OPTIONAL MATCH (n)-[stale:SOURCED_FROM]->(s:Source)
  WHERE NOT s.key IN row.sources
  DELETE stale
}}
CALL (n, row) {{
  UNWIND row.sources AS sourceKey
  MATCH (s:Source {{key: sourceKey}})
  MERGE (n)-[:SOURCED_FROM]->(s)
}}
RETURN row.key AS key, created, before, properties(n) AS after
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
OPTIONAL MATCH (a)-[old:{rel.name}{identity_map}]->(b)
WITH a, b, row, old IS NULL AS created, properties(old) AS before
MERGE (a)-[r:{rel.name}{identity_map}]->(b)
SET r = row.props
RETURN row.start AS start, row.end AS end, created, before, properties(r) AS after
"""


EXISTING_KINDS: LiteralString = f"""
MATCH (n:{ENTITY_LABEL}) WHERE n.key IN $keys
RETURN n.key AS key, [label IN labels(n) WHERE label <> '{ENTITY_LABEL}'][0] AS kind
"""
