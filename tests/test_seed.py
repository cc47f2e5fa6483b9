"""The seed graph holds the facts of ../shared/reference/FACTS.md, each with its source."""

from clustergraph.graph.db import Graph
from clustergraph.importer.loader import load
from clustergraph.paths import SEED_DIR

COUNTS = "MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS relationships"


async def test_loading_the_seed_twice_leaves_the_same_counts(graph: Graph) -> None:
    before = await graph.read(COUNTS)
    report = await load(graph, SEED_DIR)
    assert report.ok and report.created == 0 and report.updated == 0
    assert report.unchanged == report.nodes + report.relationships > 0
    assert await graph.read(COUNTS) == before


async def test_clusters_cord_has_eleven_partners_each_linked_to_its_country(graph: Graph) -> None:
    rows = await graph.read(
        """
        MATCH (o:Organisation)-[p:PARTNER_IN]->(:Project {key: 'project:clusters-cord'})
        OPTIONAL MATCH (o)-[:LOCATED_IN]->(:Region)-[:IN_COUNTRY]->(c:Country)
        RETURN o.name AS name, o.country AS country, c.code AS linked, p.role AS role
        """
    )
    assert len(rows) == 11
    assert all(r["linked"] == r["country"] and r["country"] for r in rows), rows
    assert [r["country"] for r in rows if r["role"] == "lead"] == ["CZ"]
    assert sorted(r["country"] for r in rows) == sorted(
        ["CZ", "DE", "SK", "SI", "HU", "PL", "AT", "IT", "PL", "CZ", "SI"]
    )


async def test_polish_clusters_and_their_representatives(graph: Graph) -> None:
    rows = await graph.read(
        """
        MATCH (p:Person)-[:REPRESENTS]->(c:Cluster)<-[:ENGAGES]-(o:Organisation)
        RETURN p.name AS person, c.name AS cluster, c.country AS country, o.country AS engagedBy
        ORDER BY person
        """
    )
    assert [(r["person"], r["cluster"]) for r in rows] == [
        ("Kinga Skałacka", "Śląski Klaster Transplantologii Szpiku"),
        ("Marcin Filip", "Klaster Euroregion Beskidy"),
    ]
    assert {r["country"] for r in rows} == {"PL"} == {r["engagedBy"] for r in rows}


async def test_disagreeing_sources_keep_both_values(graph: Graph) -> None:
    rows = await graph.read(
        """
        MATCH (s:Source)-[c:CLAIMS]->(:Project {key: 'project:clusters-cord'})
        RETURN c.property AS property, s.sourceId AS source, c.value AS value
        """
    )
    claims = {(r["property"], r["source"]): r["value"] for r in rows}
    assert claims[("totalBudget", "S2")] == "1358494.68"
    assert claims[("totalBudget", "S3")] == "1460334.99"
    partner_counts = {v for (p, _), v in claims.items() if p == "partnerCount"}
    assert partner_counts == {"11", "10"}


async def test_every_fact_carries_its_provenance(graph: Graph) -> None:
    unsourced_nodes = await graph.read(
        "MATCH (n:Entity) WHERE NOT n:Source AND NOT (n)-[:SOURCED_FROM]->(:Source) RETURN n.key AS key"
    )
    assert unsourced_nodes == []
    unsourced_rels = await graph.read(
        "MATCH (:Entity)-[r]->(:Entity) WHERE type(r) <> 'SOURCED_FROM' AND size(coalesce(r.sources, [])) = 0 RETURN type(r) AS t LIMIT 5"
    )
    assert unsourced_rels == []
    dangling = await graph.read(
        "MATCH ()-[r]->() UNWIND r.sources AS s "
        "WITH DISTINCT s WHERE NOT EXISTS { MATCH (:Source {key: s}) } RETURN s"
    )
    assert dangling == []


async def test_misspelt_project_name_is_an_alias(graph: Graph) -> None:
    rows = await graph.read("MATCH (p:Project {key: 'project:clusters-cord'}) RETURN p.aliases AS aliases")
    assert "Clsuters-Cord" in rows[0]["aliases"]


async def test_events_meta_clusters_and_sister_project(graph: Graph) -> None:
    events = await graph.read(
        "MATCH (e:Event)-[:EVENT_OF]->(p:Project) RETURN p.key AS project, e.startDate AS date ORDER BY date"
    )
    assert [(e["project"], e["date"]) for e in events] == [
        ("project:clusters-cord", "2013-02-05"),
        ("project:clusters-cord", "2013-02-06"),
        ("project:clustrat", "2013-04-15"),
        ("project:clustrat", "2014-02-17"),
    ]
    metas = await graph.read(
        "MATCH (m:MetaCluster)-[:IN_SECTOR]->(s:Sector) RETURN m.status AS status, s.name AS sector"
    )
    formed = sorted(m["sector"] for m in metas if m["status"] == "formed")
    proposed = sorted(m["sector"] for m in metas if m["status"] == "proposed")
    assert len(formed) == 3 and len(proposed) == 2, metas
    clustrat = await graph.read(
        "MATCH (o)-[:PARTNER_IN]->(:Project {key: 'project:clustrat'}) RETURN count(o) AS partners"
    )
    assert clustrat == [{"partners": 18}]
