"""Cypher of the offline import: is the database empty, and what is set after neo4j-admin."""

from __future__ import annotations

from typing import LiteralString

from clustergraph.model import CHANGE_LABEL, ENTITY_LABEL, Kind, properties_of

# Up to 100 nodes besides what `clustergraph migrate` writes into an empty database (its
# Migration records and a ChangeLog counter at 0), and how many nodes there are in all.
HELD_NODES: LiteralString = """
CALL () {
  MATCH (n) WHERE NOT n:Migration AND NOT (n:ChangeLog AND coalesce(n.last, 0) = 0)
  WITH n LIMIT 100
  RETURN collect(labels(n)) AS held
}
CALL () { MATCH (n) RETURN count(n) AS nodes }
RETURN held, nodes
"""

RECORD_MIGRATION: LiteralString = (
    "MERGE (m:Migration {id: $id}) SET m.checksum = $checksum, m.appliedAt = datetime()"
)

# Rows {seq, value}: the sources of Changes whose list a CSV cell cannot hold (an empty one).
SET_CHANGE_SOURCES: LiteralString = f"""
UNWIND $rows AS row
MATCH (c:{CHANGE_LABEL} {{seq: row.seq}})
SET c.sources = row.value
"""


def _list_properties() -> frozenset[str]:
    return frozenset({"sources"} | {n for k in Kind for n, t in properties_of(k).items() if t is list})


def set_entity_list(name: str) -> LiteralString:
    """Rows {key, value}: set the list property `name` (of the data model) on each entity."""
    if name not in _list_properties():
        raise ValueError(f"{name!r} is not a list property of any kind")
    return f"""
UNWIND $rows AS row
MATCH (n:{ENTITY_LABEL} {{key: row.key}})
SET n.{name} = row.value
"""
