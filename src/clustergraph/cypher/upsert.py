"""Batched, idempotent writes of import rows: upsert on stable keys."""

from __future__ import annotations

from typing import LiteralString

from clustergraph.model import (
    ENTITY_LABEL,
    MERGED_INTO,
    MERGED_KEY_LABEL,
    REFERENCE_PROPERTIES,
    REL_TYPES,
    Kind,
    properties_of,
)

# Each returns one row per input row that changed something (or, without `rows`, just
# the counts): whether it was created, and
# its properties before and after (the loader counts from them and records them in
# history). Unchanged rows return nothing. Whether a row was created is read from what
# MERGE found rather than from a look-up before it: an existing entity always has a name
# and sources, an existing relationship always has sources; a node MERGE just created has
# only its key, a relationship only its identity properties.
_CHANGED_ONLY = "WHERE before <> after"
# What `places load` added to the entity stays unless the row sets it (model.REFERENCE_PROPERTIES).
_KEPT = ", ".join(f".{name}" for name in REFERENCE_PROPERTIES)


def _returning(rows: bool, per_row: str) -> str:
    """Per changed row (for history), or only the counts (a load that keeps no history)."""
    if rows:
        return per_row
    return "RETURN count(*) AS changed, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created"


def upsert_nodes(kind: Kind, rows: bool = True) -> LiteralString:
    """Rows: the node's properties, `key` and `sources` included. Properties are replaced
    whole, but for the reference properties of places a row leaves out; provenance edges
    follow `sources`."""
    label = Kind(kind).value
    return f"""
UNWIND $rows AS props
MERGE (n:{ENTITY_LABEL} {{key: props.key}})
WITH n, props, properties(n) AS before
SET n = before {{{_KEPT}}}
SET n += props
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
WITH props.key AS key, before, properties(n) AS after
{_CHANGED_ONLY}
WITH key, before.name IS NULL AS created, before, after
{_returning(rows, "RETURN key, created, before, after")}
"""


def upsert_relationships(rel_type: str, rows: bool = True) -> LiteralString:
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
WITH row, before, properties(r) AS after
{_CHANGED_ONLY}
WITH row.start AS start, row.end AS end, before.sources IS NULL AS created, before, after
{_returning(rows, "RETURN start, end, created, before, after")}
"""


EXISTING_KINDS: LiteralString = f"""
MATCH (n:{ENTITY_LABEL}) WHERE n.key IN $keys
RETURN n.key AS key, [label IN labels(n) WHERE label <> '{ENTITY_LABEL}'][0] AS kind
"""


def unique_holders(kind: Kind, name: str) -> LiteralString:
    """Which entities of `kind` hold one of `$values` in the unique property `name` (its index)."""
    label, prop = Kind(kind).value, _known_property(kind, name)
    return f"MATCH (n:{label}) WHERE n.{prop} IN $values RETURN n.{prop} AS value, n.key AS key"


def _known_property(kind: Kind, name: str) -> str:
    if name not in properties_of(kind):
        raise ValueError(f"{name!r} is not a property of {kind.value}")
    return name


# Keys retired by a merge, with the entity each now names.
RETIRED_KEYS: LiteralString = f"""
MATCH (m:{MERGED_KEY_LABEL})-[:{MERGED_INTO}]->(e:{ENTITY_LABEL}) WHERE m.key IN $keys
RETURN m.key AS key, e.key AS holder
"""
