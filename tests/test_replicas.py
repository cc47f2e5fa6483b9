"""Two service processes on one Neo4j, sharing a Redis: the behaviour of one service.

A rate limit holds across both together; a write through one, with its bookmark, reads
back through the other; both give the same ETag before and after a write; and stopping
one with SIGTERM under load leaves the other answering, with no acknowledged request failed.
Then one process with two workers: /metrics counts every worker's requests.
"""

from __future__ import annotations

import asyncio
import re
import signal
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from tests.cluster import Replica, redis_server, replicas

pytestmark = pytest.mark.slow

TYPENAME = {"query": "{ __typename }"}
PER_KEY = 5
SHUTDOWN_BOUND = 5
READ = '{ entity(key: "cluster:euroregion-beskidy") { ... on Cluster { description } } }'
DESCRIBE = """mutation ($text: String!) { updateEntity(key: "cluster:euroregion-beskidy",
    properties: {description: $text}, sources: ["source:s1"]) { key } }"""


@pytest.fixture(scope="module")
def pair(location: GraphLocation, graph: Graph) -> Iterator[list[Replica]]:
    with (
        redis_server() as redis,
        replicas(
            location,
            2,
            CLUSTERGRAPH_RATE_LIMIT_STORAGE=redis,
            CLUSTERGRAPH_RATE_LIMIT_PER_KEY=f"{PER_KEY}/minute",
            CLUSTERGRAPH_RATE_LIMIT_PER_ADDRESS="100000/minute",
            CLUSTERGRAPH_SHUTDOWN_TIMEOUT=str(SHUTDOWN_BOUND),
        ) as started,
    ):
        yield started


async def test_a_rate_limit_holds_across_both_replicas_together(pair: list[Replica]) -> None:
    headers = {"Authorization": "Bearer shared-budget"}
    async with httpx.AsyncClient() as client:
        statuses = [
            (await client.post(f"{pair[i % 2].url}/graphql", json=TYPENAME, headers=headers)).status_code
            for i in range(PER_KEY + 2)
        ]
        assert statuses == [200] * PER_KEY + [429, 429]
        # The budget is the key's, not the address's: another key still gets answers on both.
        other = {"Authorization": "Bearer another-budget"}
        for replica in pair:
            assert (
                await client.post(f"{replica.url}/graphql", json=TYPENAME, headers=other)
            ).status_code == 200


async def test_a_write_through_one_replica_reads_back_through_the_other_with_its_bookmark(
    pair: list[Replica], editor: str
) -> None:
    first, second = (replica.url for replica in pair)
    async with httpx.AsyncClient() as client:
        tags = [
            (await client.get(f"{url}/graphql", params={"query": READ})).headers["etag"]
            for url in pair_urls(pair)
        ]
        assert tags[0] == tags[1], "both replicas tag the same answer alike"
        done = await client.post(
            f"{first}/graphql",
            json={"query": DESCRIBE, "variables": {"text": "Written through the first replica."}},
            headers={"Authorization": f"Bearer {editor}"},
        )
        bookmark = done.json()["extensions"]["bookmark"]
        read = await client.post(
            f"{second}/graphql", json={"query": READ}, headers={"Clustergraph-Bookmark": bookmark}
        )
        assert read.json()["data"]["entity"]["description"] == "Written through the first replica."
        after = [
            (
                await client.get(
                    f"{url}/graphql", params={"query": READ}, headers={"Clustergraph-Bookmark": bookmark}
                )
            )
            for url in pair_urls(pair)
        ]
        assert after[0].headers["etag"] == after[1].headers["etag"] != tags[0]
        # The old tag is stale on both: neither answers it with a 304.
        for url in pair_urls(pair):
            again = await client.get(
                f"{url}/graphql", params={"query": READ}, headers={"If-None-Match": tags[0]}
            )
            assert again.status_code == 200


def pair_urls(pair: list[Replica]) -> list[str]:
    return [replica.url for replica in pair]


async def _slow_upload(url: str) -> httpx.Response:
    """A request still arriving when the replica is told to stop: it is in flight, so it is answered."""

    async def body() -> AsyncIterator[bytes]:
        yield b'{"query": "{ __typ'
        await asyncio.sleep(1.5)
        yield b'ename }"}'

    async with httpx.AsyncClient(timeout=30) as client:
        return await client.post(
            f"{url}/graphql", content=body(), headers={"Content-Type": "application/json"}
        )


async def test_stopping_one_replica_under_load_fails_no_acknowledged_request(pair: list[Replica]) -> None:
    stopping, staying = pair
    answered: list[tuple[str, int]] = []
    unacknowledged = 0

    async def one(client: httpx.AsyncClient, index: int) -> None:
        nonlocal unacknowledged
        # Round robin, as a load balancer spreads requests; a connection the stopping
        # replica no longer takes is tried on the other, as a load balancer does.
        order = [stopping, staying] if index % 2 == 0 else [staying, stopping]
        for replica in order:
            try:
                response = await client.post(f"{replica.url}/graphql", json=TYPENAME)
            except httpx.TransportError:
                unacknowledged += 1
                continue
            answered.append((replica.url, response.status_code))
            return
        raise AssertionError("no replica answered")

    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        in_flight = asyncio.create_task(_slow_upload(stopping.url))
        load = [asyncio.create_task(_paced(one, client, i)) for i in range(120)]
        await asyncio.sleep(0.5)
        stopped_at = time.monotonic()
        stopping.process.send_signal(signal.SIGTERM)
        await asyncio.gather(*load)
        slow = await in_flight
    code = await asyncio.to_thread(stopping.process.wait, SHUTDOWN_BOUND + 10)
    took = time.monotonic() - stopped_at
    # uvicorn finishes its shutdown, then ends by the signal it was sent (as the convention is).
    assert code in (0, -signal.SIGTERM), stopping.log_text()[-4000:]
    assert "Application shutdown complete" in stopping.log_text()
    assert took < SHUTDOWN_BOUND + 10
    assert slow.status_code == 200 and slow.json()["data"] == {"__typename": "Query"}
    assert len(answered) == 120
    assert {status for _, status in answered} == {200}
    # After the stop, the staying replica took the load (the stopping one stopped answering).
    assert sum(1 for url, _ in answered if url == staying.url) > 60
    assert (await _status(staying.url)) == 200


async def _paced(work, client: httpx.AsyncClient, index: int) -> None:  # type: ignore[no-untyped-def]
    # 40 requests a second for three seconds: a bounded load that spans the stop.
    await asyncio.sleep(index / 40)
    await work(client, index)


async def _status(url: str) -> int:
    async with httpx.AsyncClient() as client:
        return (await client.get(f"{url}/readyz")).status_code


@pytest.fixture(scope="module")
def two_workers(location: GraphLocation, graph: Graph) -> Iterator[Replica]:
    with replicas(location, 1, workers=2, CLUSTERGRAPH_RATE_LIMIT_PER_ADDRESS="100000/minute") as started:
        yield started[0]


def _graphql_requests(metrics: str) -> float:
    pattern = r'^clustergraph_http_requests_total\{method="POST",path="/graphql",status="200"\} (\S+)$'
    return sum(float(m) for m in re.findall(pattern, metrics, flags=re.M))


async def test_metrics_count_the_requests_of_every_worker(two_workers: Replica) -> None:
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=two_workers.url, limits=limits) as client:
        await asyncio.gather(*(client.post("/graphql", json=TYPENAME) for _ in range(30)))
        # Each scrape lands on either worker (a new connection each time): every one sums both.
        scrapes = [_graphql_requests((await client.get("/metrics")).text) for _ in range(6)]
    assert scrapes == [30.0] * 6
