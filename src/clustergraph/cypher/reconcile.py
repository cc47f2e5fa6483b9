"""The reads behind /reconcile: candidates for a batch of queries, suggestions, previews
and data extension. Every value is a parameter; labels and types come from the model.

Candidates come from the `entity_names` full-text index (folded names, other names and
aliases) and, for a query that is a key, from the key or a merged key; the Python scorer
(`clustergraph.reconcile.score`) ranks them, so each candidate carries what it compares:
its names, its country's names, and the names of the region and city it is located in.
"""

from __future__ import annotations

from typing import LiteralString

from clustergraph.model import ENTITY_LABEL, MERGED_INTO, MERGED_KEY_LABEL, REL_TYPES, Kind

# Labels and relationship types from the model's allow-lists.
_COUNTRY, _REGION, _CITY = Kind.COUNTRY.value, Kind.REGION.value, Kind.CITY.value
_PROJECT, _SOURCE = Kind.PROJECT.value, Kind.SOURCE.value
_LOCATED_IN, _IN_REGION = REL_TYPES["LOCATED_IN"].name, REL_TYPES["IN_REGION"].name
_PARTNER_IN = REL_TYPES["PARTNER_IN"].name

_KIND: LiteralString = f"head([label IN labels(node) WHERE label <> '{ENTITY_LABEL}'])"

# What the scorer and the answers need of one candidate `node`.
_CANDIDATE: LiteralString = f"""{{
  key: node.key, kind: {_KIND}, name: node.name, names: coalesce(node.names, []),
  aliases: coalesce(node.aliases, []), acronym: node.acronym, country: node.country,
  description: node.description, mergedKeys: coalesce(node.mergedKeys, []),
  countryNames: COLLECT {{
    MATCH (c:{ENTITY_LABEL}:{_COUNTRY}) WHERE c.code = node.country
    UNWIND [c.name] + coalesce(c.names, []) + coalesce(c.aliases, []) AS n RETURN n
  }},
  regionNames: COLLECT {{
    MATCH (node)-[:{_LOCATED_IN}]->(:{_CITY})-[:{_IN_REGION}]->(r:{_REGION})
    UNWIND [r.name] + coalesce(r.names, []) + coalesce(r.aliases, []) AS n RETURN n
    UNION
    MATCH (node)-[:{_LOCATED_IN}]->(r:{_REGION})
    UNWIND [r.name] + coalesce(r.names, []) + coalesce(r.aliases, []) AS n RETURN n
  }},
  cityNames: COLLECT {{
    MATCH (node)-[:{_LOCATED_IN}]->(c:{_CITY})
    UNWIND [c.name] + coalesce(c.names, []) + coalesce(c.aliases, []) AS n RETURN n
  }}
}}"""

# $queries: [{id, lucene (or null), key (or null), kinds (or null)}]; $scan: full-text hits
# read per query before the kind filter, $per_query: candidates kept per query.
CANDIDATES: LiteralString = f"""
UNWIND $queries AS q
CALL (q) {{
  CALL (q) {{
    WITH q WHERE q.lucene IS NOT NULL
    CALL db.index.fulltext.queryNodes('entity_names', q.lucene, {{limit: $scan}}) YIELD node, score
    WITH node, score WHERE CASE WHEN q.kinds IS NULL THEN NOT node:{_SOURCE}
      ELSE any(label IN labels(node) WHERE label IN q.kinds) END
    RETURN node ORDER BY score DESC, node.key LIMIT $per_query
    UNION
    WITH q WHERE q.key IS NOT NULL
    MATCH (node:{ENTITY_LABEL} {{key: q.key}})
    RETURN node
    UNION
    WITH q WHERE q.key IS NOT NULL
    MATCH (:{MERGED_KEY_LABEL} {{key: q.key}})-[:{MERGED_INTO}]->(node:{ENTITY_LABEL})
    RETURN node
  }}
  RETURN collect({_CANDIDATE}) AS candidates
}}
RETURN q.id AS id, candidates
"""

# Entity suggest: names that start with $prefix (folded full-text prefix), best first.
SUGGEST_ENTITIES: LiteralString = f"""
CALL db.index.fulltext.queryNodes('entity_names', $lucene, {{limit: $scan}}) YIELD node, score
WITH node, score WHERE NOT node:{_SOURCE} AND ($kinds IS NULL OR any(label IN labels(node) WHERE label IN $kinds))
RETURN node.key AS key, node.name AS name, {_KIND} AS kind, node.country AS country
ORDER BY score DESC, node.key LIMIT $limit
"""

# One entity for its preview, by key or merged key: what a curator needs to tell it apart.
PREVIEW: LiteralString = f"""
CALL () {{
  OPTIONAL MATCH (direct:{ENTITY_LABEL} {{key: $key}})
  OPTIONAL MATCH (:{MERGED_KEY_LABEL} {{key: $key}})-[:{MERGED_INTO}]->(merged:{ENTITY_LABEL})
  RETURN coalesce(direct, merged) AS node LIMIT 1
}}
WITH node WHERE node IS NOT NULL
RETURN {_CANDIDATE} AS entity,
  COLLECT {{ MATCH (node)-[:{_PARTNER_IN}]->(p:{_PROJECT}) RETURN p.name ORDER BY p.name }} AS projects
"""

# Data extension: per key (or merged key) the values of the properties it offers.
EXTEND: LiteralString = f"""
UNWIND $keys AS asked
CALL (asked) {{
  OPTIONAL MATCH (direct:{ENTITY_LABEL} {{key: asked}})
  OPTIONAL MATCH (:{MERGED_KEY_LABEL} {{key: asked}})-[:{MERGED_INTO}]->(merged:{ENTITY_LABEL})
  RETURN coalesce(direct, merged) AS node LIMIT 1
}}
WITH asked, node WHERE node IS NOT NULL
RETURN asked, node.key AS key, node.name AS name, node.acronym AS acronym,
  node.country AS country,
  COLLECT {{ MATCH (c:{ENTITY_LABEL}:{_COUNTRY}) WHERE c.code = node.country RETURN {{key: c.key, name: c.name}} }} AS countries,
  COLLECT {{
    MATCH (node)-[:{_LOCATED_IN}]->(:{_CITY})-[:{_IN_REGION}]->(r:{_REGION}) RETURN {{key: r.key, name: r.name}} AS region
    UNION
    MATCH (node)-[:{_LOCATED_IN}]->(r:{_REGION}) RETURN {{key: r.key, name: r.name}} AS region
  }} AS regions,
  COLLECT {{ MATCH (node)-[:{_LOCATED_IN}]->(c:{_CITY}) RETURN {{key: c.key, name: c.name}} }} AS cities,
  COLLECT {{ MATCH (node)-[:{_PARTNER_IN}]->(p:{_PROJECT}) RETURN {{key: p.key, name: p.name}} ORDER BY p.name }} AS projects,
  // A project's partners, or the partners an actor has had in its projects.
  CASE WHEN node:{_PROJECT} THEN COUNT {{ MATCH (node)<-[:{_PARTNER_IN}]-(partner) RETURN DISTINCT partner }}
    ELSE COUNT {{ MATCH (node)-[:{_PARTNER_IN}]->(:{_PROJECT})<-[:{_PARTNER_IN}]-(other) WHERE other <> node RETURN DISTINCT other }}
  END AS partners
"""
