"""The executor's fast path answers exactly as the ordinary executor does (issue 6, point 5).

Every query is sent over HTTP to two services on the seed graph: the shared one (fast path
on, the default) and one with CLUSTERGRAPH_FAST_PATH=false. Their bodies must be equal,
errors included; the log tells whether the fast path really ran.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from clustergraph.db import Graph
from clustergraph.location import GraphLocation
from clustergraph.settings import Settings
from tests.support import running_service

FALLBACK = "completed the ordinary way"


@pytest.fixture(scope="module")
def ordinary_url(settings: Settings, location: GraphLocation, graph: Graph) -> Iterator[str]:
    with running_service(settings.model_copy(update={"fast_path": False}), location) as url:
        yield url


@pytest.fixture
async def ordinary(ordinary_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=ordinary_url, timeout=60) as client:
        yield client


Compare = Any


@pytest.fixture
def same(http: httpx.AsyncClient, ordinary: httpx.AsyncClient, caplog: pytest.LogCaptureFixture) -> Compare:
    """Ask both services; assert equal answers; return the body and whether the fast path fell back."""

    async def ask(query: str, variables: dict[str, Any] | None = None) -> tuple[dict[str, Any], bool]:
        payload = {"query": query, "variables": variables or {}}
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="clustergraph.api.fast_path"):
            fast = await http.post("/graphql", json=payload)
        fell_back = any(FALLBACK in r.getMessage() for r in caplog.records)
        slow = await ordinary.post("/graphql", json=payload)
        assert fast.status_code == slow.status_code
        assert fast.json() == slow.json()
        # Same key order too: clients may show it.
        assert fast.text == slow.text
        return fast.json(), fell_back

    return ask


async def _fast(same: Compare, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body, fell_back = await same(query, variables)
    assert "errors" not in body, body
    assert not fell_back, "the fast path fell back to the ordinary executor"
    return body["data"]  # type: ignore[no-any-return]


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
    body, _ = await same('{ entity(key: "cluster:nope") { key } node(id: "bad") { id } }')
    assert body["data"]["entity"] is None and body["errors"]
    body, _ = await same('{ neighbourhood(key: "cluster:nope") { nodes { key } } }')
    assert body["data"] is None and body["errors"]


async def test_non_null_errors_fall_back_to_the_ordinary_executor(same: Compare, graph: Graph) -> None:
    # A name is non-null: an entity without one must give the ordinary error and path.
    key = "organisation:rda-usti-region"
    [row] = await graph.read("MATCH (n:Organisation {key: $key}) RETURN n.name AS name", {"key": key})
    await graph.write("MATCH (n:Organisation {key: $key}) REMOVE n.name", {"key": key})
    try:
        # One root field each: which of two root fields fails first is a matter of timing.
        entity, entity_fell_back = await same('{ entity(key: "organisation:rda-usti-region") { key name } }')
        around, around_fell_back = await same(
            '{ neighbourhood(key: "organisation:rda-usti-region") { nodes { key name } edges { type } } }'
        )
    finally:
        await graph.write(
            "MATCH (n:Organisation {key: $key}) SET n.name = $name", {"key": key, "name": row["name"]}
        )
    assert entity_fell_back and around_fell_back
    assert entity["data"] == {"entity": None}
    assert [error["path"] for error in entity["errors"]] == [["entity", "name"]]
    # neighbourhood is non-null: the error in one of its nodes nulls the whole answer.
    assert around["data"] is None
    assert [error["path"] for error in around["errors"]] == [["neighbourhood", "nodes", 0, "name"]]


def test_an_extension_that_watches_every_field_turns_the_fast_path_off() -> None:
    from graphql.execution.middleware import MiddlewareManager
    from strawberry.extensions import SchemaExtension

    from clustergraph.api.fast_path import FastPathExecutionContext
    from clustergraph.api.permissions import ReadAccess

    class EveryField(SchemaExtension):
        def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
            return _next(root, info, *args, **kwargs)

    executor = FastPathExecutionContext.__new__(FastPathExecutionContext)
    executor.middleware_manager = MiddlewareManager(ReadAccess())
    assert executor.hooks_allow_it()
    executor.middleware_manager = MiddlewareManager(ReadAccess(), EveryField())
    assert not executor.hooks_allow_it()
