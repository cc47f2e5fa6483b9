"""Reading the whole graph back out in the import format's order: nodes by kind, then relationships."""

from __future__ import annotations

from typing import LiteralString

from clustergraph.model import ENTITY_LABEL

EXPORT_NODES: LiteralString = f"""
MATCH (n:{ENTITY_LABEL})
RETURN [label IN labels(n) WHERE label <> '{ENTITY_LABEL}'][0] AS kind, n.key AS key, properties(n) AS properties
ORDER BY n.key
"""

# Provenance edges are left out: they follow each node's `sources` on import.
EXPORT_RELATIONSHIPS: LiteralString = f"""
MATCH (a:{ENTITY_LABEL})-[r]->(b:{ENTITY_LABEL}) WHERE type(r) <> 'SOURCED_FROM'
RETURN type(r) AS rel, a.key AS start, b.key AS end, properties(r) AS properties
ORDER BY rel, start, end, elementId(r)
"""
