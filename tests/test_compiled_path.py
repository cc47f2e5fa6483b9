"""The compiled read path answers exactly as graphql-core's executor does (issue 11, point 3).

Every query is sent over HTTP to two services on the seed graph: the shared one (compiled
reads on, the default) and one with CLUSTERGRAPH_COMPILED_READS=false. Their bodies must
be byte-identical, errors included; the log tells whether the compiled path answered.
The queries: hand-written ones for each feature of a selection, every example query,
every benchmark request, and a generated corpus of selections over the schema.
"""

from __future__ import annotations

import logging
import random
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from bench.requests import Request as BenchRequest
from bench.requests import requests as bench_requests
from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_leaf_type,
)

from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from clustergraph.paths import PROJECT_ROOT
from clustergraph.schema.build import build_schema
from clustergraph.settings import Settings
from tests.support import running_service

DECLINED = "compiled path declined"
EXAMPLES = sorted((PROJECT_ROOT / "src/clustergraph/http/examples").glob("*.graphql"))
SEED_KEYS = {
    "cluster": "cluster:euroregion-beskidy",
    "search": "agency",
    "organisation": "organisation:rda-bielsko-biala",
    "far": "organisation:rda-usti-region",
    "sector": "sector:ict",
}


@pytest.fixture(scope="module")
def ordinary_url(settings: Settings, location: GraphLocation, graph: Graph) -> Iterator[str]:
    with running_service(settings.model_copy(update={"compiled_reads": False}), location) as url:
        yield url


@pytest.fixture
async def ordinary(ordinary_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=ordinary_url, timeout=60) as client:
        yield client


Compare = Any


@pytest.fixture
def same(http: httpx.AsyncClient, ordinary: httpx.AsyncClient, caplog: pytest.LogCaptureFixture) -> Compare:
    """Ask both services; assert byte-identical answers; return the body and whether the compiled path declined."""

    async def ask(query: str, variables: dict[str, Any] | None = None) -> tuple[dict[str, Any], bool]:
        payload = {"query": query, "variables": variables or {}}
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="clustergraph.execution.run"):
            compiled = await http.post("/graphql", json=payload)
        declined = any(DECLINED in r.getMessage() for r in caplog.records)
        ordinary_answer = await ordinary.post("/graphql", json=payload)
        assert compiled.status_code == ordinary_answer.status_code
        assert compiled.content == ordinary_answer.content, query
        return compiled.json(), declined

    return ask


async def _fast(same: Compare, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body, declined = await same(query, variables)
    assert "errors" not in body, body
    assert not declined, "the compiled path declined the query"
    return body["data"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
async def test_every_example_query(same: Compare, path: Path) -> None:
    await _fast(same, path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("request_", bench_requests(SEED_KEYS), ids=lambda r: r.name)
async def test_every_benchmark_request(same: Compare, request_: BenchRequest) -> None:
    await _fast(same, request_.service, request_.variables)


async def test_scalars_aliases_and_derived_fields(same: Compare) -> None:
    data = await _fast(
        same,
        """{ entity(key: "cluster:euroregion-beskidy") {
            id key title: name name names { language value lang: language } aliases kind
            countryCode description url synthetic mergedKeys
            country { code name kind id } again: key
          } }""",
    )
    assert data["entity"]["kind"] == "CLUSTER" and data["entity"]["title"] == data["entity"]["name"]


async def test_named_and_inline_fragments_with_type_conditions(same: Compare) -> None:
    data = await _fast(
        same,
        """query { project: entity(key: "project:clustrat") { ...Basic ... on Project { acronym startDate
              durationMonths leadPartner { ...Basic acronym } programme { key }
              partners(first: 4) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
                edges { cursor type direction role partnerNumber node { ...Basic ... on Organisation { city { key } } } }
                nodes { key } } }
            ... on Cluster { members { totalCount } } }
          org: entity(key: "organisation:rda-usti-region") { ...Basic ... on Project { acronym } } }
        fragment Basic on Entity { __typename key kind ... on Organisation { acronym } }""",
    )
    assert data["project"]["__typename"] == "Project" and "members" not in data["project"]
    assert data["project"]["partners"]["edges"][0]["direction"] == "IN"


async def test_typename_everywhere(same: Compare) -> None:
    await _fast(
        same,
        """{ __typename neighbourhood(key: "cluster:euroregion-beskidy") { __typename
              center { __typename key } nodes { __typename id } edges { __typename type } } }""",
    )


async def test_aliases_named_like_internal_values(same: Compare) -> None:
    # Relay's `__isEntity: __typename`, and aliases spelled like the keys answers carry
    # internally: both paths answer them as the fields they alias.
    data = await _fast(
        same,
        """{ node(id: "Q2x1c3RlcjpjbHVzdGVyOmV1cm9yZWdpb24tYmVza2lkeQ==") { __isEntity: __typename
              ... on Entity { __kind: key __key: name __total: kind }
              ... on Cluster { relationships(first: 1) { __edges: edges { __cursor: cursor __type: type } } } } }""",
    )
    node = data["node"]
    assert node["__isEntity"] == "Cluster" and node["__kind"] == "cluster:euroregion-beskidy"
    assert node["__total"] == "CLUSTER" and node["relationships"]["__edges"][0]["__cursor"]


@pytest.mark.parametrize("flag", [True, False])
async def test_skip_and_include(same: Compare, flag: bool) -> None:
    data = await _fast(
        same,
        """query ($flag: Boolean!) { entity(key: "cluster:euroregion-beskidy") {
              key name @skip(if: $flag) kind @include(if: $flag)
              ... on Cluster @include(if: $flag) { sectors { totalCount } }
              ...More @skip(if: $flag) } }
        fragment More on Cluster { members(first: 2) { edges { node { key } } } }""",
        {"flag": flag},
    )
    assert ("name" in data["entity"]) is not flag and ("sectors" in data["entity"]) is flag


async def test_neighbourhood_lists(same: Compare) -> None:
    data = await _fast(
        same,
        """{ a: neighbourhood(key: "organisation:rda-usti-region", depth: 2, limit: 50) {
              truncated center { key } nodes { key name kind countryCode }
              edges { id type from to role partnerNumber via project since sources { sourceId } } }
            b: neighbourhood(key: "project:clusters-cord", relationshipTypes: [PARTNER_IN]) {
              nodes { key } edges { type from to } } }""",
    )
    assert len(data["a"]["nodes"]) > 5 and data["a"]["edges"]


async def test_lists_search_and_relay_node(same: Compare) -> None:
    data = await _fast(
        same,
        """{ clusters(first: 2) { totalCount pageInfo { hasNextPage endCursor }
              edges { cursor node { key sectors { nodes { key } } country { code } } } nodes { id } }
            search(query: "beskidy") { totalCount edges { cursor score node { key kind } } }
            people { nodes { key ... on Person { title represents { edges { type direction node { key } } } } } } }""",
    )
    node_id = data["clusters"]["nodes"][0]["id"]
    await _fast(
        same,
        """query ($after: String) { organisations(first: 3, after: $after, filter: {countries: ["PL"]}) {
              pageInfo { hasPreviousPage startCursor } edges { cursor node { name } } } }""",
        {"after": data["clusters"]["pageInfo"]["endCursor"]},
    )
    await _fast(
        same, "query ($id: ID!) { node(id: $id) { id __typename ... on Cluster { key } } }", {"id": node_id}
    )


async def test_paths_partners_and_matrix(same: Compare) -> None:
    data = await _fast(
        same,
        """{ cooperationPaths(from: "cluster:euroregion-beskidy", to: "organisation:rda-usti-region") {
              length countries crossesBorder borderCrossings nodes { key countryCode } edges { type from to } }
            crossBorderPartners(key: "cluster:euroregion-beskidy") { countryCode distance partner { key }
              path { countries crossesBorder nodes { key } } }
            cooperationMatrix { countries totalLinks cells { from to links } } }""",
    )
    assert data["cooperationPaths"][0]["countries"] == ["PL", "CZ"]


async def test_claims_sources_and_localized_names(same: Compare) -> None:
    await _fast(
        same,
        """{ entity(key: "organisation:rda-bielsko-biala") { names { value } sources { key sourceId title }
              claims { property value unit note source { sourceId } }
              relationships(first: 5, direction: OUT) { totalCount edges { type direction sources { key } } } } }""",
    )


async def test_errors_of_the_root_field_are_the_same(same: Compare) -> None:
    body, declined = await same('{ entity(key: "cluster:nope") { key } node(id: "bad") { id } }')
    assert body["data"]["entity"] is None and body["errors"]
    body, declined = await same('{ neighbourhood(key: "cluster:nope") { nodes { key } } }')
    assert body["data"] is None and body["errors"]
    # Neo4j answered that the key is unknown: the compiled path says so itself.
    assert not declined


async def test_non_null_errors_are_answered_by_the_compiled_path_as_graphql_core_would(
    same: Compare, graph: Graph
) -> None:
    # A name is non-null: an entity without one must give the ordinary error, path and null
    # propagation, from the compiled path itself (no second read by graphql-core).
    key = "organisation:rda-usti-region"
    [row] = await graph.read("MATCH (n:Organisation {key: $key}) RETURN n.name AS name", {"key": key})
    await graph.write("MATCH (n:Organisation {key: $key}) REMOVE n.name", {"key": key})
    try:
        # One root field each: which of two root fields fails first is a matter of timing.
        entity, entity_declined = await same('{ entity(key: "organisation:rda-usti-region") { key name } }')
        around, around_declined = await same(
            '{ neighbourhood(key: "organisation:rda-usti-region") { nodes { key name } edges { type } } }'
        )
    finally:
        await graph.write(
            "MATCH (n:Organisation {key: $key}) SET n.name = $name", {"key": key, "name": row["name"]}
        )
    assert not entity_declined and not around_declined
    assert entity["data"] == {"entity": None}
    assert [error["path"] for error in entity["errors"]] == [["entity", "name"]]
    # neighbourhood is non-null: the error in one of its nodes nulls the whole answer.
    assert around["data"] is None
    assert [error["path"] for error in around["errors"]] == [["neighbourhood", "nodes", 0, "name"]]


async def test_what_the_compiler_does_not_take_goes_to_graphql_core(same: Compare) -> None:
    body, declined = await same(
        '{ history(key: "cluster:euroregion-beskidy", first: 3) { nodes { id at actor action key keys before after sources } } }'
    )
    # graphql-core runs the field's permission class: history needs a credential.
    assert declined and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    body, declined = await same("{ __schema { queryType { name } } }")
    assert declined and body["data"]["__schema"]["queryType"]["name"] == "Query"


# -- a generated corpus of selections ---------------------------------------------------------

ROOTS = {
    "entity": '(key: "cluster:euroregion-beskidy")',
    "clusters": "(first: 3)",
    "organisations": '(first: 3, filter: {countries: ["PL", "CZ"]})',
    "search": '(query: "klaster", first: 3)',
    "neighbourhood": '(key: "project:clusters-cord", limit: 8)',
    "cooperationPaths": '(from: "cluster:euroregion-beskidy", to: "organisation:rda-usti-region", limit: 2)',
    "crossBorderPartners": '(key: "cluster:euroregion-beskidy", limit: 3)',
}


class _Selections:
    """Random, valid selections over the schema: fields, aliases, fragments, @skip/@include."""

    def __init__(self, schema: GraphQLSchema, seed: int) -> None:
        self.schema = schema
        self.random = random.Random(seed)

    def field(self, name: str, field: GraphQLField, depth: int) -> str | None:
        named = get_named_type(field.type)
        alias = f"a{self.random.randrange(100)}: " if self.random.random() < 0.15 else ""
        arguments = ""
        if "first" in field.args:
            arguments = f"(first: {self.random.randint(1, 3)})"
        elif any(isinstance(a.type, GraphQLNonNull) for a in field.args.values()):
            return None
        directive = ""
        if self.random.random() < 0.1:
            flag = self.random.choice(["true", "false"])
            directive = f" @{self.random.choice(['skip', 'include'])}(if: {flag})"
        if is_leaf_type(named):
            return f"{alias}{name}{arguments}{directive}"
        if depth <= 0:
            return None
        assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType)
        return f"{alias}{name}{arguments}{directive} {self.selection(named, depth - 1)}"

    def selection(self, named: GraphQLObjectType | GraphQLInterfaceType, depth: int) -> str:
        names = sorted(named.fields)
        picked = self.random.sample(names, k=min(len(names), self.random.randint(1, 5)))
        parts = [p for n in picked if (p := self.field(n, named.fields[n], depth))]
        if self.random.random() < 0.3:
            parts.append("__typename")
        if isinstance(named, GraphQLInterfaceType) and depth > 0 and self.random.random() < 0.6:
            runtime = self.random.choice(self.schema.get_possible_types(named))
            parts.append(f"... on {runtime.name} {self.selection(runtime, depth - 1)}")
        return "{ " + " ".join(parts or ["__typename"]) + " }"

    def query(self) -> str:
        root = self.random.choice(sorted(ROOTS))
        assert self.schema.query_type is not None
        named = get_named_type(self.schema.query_type.fields[root].type)
        assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType)
        return f"{{ {root}{ROOTS[root]} {self.selection(named, 3)} }}"


def corpus(size: int, seed: int = 11) -> list[str]:
    generator = _Selections(build_schema()._schema, seed)
    return [generator.query() for _ in range(size)]


async def test_a_generated_corpus_of_selections(same: Compare) -> None:
    answered = 0
    for query in corpus(150):
        _body, declined = await same(query)
        answered += 0 if declined else 1
    # Only queries over the cost bound or with an error in the data may go to graphql-core.
    assert answered >= 100, answered


async def test_typed_relationships_disputed_claims_and_the_readable_matrix(same: Compare) -> None:
    data = await _fast(
        same,
        """{ entity(key: "project:clusters-cord") { __typename
              disputed: claims(disputed: true) { property value note source { sourceId } }
              every: claims(disputed: false) { property }
              ... on Project { contacts { __typename nodes { __typename title } }
                clusters { edges { __typename direction node { __typename key representatives {
                  nodes { title ... on Person { name } } } } } } } }
            cooperationMatrix(project: "project:clusters-cord") { countries totalLinks
              cells { from to fromName toName links } rows { code name links total } columns { code name total } } }""",
    )
    assert data["entity"]["clusters"]["edges"][0]["node"]["__typename"] == "Cluster"
    assert len(data["entity"]["disputed"]) <= len(data["entity"]["every"])
    assert len(data["cooperationMatrix"]["rows"]) == len(data["cooperationMatrix"]["countries"])
