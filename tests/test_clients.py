"""Real clients, unmodified and with their defaults, against the running service (issue 25, point 7).

urql 6's default client (its Accept lists the JSON types, then `text/event-stream` and
`multipart/mixed`), its SSE subscriptions (`fetchSubscriptions`), and Relay refetching a
`@refetchable` fragment on the `Entity` interface by `node(id:)`, which makes the
compiler ask `__isEntity: __typename`. They run on Node from tools/clients.
"""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from clustergraph.paths import PROJECT_ROOT
from tests.support import run_node_script

CLIENTS_DIR = PROJECT_ROOT / "tools" / "clients"
CLUSTER = "cluster:euroregion-beskidy"


def _run(url: str, client: str, key: str = CLUSTER) -> dict[str, Any]:
    return run_node_script(CLIENTS_DIR, "clients.mjs", f"{url}/graphql", client, key)


def test_urql_default_client_gets_json_for_a_query(service_url: str) -> None:
    run = _run(service_url, "urql-query")
    assert run["error"] is None, run
    assert run["data"]["entity"] == {
        "__typename": "Cluster",
        "key": CLUSTER,
        "name": "Klaster Euroregion Beskidy",
        "kind": "CLUSTER",
    }
    (request,) = run["requests"]
    # urql names the stream too, after the JSON types: the first of those answers.
    assert "text/event-stream" in request["accept"]
    assert request["contentType"].startswith("application/graphql-response+json")


def test_urql_subscription_over_sse(service_url: str) -> None:
    run = _run(service_url, "urql-subscription")
    assert run["error"] is None, run
    event = run["data"]["entityChanged"]
    assert event["key"] == CLUSTER and event["sequence"] >= 1
    (request,) = run["requests"]
    assert request["accept"].startswith("text/event-stream")
    assert request["contentType"].startswith("text/event-stream")


def test_relay_refetches_an_entity_fragment_by_node_id(service_url: str) -> None:
    run = _run(service_url, "relay-refetch")
    assert run["error"] is None, run
    data = run["data"]
    assert data["missing"] is False
    assert data["fragment"]["key"] == CLUSTER and data["fragment"]["kind"] == "CLUSTER"
    assert data["fragment"]["name"] == "Klaster Euroregion Beskidy" and data["fragment"]["id"] == data["id"]
    assert [r["status"] for r in run["requests"]] == [200, 200]


def test_the_relay_artifacts_match_the_schema() -> None:
    """The checked-in compiled documents are what relay-compiler makes of schema/ today."""
    compiler = CLIENTS_DIR / "node_modules" / ".bin" / "relay-compiler"
    if not compiler.exists():
        pytest.fail("run scripts/setup (npm ci in tools/clients)")
    done = subprocess.run(
        [str(compiler), "--validate"],
        cwd=CLIENTS_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
