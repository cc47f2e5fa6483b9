"""How well ingestion does on the seed article, measured against the seed graph.

The seed's entities and relationships that cite the article (source:s1) are what it states. The
article is ingested into the seed graph with those relationships removed (and the article's own
Source with them); its links are compared with the entities, its relationship proposals with the
relationships. The figures go to artifacts/ingest-quality.json and docs/ingest.md.
"""

from __future__ import annotations

import json

from clustergraph.graph.db import Graph
from clustergraph.ingest import document, review, store
from tests.browser import ARTIFACTS
from tests.curation.ingest_support import ARTICLE_SOURCE, SEED_ARTICLE, article_facts

LINK_RECALL_FLOOR = 0.8


def ratio(hits: int, total: int) -> float:
    return round(hits / total, 3) if total else 0.0


async def remove_article_facts(graph: Graph) -> None:
    await graph.write("MATCH ()-[r]->() WHERE $s IN r.sources DELETE r", {"s": ARTICLE_SOURCE})
    await graph.write("MATCH (s:Source {key: $s}) DETACH DELETE s", {"s": ARTICLE_SOURCE})
    await graph.write(
        "MATCH (n:Entity) WHERE $s IN n.sources SET n.sources = [x IN n.sources WHERE x <> $s]",
        {"s": ARTICLE_SOURCE},
    )


async def test_seed_article_links_and_relationships_against_the_seed(restore: Graph) -> None:
    gold_entities, gold_rels = article_facts()
    await remove_article_facts(restore)
    article = document.parse(SEED_ARTICLE.read_bytes(), SEED_ARTICLE.name)
    done = await store.ingest(restore, "test:quality", article)

    stored = await review.article(restore, done.source)
    assert stored is not None
    linked = {link["key"] for link in stored["links"]}
    proposals = await review.list_proposals(restore, "OPEN", done.source, 1000)
    proposed = {(p["rel"], p["from"], p["to"]) for p in proposals if p["kind"] == "relationship"}

    figures = {
        "links": {
            "precision": ratio(len(linked & gold_entities), len(linked)),
            "recall": ratio(len(linked & gold_entities), len(gold_entities)),
            "gold": len(gold_entities),
            "found": len(linked),
            "missed": sorted(gold_entities - linked),
        },
        "relationships": {
            "precision": ratio(len(proposed & gold_rels), len(proposed)),
            "recall": ratio(len(proposed & gold_rels), len(gold_rels)),
            "gold": len(gold_rels),
            "proposed": len(proposed),
            "missed": sorted("|".join(r) for r in gold_rels - proposed),
            "extra": sorted("|".join(r) for r in proposed - gold_rels),
        },
        "entity_proposals": sum(1 for p in proposals if p["kind"] == "entity"),
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "ingest-quality.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(figures, indent=2, ensure_ascii=False))

    # Every link and proposal points at a span of the text that says what it names.
    for link in stored["links"]:
        assert stored["text"][link["start"] : link["end"]] == link["text"]
    for p in proposals:
        assert stored["text"][p["start"] : p["end"]] == p["text"] and p["text"] in p["sentence"]
    assert figures["links"]["recall"] >= LINK_RECALL_FLOOR, figures["links"]


async def test_names_the_graph_lacks_become_entity_proposals_of_the_right_kind(restore: Graph) -> None:
    # The article's cluster and its representative, as if nobody had entered them yet.
    await restore.write(
        "MATCH (n:Entity) WHERE n.key IN ['cluster:euroregion-beskidy', 'person:marcin-filip'] DETACH DELETE n"
    )
    article = document.parse(SEED_ARTICLE.read_bytes(), SEED_ARTICLE.name)
    done = await store.ingest(restore, "test:quality", article)
    proposals = await review.list_proposals(restore, "OPEN", done.source, 1000)
    entities = {(p["entityKind"], p["name"]) for p in proposals if p["kind"] == "entity"}
    assert ("Person", "Marcin Filip") in entities
    assert ("Cluster", "Klaster Euroregion Beskidy") in entities
    # Names the graph has are linked, not proposed again.
    assert not any(name and "Skałack" in name for _, name in entities)
