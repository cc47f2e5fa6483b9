from clustergraph.graph.db import Graph
from clustergraph.graph.migrations import discover, migrate
from clustergraph.model import SEARCH_INDEXES, UNIQUE_PROPERTIES, Kind


async def test_every_kind_has_a_unique_key_constraint(graph: Graph) -> None:
    rows = await graph.read(
        "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
        "WHERE type = 'UNIQUENESS' RETURN labelsOrTypes[0] AS label, properties AS props"
    )
    constrained = {r["label"] for r in rows if r["props"] == ["key"]}
    assert {k.value for k in Kind} | {"Entity"} <= constrained


async def test_the_import_checks_every_unique_entity_property_the_schema_has(graph: Graph) -> None:
    """`clustergraph import` refuses a row that would break one of these before writing (its
    conflicts); a uniqueness constraint added to an entity label must be declared there too."""
    rows = await graph.read(
        "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
        "WHERE type = 'UNIQUENESS' RETURN name, labelsOrTypes[0] AS label, properties AS props"
    )
    labels = {k.value for k in Kind} | {"Entity"}
    found = {
        (r["label"], tuple(r["props"]), r["name"])
        for r in rows
        if r["label"] in labels and r["props"] != ["key"]
    }
    assert found == {(u.kind.value, (u.name,), u.constraint) for u in UNIQUE_PROPERTIES}


async def test_migrations_are_recorded_and_run_once(graph: Graph) -> None:
    assert await migrate(graph) == []
    recorded = await graph.read("MATCH (m:Migration) RETURN m.id AS id ORDER BY id")
    assert [r["id"] for r in recorded] == [m.id for m in discover()]


async def test_fulltext_index_folds_case_and_diacritics(graph: Graph) -> None:
    rows = await graph.read(
        "SHOW FULLTEXT INDEXES YIELD name, options WHERE name = 'entity_names' "
        "RETURN options.indexConfig['fulltext.analyzer'] AS analyzer"
    )
    assert rows == [{"analyzer": "standard-folding"}]
    for query, expected in [("skalacka", "Kinga Skałacka"), ("SKAŁACKA", "Kinga Skałacka"), ("Usti", "Ústí")]:
        hits = await graph.read(
            "CALL db.index.fulltext.queryNodes('entity_names', $q) YIELD node RETURN node.name AS name",
            {"q": query},
        )
        assert any(expected in h["name"] for h in hits), (query, hits)


async def test_each_search_index_has_its_analyser(graph: Graph) -> None:
    rows = await graph.read(
        "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties, options, state "
        "RETURN name, labelsOrTypes AS labels, properties, state, "
        "options.indexConfig['fulltext.analyzer'] AS analyzer"
    )
    found = {row["name"]: row for row in rows}
    for index in SEARCH_INDEXES:
        assert found[index.name] == {
            "name": index.name,
            "labels": ["Entity"],
            "properties": list(index.properties),
            "state": "ONLINE",
            "analyzer": index.analyzer,
        }
