"""The deployment's reverse proxy (deploy/nginx.conf, run by Debian's nginx) in front of two
replicas: what a client of `deploy/docker-compose.yml` meets.

Requests are spread over both replicas, and live subscriptions pass through it: a WebSocket
upgrades, and server-sent events arrive as they happen rather than when the stream ends.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from tests.cluster import Replica, proxy, replicas
from tests.live_clients import sse_events, ws_client

pytestmark = pytest.mark.slow

ORG = "organisation:steinbeis-europa-zentrum"
RENAME = """mutation($name: String!) {
  updateEntity(key: "organisation:steinbeis-europa-zentrum", properties: {name: $name}, sources: ["source:s6"]) { name }
}"""
ENTITY_CHANGED = (
    """subscription { entityChanged(keys: ["organisation:steinbeis-europa-zentrum"]) { sequence after } }"""
)


@pytest.fixture(scope="module")
def pair(location: GraphLocation, graph: Graph) -> Iterator[list[Replica]]:
    # nginx runs on loopback: it is the one sender whose X-Forwarded-For the replicas believe.
    with replicas(
        location, 2, CLUSTERGRAPH_LIVE_POLL_INTERVAL="0.2", CLUSTERGRAPH_FORWARDED_ALLOW_IPS="127.0.0.1"
    ) as started:
        yield started


@pytest.fixture(scope="module")
def front(pair: list[Replica]) -> Iterator[str]:
    with proxy([replica.url for replica in pair]) as url:
        yield url


async def rename(front: str, token: str, name: str) -> None:
    async with httpx.AsyncClient(base_url=front, timeout=60) as http:
        response = await http.post(
            "/graphql",
            json={"query": RENAME, "variables": {"name": name}},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.json()["data"]["updateEntity"]["name"] == name, response.text


def requests_answered(replica: Replica) -> float:
    """The replica's own count of answered GraphQL requests, from its /metrics."""
    text = httpx.get(f"{replica.url}/metrics", timeout=10).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("clustergraph_http_requests_total{") and 'path="/graphql"' in line
    )


async def test_the_proxy_spreads_requests_over_both_replicas(front: str, pair: list[Replica]) -> None:
    before = [requests_answered(replica) for replica in pair]
    async with httpx.AsyncClient(base_url=front, timeout=30) as http:
        for _ in range(20):
            response = await http.post("/graphql", json={"query": "{ __typename }"})
            assert response.json()["data"] == {"__typename": "Query"}
    served = [requests_answered(replica) - seen for replica, seen in zip(pair, before, strict=True)]
    assert sum(served) == 20 and min(served) > 0, served


async def test_a_websocket_subscription_through_the_proxy_gets_the_change(front: str, editor: str) -> None:
    async with ws_client(front) as client:
        await client.subscribe(ENTITY_CHANGED)
        await asyncio.sleep(0.5)
        await rename(front, editor, "Renamed behind the proxy")
        (event,) = await client.events(1)
    assert event["after"]["name"] == "Renamed behind the proxy"


async def test_server_sent_events_pass_the_proxy_as_they_happen(front: str, editor: str) -> None:
    async with sse_events(front, ENTITY_CHANGED) as payloads:
        await asyncio.sleep(0.5)
        await rename(front, editor, "Streamed through the proxy")
        # The stream stays open: the event must come through before it ends.
        payload: dict[str, Any] = await asyncio.wait_for(anext(aiter(payloads)), 20)
    assert payload["data"]["entityChanged"]["after"]["name"] == "Streamed through the proxy"


async def test_the_replicas_count_the_client_the_proxy_saw_not_the_one_it_claims(
    front: str, pair: list[Replica]
) -> None:
    # The client connects to the proxy from 127.0.0.2 and claims another address.
    transport = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
    forged = {"X-Forwarded-For": "203.0.113.7"}
    async with httpx.AsyncClient(base_url=front, transport=transport, timeout=30) as http:
        for _ in range(4):  # round robin: both replicas answer some
            response = await http.post("/graphql", json={"query": "query Who { __typename }"}, headers=forged)
            assert response.status_code == 200, response.text
    logged = [
        json.loads(line[line.index("{") :])  # after uvicorn's level prefix
        for replica in pair
        for line in replica.log_text().splitlines()
        if '"name":"Who"' in line
    ]
    assert len(logged) == 4 and {record["client"] for record in logged} == {"127.0.0.2"}, logged
