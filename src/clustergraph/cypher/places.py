"""The writes of `clustergraph places load`: batched UNWINDs of reference places, idempotent.

A place the load created (its `sources` are the load's one source) takes the package's
values on every load; a place another source states (a seed region, a seed city) keeps
what that source says and only gains the reference properties (model.REFERENCE_PROPERTIES).
Relationships are created once, citing the load's source, and never altered: an
existing one (the seed's, say) is someone else's statement.
"""

from __future__ import annotations

from typing import LiteralString

from clustergraph.model import ENTITY_LABEL, REL_TYPES, Kind

SOURCES: LiteralString = f"""
UNWIND $rows AS row
MERGE (n:{ENTITY_LABEL} {{key: row.key}})
ON CREATE SET n:{Kind.SOURCE.value}
WITH n, row, properties(n) AS before
SET n += row.props
RETURN sum(CASE WHEN before <> properties(n) THEN 1 ELSE 0 END) AS changed
"""


def upsert_places(kind: Kind) -> LiteralString:
    """Rows: {key, own: the properties of a place of the load's own, reference: the
    properties added to any place}; `$source` is the load's Source key."""
    label = Kind(kind).value
    return f"""
UNWIND $rows AS row
MERGE (n:{ENTITY_LABEL} {{key: row.key}})
ON CREATE SET n:{label}, n.sources = [$source]
WITH n, row, n.sources = [$source] AS ours, properties(n) AS before
CALL (n, row, ours) {{
  WITH n, row WHERE ours
  SET n += row.own
  WITH n
  MATCH (s:{Kind.SOURCE.value} {{key: $source}})
  MERGE (n)-[:SOURCED_FROM]->(s)
}}
SET n += row.reference
WITH before, properties(n) AS after
RETURN sum(CASE WHEN before.name IS NULL THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN before.name IS NOT NULL AND before <> after THEN 1 ELSE 0 END) AS updated
"""


def link_places(rel_type: str) -> LiteralString:
    """Rows: {start, end}; a relationship made here cites `$source`."""
    rel = REL_TYPES[rel_type].name
    return f"""
UNWIND $rows AS row
MATCH (a:{ENTITY_LABEL} {{key: row.start}})
MATCH (b:{ENTITY_LABEL} {{key: row.end}})
MERGE (a)-[r:{rel}]->(b)
WITH r, r.sources IS NULL AS created
SET r.sources = coalesce(r.sources, [$source])
RETURN sum(CASE WHEN created THEN 1 ELSE 0 END) AS created
"""


# The cities the graph holds, for matching a source's city to its GeoNames entry.
CITIES: LiteralString = f"""
MATCH (c:{Kind.CITY.value})
RETURN c.key AS key, c.name AS name, coalesce(c.names, []) AS names, coalesce(c.aliases, []) AS aliases,
       c.country AS country, c.geonameId AS geonameId
"""
