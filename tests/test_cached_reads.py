"""GraphQL over GET with persisted documents: ETag, Cache-Control, 304, and no stale answer after a write."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from clustergraph.auth.identity import Role
from clustergraph.auth.keys import create_key
from clustergraph.graph.db import Graph
from clustergraph.http.persisted import hash_of
from clustergraph.importer.loader import load
from tests.support import reset_graph

WIDGET_HASH = hash_of("widget-partners")
CLUSTER = "cluster:euroregion-beskidy"


def persisted(sha256: str, variables: dict[str, object]) -> dict[str, str]:
    return {
        "extensions": json.dumps({"persistedQuery": {"version": 1, "sha256Hash": sha256}}),
        "variables": json.dumps(variables),
    }


async def get_widget(http: httpx.AsyncClient, key: str, etag: str | None = None) -> httpx.Response:
    headers = {"If-None-Match": etag} if etag else {}
    return await http.get("/graphql", params=persisted(WIDGET_HASH, {"key": key}), headers=headers)


async def test_a_persisted_query_over_get_answers_with_etag_and_cache_control(
    http: httpx.AsyncClient,
) -> None:
    response = await get_widget(http, CLUSTER)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body
    assert body["data"]["entity"]["name"] == "Klaster Euroregion Beskidy"
    assert response.headers["etag"].startswith('"')
    assert response.headers["cache-control"] == "public, no-cache"


async def test_if_none_match_with_the_current_etag_gets_304_without_a_body(http: httpx.AsyncClient) -> None:
    first = await get_widget(http, CLUSTER)
    again = await get_widget(http, CLUSTER, first.headers["etag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    other = await get_widget(http, "organisation:rda-usti-region", first.headers["etag"])
    assert other.status_code == 200 and other.headers["etag"] != first.headers["etag"]


async def test_a_plain_get_query_is_tagged_too_and_post_is_not(http: httpx.AsyncClient) -> None:
    query = '{ entity(key: "cluster:euroregion-beskidy") { name } }'
    got = await http.get("/graphql", params={"query": query})
    assert got.status_code == 200 and "etag" in got.headers
    posted = await http.post("/graphql", json={"query": query})
    assert posted.status_code == 200 and "etag" not in posted.headers


async def test_an_unknown_hash_is_refused_and_an_answer_with_errors_is_not_cached(
    http: httpx.AsyncClient,
) -> None:
    unknown = await http.get("/graphql", params=persisted("0" * 64, {"key": CLUSTER}))
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    failed = await http.get("/graphql", params=persisted(WIDGET_HASH, {"key": "cluster:nowhere"}))
    assert failed.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "etag" not in failed.headers and failed.headers["cache-control"] == "no-store"


async def test_a_write_to_the_graph_changes_the_etag_and_the_answer(
    http: httpx.AsyncClient, graph: Graph, tmp_path: Path
) -> None:
    before = await get_widget(http, CLUSTER)
    renamed = {
        "type": "node",
        "kind": "Cluster",
        "key": CLUSTER,
        "properties": {"name": "Klaster Euroregion Beskidy (renamed)", "country": "PL"},
        "sources": ["source:s1"],
    }
    (tmp_path / "rename.jsonl").write_text(json.dumps(renamed) + "\n", encoding="utf-8")
    try:
        report = await load(graph, tmp_path)
        assert report.ok and report.updated == 1
        revalidated = await get_widget(http, CLUSTER, before.headers["etag"])
        assert revalidated.status_code == 200
        assert revalidated.headers["etag"] != before.headers["etag"]
        assert revalidated.json()["data"]["entity"]["name"] == "Klaster Euroregion Beskidy (renamed)"
    finally:
        await reset_graph(graph)
    restored = await get_widget(http, CLUSTER, before.headers["etag"])
    # Loading the seed again is a write too: the old tag does not come back.
    assert restored.status_code == 200
    assert restored.json()["data"]["entity"]["name"] == "Klaster Euroregion Beskidy"


async def test_a_mutation_changes_the_etag_and_a_refused_one_does_not(
    http: httpx.AsyncClient, graph: Graph
) -> None:
    rename = """mutation ($key: String!) { updateEntity(key: $key, properties: {description: "Renamed by a test."},
        sources: ["source:s1"]) { key } }"""
    before = await get_widget(http, CLUSTER)
    try:
        refused = await http.post("/graphql", json={"query": rename, "variables": {"key": CLUSTER}})
        assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert (await get_widget(http, CLUSTER, before.headers["etag"])).status_code == 304
        token = (await create_key(graph, "etag-test", Role.EDITOR)).token
        done = await http.post(
            "/graphql",
            json={"query": rename, "variables": {"key": CLUSTER}},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert done.json()["data"]["updateEntity"]["key"] == CLUSTER
        after = await get_widget(http, CLUSTER, before.headers["etag"])
        assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    finally:
        await reset_graph(graph)
