"""Cypher of ingestion: the names an article is linked against, its Article node, its proposals."""

from __future__ import annotations

from typing import LiteralString

from clustergraph.model import ARTICLE_LABEL, ENTITY_LABEL, PROPOSAL_LABEL

# Every entity's names, for the linker (sources are not linked to).
NAMES: LiteralString = f"""
MATCH (n:{ENTITY_LABEL})
RETURN n.key AS key, [label IN labels(n) WHERE label <> '{ENTITY_LABEL}'][0] AS kind,
       n.name AS name, coalesce(n.names, []) AS names, coalesce(n.aliases, []) AS aliases
"""

# The relationships among some entities: what the graph holds already is not proposed.
RELATIONSHIPS_AMONG: LiteralString = f"""
MATCH (a:{ENTITY_LABEL})-[r]->(b:{ENTITY_LABEL}) WHERE a.key IN $keys AND b.key IN $keys
RETURN type(r) AS type, a.key AS start, b.key AS end
"""

WRITE_ARTICLE: LiteralString = f"""
MERGE (a:{ARTICLE_LABEL} {{key: $key}})
ON CREATE SET a.ingestedAt = datetime.realtime(), a.ingestedBy = $actor
SET a.text = $text, a.title = $title, a.url = $url, a.language = $language, a.date = $date,
    a.links = $links
"""

# A proposal already made for this article (open, accepted or rejected) is left as it is.
WRITE_PROPOSALS: LiteralString = f"""
UNWIND $proposals AS row
MERGE (p:{PROPOSAL_LABEL} {{article: $article, signature: row.signature}})
ON CREATE SET p += row, p.id = randomUUID(), p.status = 'OPEN', p.createdAt = datetime.realtime(),
              p.createdBy = $actor, p.new = true
ON MATCH SET p.new = false
WITH p, p.new AS created
REMOVE p.new
RETURN count(CASE WHEN created THEN 1 END) AS created, count(CASE WHEN NOT created THEN 1 END) AS known
"""

_FIELDS = """
p.id AS id, p.status AS status, p.kind AS kind, p.article AS article, p.entityKind AS entityKind,
p.name AS name, p.key AS key, p.rel AS rel, p.from AS from, p.to AS to, p.properties AS properties,
p.sentence AS sentence, p.start AS start, p.end AS end, p.text AS text, p.confidence AS confidence,
p.createdBy AS createdBy, toString(p.createdAt) AS createdAt, p.decidedBy AS decidedBy,
toString(p.decidedAt) AS decidedAt, p.reason AS reason, p.result AS result, p.changeId AS changeId,
p.editedBy AS editedBy
"""

LIST: LiteralString = f"""
MATCH (p:{PROPOSAL_LABEL})
WHERE ($status IS NULL OR p.status = $status) AND ($article IS NULL OR p.article = $article)
RETURN {_FIELDS}
ORDER BY p.article, p.start, p.signature
LIMIT $first
"""

ONE: LiteralString = f"MATCH (p:{PROPOSAL_LABEL} {{id: $id}}) RETURN {_FIELDS}"

# The proposal's write lock, taken before it is read (as LOCK_ENTITIES does for entities).
LOCK: LiteralString = f"""
MATCH (p:{PROPOSAL_LABEL} {{id: $id}})
SET p.`_lock` = true
REMOVE p.`_lock`
RETURN p.id AS id
"""

EDIT: LiteralString = f"""
MATCH (p:{PROPOSAL_LABEL} {{id: $id}}) WHERE p.status = 'OPEN'
SET p += $changes, p.editedBy = $actor, p.editedAt = datetime.realtime()
RETURN {_FIELDS}
"""

DECIDE: LiteralString = f"""
MATCH (p:{PROPOSAL_LABEL} {{id: $id}}) WHERE p.status = 'OPEN'
SET p.status = $status, p.decidedBy = $actor, p.decidedAt = datetime.realtime(), p.reason = $reason,
    p.result = $result, p.changeId = $changeId
RETURN {_FIELDS}
"""

ARTICLE: LiteralString = f"""
MATCH (a:{ARTICLE_LABEL} {{key: $key}})
RETURN a.key AS key, a.title AS title, a.url AS url, a.language AS language, a.date AS date,
       a.text AS text, a.links AS links, a.ingestedBy AS ingestedBy, toString(a.ingestedAt) AS ingestedAt
"""
