"""The curation writes: one entity or relationship at a time, run inside the mutation's transaction.

Labels and relationship types come from `clustergraph.model`; every value is a parameter.
"""

from __future__ import annotations

from typing import LiteralString

from clustergraph.cypher.lookup import resolve_entity
from clustergraph.model import ENTITY_LABEL, KEY_VALUED_REL_PROPERTIES, REL_TYPES, Kind

ENTITY_STATE: LiteralString = f"""
{resolve_entity("n", "$key")}
RETURN n.key AS key, [label IN labels(n) WHERE label <> '{ENTITY_LABEL}'][0] AS kind,
       properties(n) AS properties
"""

# Takes the write lock of each entity before anything of it is read: writing a property
# locks the node until the transaction ends, and removing it again leaves no trace.
# Keys come sorted, so that two writes that lock the same entities take them in one order.
LOCK_ENTITIES: LiteralString = f"""
UNWIND $keys AS lockKey
MATCH (n:{ENTITY_LABEL} {{key: lockKey}})
SET n.`_lock` = true
REMOVE n.`_lock`
"""

SOURCE_KEYS: LiteralString = f"MATCH (s:{Kind.SOURCE.value}) WHERE s.key IN $keys RETURN s.key AS key"

# Every relationship of some entities, provenance edges aside (they follow `sources`).
RELATIONSHIPS_OF: LiteralString = f"""
MATCH (n:{ENTITY_LABEL})-[r]-(:{ENTITY_LABEL}) WHERE n.key IN $keys AND type(r) <> 'SOURCED_FROM'
WITH DISTINCT r
RETURN type(r) AS type, startNode(r).key AS start, endNode(r).key AS end, properties(r) AS properties
ORDER BY type, start, end
"""


# Provenance edges follow the node's `sources` property.
_SYNC_SOURCES = f"""
WITH n
CALL (n) {{
  OPTIONAL MATCH (n)-[stale:SOURCED_FROM]->(s:{Kind.SOURCE.value}) WHERE NOT s.key IN n.sources
  DELETE stale
}}
CALL (n) {{
  UNWIND n.sources AS sourceKey
  MATCH (s:{Kind.SOURCE.value} {{key: sourceKey}})
  MERGE (n)-[:SOURCED_FROM]->(s)
}}
RETURN n.key AS key
"""


def create_entity(kind: Kind) -> LiteralString:
    return f"CREATE (n:{ENTITY_LABEL}:{Kind(kind).value}) SET n = $props {_SYNC_SOURCES}"


SET_ENTITY: LiteralString = f"MATCH (n:{ENTITY_LABEL} {{key: $key}}) SET n = $props {_SYNC_SOURCES}"

# How many entities and relationships name a source (a cited source must stay).
CITATIONS: LiteralString = f"""
MATCH (s:{Kind.SOURCE.value} {{key: $key}})
RETURN COUNT {{ (s)<-[:SOURCED_FROM]-() }} + COUNT {{ MATCH ()-[r]->() WHERE $key IN r.sources }} AS cited
"""

DELETE_ENTITIES: LiteralString = f"MATCH (n:{ENTITY_LABEL}) WHERE n.key IN $keys DETACH DELETE n"


def _identity(rel_type: str, props: str) -> str:
    fields = ", ".join(f"{p}: {props}.{p}" for p in REL_TYPES[rel_type].identity)
    return f" {{{fields}}}" if fields else ""


def find_relationship(rel_type: str) -> LiteralString:
    """Rows: the properties of the relationship of this type and identity between two keys."""
    rel = REL_TYPES[rel_type]
    return f"""
MATCH (a:{ENTITY_LABEL} {{key: $start}})-[r:{rel.name}{_identity(rel_type, "$identity")}]->(b:{ENTITY_LABEL} {{key: $end}})
RETURN properties(r) AS properties
"""


def delete_relationship(rel_type: str) -> LiteralString:
    rel = REL_TYPES[rel_type]
    return f"""
MATCH (a:{ENTITY_LABEL} {{key: $start}})-[r:{rel.name}{_identity(rel_type, "$identity")}]->(b:{ENTITY_LABEL} {{key: $end}})
DELETE r
"""


def rewrite_key_property(name: str) -> LiteralString:
    """Point a key-valued relationship property (`via`, `project`) from merged keys to the kept one."""
    assert name in KEY_VALUED_REL_PROPERTIES
    return f"MATCH ()-[r]->() WHERE r.{name} IN $merged SET r.{name} = $keep"
