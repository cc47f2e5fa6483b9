"""Automatic persisted queries (Apollo's protocol) over GET and POST, trusted documents (issue 11, point 5).

The client is Apollo Client with its persisted-query link, on Node (tools/apq), against
the running service: a fresh document's hash is unknown, the link retries with the
document, and the next time the hash alone is answered.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from clustergraph.http.persisted import hash_of
from clustergraph.paths import PROJECT_ROOT
from clustergraph.settings import Settings
from tests.support import refusal, run_node_script, running_service

APQ_DIR = PROJECT_ROOT / "tools" / "apq"
CLUSTER = "cluster:euroregion-beskidy"
ANSWER = {"entity": {"__typename": "Cluster", "key": CLUSTER, "name": "Klaster Euroregion Beskidy"}}


def _apollo(url: str, mode: str) -> dict[str, Any]:
    name = "Fresh" + uuid.uuid4().hex[:12]
    return run_node_script(APQ_DIR, "apq.mjs", f"{url}/graphql", mode, name)


def _shape(requests: list[dict[str, Any]]) -> list[tuple[str, bool, bool, int]]:
    return [(r["method"], r["hasQuery"], r["hasHash"], r["status"]) for r in requests]


def test_apollo_client_over_get(service_url: str) -> None:
    run = _apollo(service_url, "get")
    assert run["first"] == ANSWER and run["second"] == ANSWER
    first, second = run["requests"][: run["afterFirst"]], run["requests"][run["afterFirst"] :]
    # Unknown hash over GET; the link retries with the document (as POST) and is answered.
    assert _shape(first) == [("GET", False, True, 400), ("POST", True, True, 200)]
    # Remembered: the hash alone, over GET, is answered.
    assert _shape(second) == [("GET", False, True, 200)]


def test_apollo_client_retrying_over_get(service_url: str) -> None:
    run = _apollo(service_url, "get-only")
    assert run["first"] == ANSWER and run["second"] == ANSWER
    first = run["requests"][: run["afterFirst"]]
    assert [(m, q, h) for m, q, h, _s in _shape(first)] == [("GET", False, True), ("GET", True, True)]
    assert _shape(first)[-1][-1] == 200


def test_apollo_client_over_post(service_url: str) -> None:
    run = _apollo(service_url, "post")
    assert run["first"] == ANSWER and run["second"] == ANSWER
    first, second = run["requests"][: run["afterFirst"]], run["requests"][run["afterFirst"] :]
    assert _shape(first) == [("POST", False, True, 400), ("POST", True, True, 200)]
    assert _shape(second) == [("POST", False, True, 200)]


def _extensions(sha256: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256}}


async def test_an_unknown_hash_over_post_is_not_found(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"extensions": _extensions("0" * 64)})
    assert response.status_code == 400
    error = refusal(response, "PERSISTED_QUERY_NOT_FOUND")
    assert error["message"] == "PersistedQueryNotFound"


async def test_an_unknown_hash_over_get_is_not_found_in_the_same_shape(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", params={"extensions": json.dumps(_extensions("0" * 64))})
    assert response.status_code == 400
    assert refusal(response, "PERSISTED_QUERY_NOT_FOUND")["message"] == "PersistedQueryNotFound"


async def test_a_document_whose_hash_differs_is_refused(http: httpx.AsyncClient) -> None:
    query = "{ __typename }"
    wrong = hashlib.sha256(b"{ something else }").hexdigest()
    response = await http.post("/graphql", json={"query": query, "extensions": _extensions(wrong)})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
    # Nor was it remembered under that hash.
    again = await http.post("/graphql", json={"extensions": _extensions(wrong)})
    assert again.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


@pytest.fixture(scope="module")
def trusted_url(settings: Settings, location: GraphLocation, graph: Graph) -> Iterator[str]:
    with running_service(settings.model_copy(update={"trusted_documents": True}), location) as url:
        yield url


async def test_trusted_documents_only(trusted_url: str) -> None:
    widget = hash_of("widget-partners")
    async with httpx.AsyncClient(base_url=trusted_url, timeout=60) as client:
        registered = await client.post(
            "/graphql", json={"extensions": _extensions(widget), "variables": {"key": CLUSTER}}
        )
        assert registered.status_code == 200 and "errors" not in registered.json(), registered.text
        other = "{ __typename }"
        for body in (
            {"query": other},
            {"query": other, "extensions": _extensions(hashlib.sha256(other.encode()).hexdigest())},
        ):
            refused = await client.post("/graphql", json=body)
            assert refused.status_code == 400
            assert refused.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
        over_get = await client.get("/graphql", params={"query": other})
        assert over_get.status_code == 400
