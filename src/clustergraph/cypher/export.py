"""The reads behind the exports: entities and relationships with all their properties.

Provenance (`SOURCED_FROM`, `CLAIMS`, and so `Source` nodes) stays out, as in
neighbourhoods: every exported node and edge names its sources in `sources`. Node
rows: {key, kind, props}; edge rows: {type, from, to, props}. The whole-graph reads are
streamed, record by record, so their size is bounded by nothing but the graph.
"""

from __future__ import annotations

from typing import LiteralString

from clustergraph.model import ENTITY_LABEL, PROVENANCE_TYPES, REL_TYPES, Kind

_SOURCE = Kind.SOURCE.value
# The types an export follows, as a Cypher relationship pattern (from the data model only).
EXPORT_TYPES: LiteralString = "|".join(t for t in REL_TYPES if t not in PROVENANCE_TYPES)
# The search index's text is the service's own, not the entity's; pairs keep property order.
_PROPS = "[k IN keys(n) WHERE NOT k IN ['key', 'searchText'] | [k, n[k]]]"
_EDGE_PROPS = "[k IN keys(r) | [k, r[k]]]"

ALL_NODES: LiteralString = f"""
MATCH (n:{ENTITY_LABEL}) WHERE NOT n:{_SOURCE}
RETURN n.key AS key, head([label IN labels(n) WHERE label <> '{ENTITY_LABEL}']) AS kind,
       {_PROPS} AS props
ORDER BY key
"""

ALL_EDGES: LiteralString = f"""
MATCH (a:{ENTITY_LABEL})-[r:{EXPORT_TYPES}]->(b:{ENTITY_LABEL})
RETURN type(r) AS type, a.key AS from, b.key AS to, {_EDGE_PROPS} AS props
ORDER BY type, from, to, elementId(r)
"""


def neighbourhood(depth: int) -> LiteralString:
    """Params: key, limit. One row: found, truncated, nodes, edges (nearest nodes first)."""
    bound = {1: "1", 2: "2", 3: "3", 4: "4", 5: "5", 6: "6"}[depth]
    return f"""
OPTIONAL MATCH (c:{ENTITY_LABEL} {{key: $key}}) WHERE NOT c:{_SOURCE}
CALL (c) {{
  WITH c WHERE c IS NOT NULL
  MATCH p = ANY SHORTEST (c)-[:{EXPORT_TYPES}]-{{1,{bound}}}(m:{ENTITY_LABEL})
  WHERE m <> c
  WITH m, length(p) AS distance ORDER BY distance, m.key
  RETURN collect(m) AS reached
}}
WITH c, size(reached) + 1 > $limit AS truncated, ([c] + reached)[..$limit] AS kept
CALL (kept) {{
  UNWIND kept AS n
  RETURN collect({{key: n.key, kind: head([label IN labels(n) WHERE label <> '{ENTITY_LABEL}']),
                   props: {_PROPS}}}) AS nodes
}}
CALL (kept) {{
  UNWIND kept AS a
  MATCH (a)-[r:{EXPORT_TYPES}]->(b) WHERE b IN kept
  WITH r, a, b ORDER BY type(r), a.key, b.key, elementId(r)
  RETURN collect({{type: type(r), from: a.key, to: b.key, props: {_EDGE_PROPS}}}) AS edges
}}
RETURN c IS NOT NULL AS found, truncated, nodes, edges
"""


# A view posted by the explorer: the entities it shows (by key) and the relationships it
# draws (by id), each only if both its ends are in the view. Params: keys, ids.
VIEW_NODES: LiteralString = f"""
MATCH (n:{ENTITY_LABEL}) WHERE n.key IN $keys AND NOT n:{_SOURCE}
RETURN n.key AS key, head([label IN labels(n) WHERE label <> '{ENTITY_LABEL}']) AS kind,
       {_PROPS} AS props
ORDER BY key
"""

VIEW_EDGES: LiteralString = f"""
MATCH (a:{ENTITY_LABEL})-[r:{EXPORT_TYPES}]->(b:{ENTITY_LABEL})
WHERE elementId(r) IN $ids AND a.key IN $keys AND b.key IN $keys
RETURN type(r) AS type, a.key AS from, b.key AS to, {_EDGE_PROPS} AS props
ORDER BY type, from, to, elementId(r)
"""
