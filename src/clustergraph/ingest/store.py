"""Writing an ingested article: its Source entity, its Article node and its proposals, in one transaction.

The Source is created as any curated entity is (validated by the import rows, recorded in history);
an article ingested again keeps its Source and its proposals, and gets only proposals it lacked: a
rejected one is not proposed again.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncManagedTransaction

from clustergraph.curation.tx import lock_entities, record_change, run
from clustergraph.curation.validate import node_row
from clustergraph.cypher import proposals as cypher
from clustergraph.cypher import writes
from clustergraph.folding import fold
from clustergraph.graph.db import Graph
from clustergraph.importer.loader import node_params
from clustergraph.ingest.document import Article
from clustergraph.ingest.pipeline import Analysis, analyse
from clustergraph.ingest.proposer import Proposal
from clustergraph.model import Kind


@dataclass(frozen=True)
class Ingested:
    source: str  # the key of the article's Source
    created_source: bool
    links: int
    proposals_created: int
    proposals_known: int  # made by an earlier ingestion of the same article (whatever their status)


def slug(value: str, limit: int = 48) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(value)).strip("-")[:limit].strip("-") or "untitled"


def source_key(article: Article) -> str:
    return f"source:article-{slug(article.title, 40)}-{article.digest[:10]}"


def _source_properties(article: Article) -> dict[str, Any]:
    props: dict[str, Any] = {"name": article.title, "title": article.title, "language": article.language}
    optional = {"url": article.url, "date": article.date, "publisher": article.publisher}
    return {**props, **{k: v for k, v in optional.items() if v}}


def proposal_row(p: Proposal, language: str) -> dict[str, Any]:
    row: dict[str, Any] = {
        "signature": p.signature,
        "kind": p.kind,
        "sentence": p.sentence.text,
        "start": p.start,
        "end": p.end,
        "text": p.text,
        "confidence": round(p.confidence, 3),
        "properties": json.dumps(p.properties, ensure_ascii=False, sort_keys=True),
    }
    if p.kind == "entity" and p.entity_kind is not None and p.name is not None:
        props = {"name": p.name, "names": [f"{language}:{p.name}"]}
        row |= {
            "entityKind": p.entity_kind.value,
            "name": p.name,
            "key": f"{p.entity_kind.value.lower()}:{slug(p.name)}",
            "properties": json.dumps(props, ensure_ascii=False, sort_keys=True),
        }
    else:
        row |= {"rel": p.rel, "from": p.from_key, "to": p.to_key}
    return row


async def read_article(graph: Graph, article: Article) -> Analysis:
    """Link and propose against the graph as it is now (reads only)."""
    names = await graph.read(cypher.NAMES)
    first = analyse(article, names, set())
    rows = await graph.read(cypher.RELATIONSHIPS_AMONG, {"keys": sorted(first.linked)})
    existing = {(r["type"], r["start"], r["end"]) for r in rows}
    return analyse(article, names, existing)


async def ingest(graph: Graph, actor: str, article: Article) -> Ingested:
    analysis = await read_article(graph, article)
    key = source_key(article)
    row = node_row(Kind.SOURCE, key, _source_properties(article), [])
    links = [
        {
            "key": m.key,
            "kind": m.kind.value,
            "name": m.name,
            "start": m.start,
            "end": m.end,
            "text": m.text,
            "score": round(m.score, 3),
            "via": m.via,
        }
        for m in analysis.mentions
    ]
    proposals = [proposal_row(p, article.language) for p in analysis.proposals]

    async def work(tx: AsyncManagedTransaction) -> Ingested:
        # Locked like any curation write of the Source (a second ingest of the article waits).
        created = (await lock_entities(tx, [key]))[key] is None
        if created:
            props = node_params(row)
            await run(tx, writes.create_entity(Kind.SOURCE), props=props)
            after = {k: v for k, v in sorted(props.items()) if k != "searchText"}
            await record_change(tx, actor, "create", [key], None, after, [])
        await run(
            tx,
            cypher.WRITE_ARTICLE,
            key=key,
            actor=actor,
            text=article.text,
            title=article.title,
            url=article.url,
            language=article.language,
            date=article.date,
            links=json.dumps(links, ensure_ascii=False),
        )
        counts = (await run(tx, cypher.WRITE_PROPOSALS, article=key, actor=actor, proposals=proposals))[0]
        return Ingested(key, created, len(links), counts["created"], counts["known"])

    return await graph.transaction(work)
