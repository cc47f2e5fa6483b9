"""A friendlier API for analysts (issue 12), over HTTP on the seed graph in a real Neo4j:
typed relationship lists, disputed facts, a readable matrix, unknown keys with suggestions."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

import pytest
from graphql import GraphQLObjectType

from clustergraph.graph.db import Graph
from clustergraph.model import reached_kinds
from clustergraph.paths import PROJECT_ROOT
from clustergraph.schema.build import build_schema
from clustergraph.schema.types import ENTITY_TYPES
from clustergraph.settings import Settings
from clustergraph.translate.specs import Related
from tests.support import reset_graph

# -- typed relationships ------------------------------------------------------------------------

FIELD_TYPES = "{ __schema { types { name fields { name type { name ofType { name ofType { name ofType { name } } } } } } } }"


def _named(type_ref: dict[str, Any]) -> str:
    return type_ref["name"] or _named(type_ref["ofType"])


def _declared_connections() -> dict[tuple[str, str], str]:
    """(type, field) -> the kind its relationships always lead to per the data model, or Entity."""
    documents = build_schema(Settings()).documents
    schema = documents.schema
    expected = {}
    for cls in ENTITY_TYPES:
        graphql_type = schema.get_type(cls.__name__)
        assert isinstance(graphql_type, GraphQLObjectType)
        for name in graphql_type.fields:
            spec = documents.fields.graph(cls.__name__, name)
            if isinstance(spec, Related) and not spec.single:
                kinds = reached_kinds(spec.types, spec.direction, spec.targets)
                expected[(cls.__name__, name)] = next(iter(kinds)).value if len(kinds) == 1 else "Entity"
    return expected


async def test_relationship_lists_that_lead_to_one_kind_have_that_type(gql: Any) -> None:
    body = await gql(FIELD_TYPES)
    types = {
        t["name"]: {f["name"]: _named(f["type"]) for f in t["fields"] or []}
        for t in body["data"]["__schema"]["types"]
    }
    expected = _declared_connections()
    for (type_name, field), kind in expected.items():
        connection = types[type_name][field]
        edge = types[connection]["edges"]
        assert (types[edge]["node"], types[connection]["nodes"]) == (kind, kind), (type_name, field)
    typed = {field: kind for field, kind in expected.items() if kind != "Entity"}
    # The cases, as the model has them: a cluster's representatives are people; a
    # project's partners are not only organisations (CluStrat has a cluster among them).
    assert typed[("Cluster", "representatives")] == "Person"
    assert typed[("Project", "clusters")] == "Cluster"
    assert expected[("Project", "partners")] == "Entity"
    assert len(typed) > 20


async def test_kind_fields_of_related_entities_need_no_inline_fragment(gql: Any) -> None:
    body = await gql(
        """{ cluster: entity(key: "cluster:slaski-klaster-transplantologii-szpiku") { ... on Cluster {
              representatives { edges { node { name title } } nodes { title } }
              projects { nodes { key acronym startDate } }
              engagedBy { edges { project node { acronym countryCode } } } } }
            project: entity(key: "project:clusters-cord") { ... on Project {
              leadPartner { contacts { nodes { name title } } }
              clusters { nodes { key representatives { nodes { title } } } } } }
            clustrat: entity(key: "project:clustrat") { ... on Project { partners(first: 50) { nodes { kind } } } } }"""
    )
    assert "errors" not in body, body
    cluster = body["data"]["cluster"]
    assert cluster["representatives"]["edges"][0]["node"] == {"name": "Kinga Skałacka", "title": "Pani"}
    assert cluster["representatives"]["nodes"] == [{"title": "Pani"}]
    starts = {p["key"]: p["startDate"] for p in cluster["projects"]["nodes"]}
    assert starts["project:clusters-cord"] == "2010-03"
    assert {e["node"]["countryCode"] for e in cluster["engagedBy"]["edges"]} == {"PL"}
    project = body["data"]["project"]
    assert project["leadPartner"]["contacts"]["nodes"] == [{"name": "Dana Krejsová", "title": "Ms"}]
    titles = {
        c["key"]: [r["title"] for r in c["representatives"]["nodes"]] for c in project["clusters"]["nodes"]
    }
    assert titles == {
        "cluster:euroregion-beskidy": ["Pan"],
        "cluster:slaski-klaster-transplantologii-szpiku": ["Pani"],
    }
    # Why a project's partners stay `Entity`: one of CluStrat's is a cluster.
    kinds = {p["kind"] for p in body["data"]["clustrat"]["partners"]["nodes"]}
    assert kinds == {"ORGANISATION", "CLUSTER"}


async def test_a_fragment_on_a_kind_a_typed_list_cannot_hold_is_refused(gql: Any) -> None:
    body = await gql(
        '{ entity(key: "cluster:euroregion-beskidy") { ... on Cluster { representatives { '
        "nodes { ... on Organisation { acronym } } } } } }"
    )
    assert [e["extensions"]["code"] for e in body["errors"]] == ["GRAPHQL_VALIDATION_FAILED"]


# -- disputed facts -------------------------------------------------------------------------------


def _seed_claims() -> list[dict[str, Any]]:
    rows = []
    for path in sorted((PROJECT_ROOT / "seed").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("rel") == "CLAIMS":
                rows.append(row)
    return rows


def _disputed_in_seed(key: str) -> set[tuple[str, str, str]]:
    """(property, value, source key) of the seed's claims on `key` whose property has two values."""
    values: dict[str, set[tuple[str, str]]] = defaultdict(set)
    claims = [r for r in _seed_claims() if r["to"] == key]
    for r in claims:
        values[r["properties"]["property"]].add((r["properties"]["value"], r["properties"].get("unit", "")))
    return {
        (r["properties"]["property"], r["properties"]["value"], r["from"])
        for r in claims
        if len(values[r["properties"]["property"]]) > 1
    }


CLAIMS = """query ($key: String!) { entity(key: $key) {
  disputed: claims(disputed: true) { property value unit note source { key sourceId } }
  all: claims { property value source { key } } } }"""


async def test_disputed_claims_are_the_properties_whose_sources_disagree(gql: Any) -> None:
    body = await gql(CLAIMS, {"key": "project:clusters-cord"})
    assert "errors" not in body, body
    disputed = body["data"]["entity"]["disputed"]
    expected = _disputed_in_seed("project:clusters-cord")
    assert len(expected) >= 4  # the seed has sources disagreeing on Clusters-Cord's figures
    assert {(c["property"], c["value"], c["source"]["key"]) for c in disputed} == expected
    by_property: dict[str, set[str]] = defaultdict(set)
    for claim in disputed:
        assert claim["note"] and claim["source"]["sourceId"]
        by_property[claim["property"]].add(claim["value"])
    assert all(len(values) > 1 for values in by_property.values())
    assert by_property["totalBudget"] == {"1358494.68", "1460334.99"}
    assert [(c["property"], c["source"]["key"]) for c in disputed] == sorted(
        (c["property"], c["source"]["key"]) for c in disputed
    )


async def test_an_entity_without_claims_has_no_disputes(gql: Any) -> None:
    body = await gql(CLAIMS, {"key": "cluster:euroregion-beskidy"})
    assert body["data"]["entity"] == {"disputed": [], "all": []}


@pytest.fixture
async def agreeing_and_disagreeing(graph: Graph) -> AsyncIterator[str]:
    """A synthetic project two synthetic sources make claims about; the seed is restored after."""
    await graph.write(
        """CREATE (p:Entity:Project {key: 'project:test-claims', name: 'Test claims', synthetic: true})
        CREATE (a:Entity:Source {key: 'source:test-a', name: 'Test A', synthetic: true})
        CREATE (b:Entity:Source {key: 'source:test-b', name: 'Test B', synthetic: true})
        CREATE (a)-[:CLAIMS {property: 'partnerCount', value: '7', note: 'a'}]->(p)
        CREATE (b)-[:CLAIMS {property: 'partnerCount', value: '7', note: 'b'}]->(p)
        CREATE (a)-[:CLAIMS {property: 'totalBudget', value: '5', unit: 'EUR', note: 'a'}]->(p)
        CREATE (b)-[:CLAIMS {property: 'totalBudget', value: '5', unit: 'PLN', note: 'b'}]->(p)
        CREATE (a)-[:CLAIMS {property: 'erdfContribution', value: '3', note: 'only a'}]->(p)"""
    )
    try:
        yield "project:test-claims"
    finally:
        await reset_graph(graph)


async def test_claims_that_agree_are_not_disputed_but_another_unit_is(
    gql: Any, agreeing_and_disagreeing: str
) -> None:
    body = await gql(CLAIMS, {"key": agreeing_and_disagreeing})
    entity = body["data"]["entity"]
    assert len(entity["all"]) == 5
    assert [(c["property"], c["unit"], c["source"]["key"]) for c in entity["disputed"]] == [
        ("totalBudget", "EUR", "source:test-a"),
        ("totalBudget", "PLN", "source:test-b"),
    ]


# -- the readable matrix ------------------------------------------------------------------------

MATRIX = """query ($project: String) { cooperationMatrix(project: $project) {
  countries totalLinks cells { from to links fromName toName }
  rows { code name links total } columns { code name total } }
  countries(first: 100) { nodes { code name } } }"""


@pytest.mark.parametrize("project", [None, "project:clusters-cord", "project:clustrat"])
async def test_the_matrix_reads_as_named_rows_and_columns_with_totals(gql: Any, project: str | None) -> None:
    body = await gql(MATRIX, {"project": project})
    assert "errors" not in body, body
    matrix = body["data"]["cooperationMatrix"]
    names = {c["code"]: c["name"] for c in body["data"]["countries"]["nodes"]}
    countries = matrix["countries"]
    assert len(countries) > 1
    assert [r["code"] for r in matrix["rows"]] == [c["code"] for c in matrix["columns"]] == countries
    assert all(r["name"] == names[r["code"]] for r in matrix["rows"] + matrix["columns"])
    table = [r["links"] for r in matrix["rows"]]
    position = {code: i for i, code in enumerate(countries)}
    seen = set()
    for cell in matrix["cells"]:
        assert (cell["fromName"], cell["toName"]) == (names[cell["from"]], names[cell["to"]])
        i, j = position[cell["from"]], position[cell["to"]]
        assert table[i][j] == table[j][i] == cell["links"]
        seen |= {(i, j), (j, i)}
    assert all(table[i][j] == 0 for i in range(len(table)) for j in range(len(table)) if (i, j) not in seen)
    for i, row in enumerate(matrix["rows"]):
        assert row["total"] == sum(row["links"]) == sum(r["links"][i] for r in matrix["rows"])
        assert matrix["columns"][i]["total"] == row["total"]
    within = sum(table[i][i] for i in range(len(table)))
    assert sum(r["total"] for r in matrix["rows"]) == 2 * matrix["totalLinks"] - within


async def test_the_clusters_cord_matrix_names_its_countries(gql: Any) -> None:
    body = await gql(MATRIX, {"project": "project:clusters-cord"})
    rows = {r["code"]: r for r in body["data"]["cooperationMatrix"]["rows"]}
    assert rows["PL"]["name"] == "Poland" and rows["CZ"]["name"] == "Czech Republic"
    assert rows["PL"]["total"] > 0


# -- unknown keys -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field", "suggested"),
    [
        (
            '{ organisations(filter: {project: "Clusters-Cord"}) { totalCount } }',
            "filter.project",
            "project:clusters-cord",
        ),
        (
            '{ clusters(filter: {project: "project:clustrta"}) { totalCount } }',
            "filter.project",
            "project:clustrat",
        ),
        ('{ projects(filter: {sector: "sector:itc"}) { totalCount } }', "filter.sector", "sector:ict"),
        ('{ cooperationMatrix(project: "CluStrat") { totalLinks } }', "project", "project:clustrat"),
        ('{ cooperationMatrix(sector: "ICT") { totalLinks } }', "sector", "sector:ict"),
        (
            '{ neighbourhood(key: "cluster:euroregion-beskid") { truncated } }',
            "key",
            "cluster:euroregion-beskidy",
        ),
        (
            '{ crossBorderPartners(key: "Euroregion Beskidy") { distance } }',
            "key",
            "cluster:euroregion-beskidy",
        ),
    ],
)
async def test_an_unknown_key_is_refused_with_the_closest_keys(
    gql: Any, query: str, field: str, suggested: str
) -> None:
    body = await gql(query)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["field"] == field
    assert error["extensions"]["suggestions"][0] == suggested, error
    assert f"`{field}`" in error["message"] and f"did you mean '{suggested}'" in error["message"]


async def test_a_key_like_no_other_gets_no_suggestion(gql: Any) -> None:
    body = await gql('{ organisations(filter: {project: "qqqqqqqq"}) { totalCount } }')
    [error] = body["errors"]
    assert error["extensions"]["suggestions"] == [] and "did you mean" not in error["message"]
    assert "no project has the key 'qqqqqqqq'" in error["message"]


async def test_a_known_key_in_a_filter_still_filters(gql: Any) -> None:
    body = await gql('{ organisations(filter: {project: "project:clusters-cord"}) { totalCount } }')
    assert "errors" not in body and body["data"]["organisations"]["totalCount"] > 5
