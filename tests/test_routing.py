"""Neo4j routing and bookmarks, through the `neo4j://` scheme against the local server:
reads in read transactions, a mutation's bookmark in its answer, and reads that send it back."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from neo4j.exceptions import ClientError

from clustergraph.auth.identity import Role
from clustergraph.auth.keys import create_key
from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from tests.cluster import routing_uri
from tests.support import refusal, reset_graph

CLUSTER = "cluster:euroregion-beskidy"
DESCRIBE = """mutation ($text: String!) { updateEntity(key: "cluster:euroregion-beskidy",
    properties: {description: $text}, sources: ["source:s1"]) { key } }"""
READ = '{ entity(key: "cluster:euroregion-beskidy") { ... on Cluster { description } } }'


@pytest.fixture
async def routed(location: GraphLocation) -> AsyncIterator[Graph]:
    routed = GraphLocation(
        routing_uri(location), location.user, location.password, location.database, location.origin
    )
    graph = Graph.connect(routed)
    yield graph
    await graph.close()


async def test_reads_run_in_read_transactions_and_writes_in_write_transactions(routed: Graph) -> None:
    # A cluster routes read transactions to readers, where a write cannot run: the server
    # refuses one here too, which shows the read really went out as a read.
    with pytest.raises(ClientError):
        await routed.read("CREATE (p:RoutingProbe) RETURN 1 AS ok")
    try:
        assert await routed.write("CREATE (p:RoutingProbe) RETURN 1 AS ok") == [{"ok": 1}]
        assert await routed.read("MATCH (p:RoutingProbe) RETURN count(p) AS n") == [{"n": 1}]
    finally:
        await routed.write("MATCH (p:RoutingProbe) DELETE p")


async def test_a_mutation_answers_its_bookmark_and_a_read_that_sends_it_sees_the_write(
    http: httpx.AsyncClient, graph: Graph
) -> None:
    token = (await create_key(graph, "bookmark-test", Role.EDITOR)).token
    try:
        done = await http.post(
            "/graphql",
            json={"query": DESCRIBE, "variables": {"text": "Written before the read."}},
            headers={"Authorization": f"Bearer {token}"},
        )
        body = done.json()
        assert body["data"]["updateEntity"]["key"] == CLUSTER, body
        bookmark = body["extensions"]["bookmark"]
        assert re.fullmatch(r"[A-Za-z0-9:+/=_.,-]+", bookmark)
        headers = {"Clustergraph-Bookmark": bookmark}
        posted = (await http.post("/graphql", json={"query": READ}, headers=headers)).json()
        assert posted["data"]["entity"]["description"] == "Written before the read."
        assert "bookmark" not in posted.get("extensions", {}), "a read leaves no bookmark"
        got = await http.get("/graphql", params={"query": READ}, headers=headers)
        assert got.status_code == 200 and "etag" in got.headers
        assert got.json()["data"]["entity"]["description"] == "Written before the read."
    finally:
        await reset_graph(graph)


async def test_a_refused_mutation_answers_no_bookmark(http: httpx.AsyncClient) -> None:
    body = (await http.post("/graphql", json={"query": DESCRIBE, "variables": {"text": "x"}})).json()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "bookmark" not in (body.get("extensions") or {})


async def test_a_malformed_bookmark_header_is_refused_before_any_query(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/graphql", json={"query": READ}, headers={"Clustergraph-Bookmark": "not a bookmark!"}
    )
    assert response.status_code == 400
    assert "Clustergraph-Bookmark" in refusal(response, "BAD_BOOKMARK")["message"]


async def test_a_bookmark_this_graph_never_gave_is_a_clear_error(http: httpx.AsyncClient) -> None:
    headers = {"Clustergraph-Bookmark": "FB:abcd"}
    posted = (await http.post("/graphql", json={"query": READ}, headers=headers)).json()
    assert posted["errors"][0]["extensions"]["code"] == "BAD_BOOKMARK"
    assert "Clustergraph-Bookmark" in posted["errors"][0]["message"]
    got = await http.get("/graphql", params={"query": READ}, headers=headers)
    assert got.status_code == 400
    assert refusal(got, "BAD_BOOKMARK")["message"] == posted["errors"][0]["message"]
