"""Trusted proxies are opt-in: X-Forwarded-For names the client only when its sender is listed
in CLUSTERGRAPH_FORWARDED_ALLOW_IPS (empty by default), and then the rate limit, the
subscription and stream bounds and the request log all count that one address."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from clustergraph.settings import Settings
from tests.support import running_service

TYPENAME = {"query": "query Hello { __typename }"}
SUBSCRIPTION = "subscription { entityChanged { sequence } }"


def bounded(settings: Settings, **update: Any) -> Settings:
    return settings.model_copy(
        update={"rate_limit_per_address": "10/minute", "live_per_address": 3, **update}
    )


@pytest.fixture
def default_url(settings: Settings, location: GraphLocation, graph: Graph) -> Iterator[str]:
    assert Settings().forwarded_allow_ips == ""  # type: ignore[call-arg]  # the default believes no one
    with running_service(bounded(settings), location) as url:
        yield url


@pytest.fixture
def trusting_url(settings: Settings, location: GraphLocation, graph: Graph) -> Iterator[str]:
    with running_service(bounded(settings, forwarded_allow_ips="127.0.0.1"), location) as url:
        yield url


async def statuses(url: str, forwarded: list[str]) -> list[int]:
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        return [
            (await http.post("/graphql", json=TYPENAME, headers={"X-Forwarded-For": address})).status_code
            for address in forwarded
        ]


def rotating(count: int) -> list[str]:
    return [f"198.51.100.{i}" for i in range(1, count + 1)]


async def subscribe(stack: AsyncExitStack, url: str, forwarded: str) -> dict[str, Any]:
    """One WebSocket claiming `forwarded` as its client, one subscription on it: its first message
    (an error), or {} when it runs."""
    socket: ClientConnection = await stack.enter_async_context(
        connect(
            url.replace("http://", "ws://") + "/graphql",
            subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
            additional_headers={"X-Forwarded-For": forwarded},
        )
    )
    await socket.send(json.dumps({"type": "connection_init"}))
    assert json.loads(await asyncio.wait_for(socket.recv(), 20))["type"] == "connection_ack"
    await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION}}))
    try:
        return dict(json.loads(await asyncio.wait_for(socket.recv(), 1.5)))
    except TimeoutError:
        return {}


def codes_of(messages: list[dict[str, Any]]) -> list[str | None]:
    return [m["payload"]["errors"][0]["extensions"]["code"] if m else None for m in messages]


async def test_by_default_a_rotating_header_does_not_lift_the_rate_limit(default_url: str) -> None:
    answered = await statuses(default_url, rotating(14))
    assert answered[:10] == [200] * 10 and answered[10:] == [429] * 4, answered


async def test_by_default_a_rotating_header_does_not_lift_the_subscription_bound(default_url: str) -> None:
    async with AsyncExitStack() as stack:
        messages = [await subscribe(stack, default_url, address) for address in rotating(4)]
    assert codes_of(messages) == [None, None, None, "TOO_MANY_SUBSCRIPTIONS"], messages


async def test_by_default_the_request_log_names_the_peer(
    default_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="clustergraph.requests")
    await statuses(default_url, ["203.0.113.9"])
    (record,) = [json.loads(r.getMessage()) for r in caplog.records if r.name == "clustergraph.requests"]
    assert record["client"] == "127.0.0.1", record


async def test_a_listed_proxy_is_believed_by_the_limits_the_bounds_and_the_log(
    trusting_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="clustergraph.requests")
    # Each address the proxy names has a budget of its own ...
    assert await statuses(trusting_url, rotating(14)) == [200] * 14
    # ... and one address is limited as a client connecting itself would be.
    assert (await statuses(trusting_url, ["203.0.113.9"] * 12))[10:] == [429, 429]
    clients = {
        json.loads(r.getMessage())["client"] for r in caplog.records if r.name == "clustergraph.requests"
    }
    assert clients == {*rotating(14), "203.0.113.9"}, clients
    async with AsyncExitStack() as stack:
        apart = [await subscribe(stack, trusting_url, address) for address in rotating(4)]
        together = [await subscribe(stack, trusting_url, "203.0.113.9") for _ in range(4)]
    assert codes_of(apart) == [None] * 4, apart
    assert codes_of(together) == [None, None, None, "TOO_MANY_SUBSCRIPTIONS"], together
