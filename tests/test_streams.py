"""Streams (WebSockets and server-sent events) within their own bound, on the real stack.

Past the bound per client address or per process a new stream is refused (WebSocket: close
1013 with a reason naming the bound; SSE: JSON with TOO_MANY_STREAMS), and while the bound
is full, plain requests and /readyz still answer 200 from the connections it leaves them.
Several client addresses are real: the clients bind 127.0.0.2, 127.0.0.3, ... on loopback.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from clustergraph.settings import Settings
from tests.support import refusal, running_service

SUBSCRIPTION = "subscription { entityChanged { sequence } }"


@pytest.fixture
def bounded_url(settings: Settings, location: GraphLocation, graph: Graph) -> Iterator[str]:
    """A service whose bound on streams is 6, 4 of them per address, in 12 connections."""
    small = settings.model_copy(
        update={"max_connections": 12, "max_streams": 6, "max_streams_per_address": 4}
    )
    with running_service(small, location) as url:
        yield url


async def open_socket(stack: AsyncExitStack, url: str, address: str) -> ClientConnection | tuple[int, str]:
    """A graphql-transport-ws connection from `address` that sent connection_init and got its
    ack (kept open by `stack`), or the close code and reason it was refused with."""
    ws_url = url.replace("http://", "ws://") + "/graphql"
    socket = await stack.enter_async_context(
        connect(ws_url, subprotocols=["graphql-transport-ws"], local_addr=(address, 0))  # type: ignore[list-item]
    )
    try:
        await socket.send(json.dumps({"type": "connection_init"}))
        ack = json.loads(await asyncio.wait_for(socket.recv(), 20))
    except ConnectionClosed as closed:
        assert closed.rcvd is not None, closed
        return closed.rcvd.code, closed.rcvd.reason
    assert ack["type"] == "connection_ack", ack
    return socket


async def plain_requests_answer(url: str) -> list[int]:
    """Four GraphQL requests and four readiness probes, two clients at a time (of the six
    connections the streams leave)."""
    async with (
        httpx.AsyncClient(base_url=url, timeout=10) as one,
        httpx.AsyncClient(base_url=url, timeout=10) as two,
    ):
        answers: list[httpx.Response] = []
        for _ in range(4):
            answers += await asyncio.gather(
                one.post("/graphql", json={"query": "{ __typename }"}), two.get("/readyz")
            )
    return [answer.status_code for answer in answers]


@asynccontextmanager
async def event_stream(url: str, address: str) -> AsyncIterator[httpx.Response]:
    transport = httpx.AsyncHTTPTransport(local_address=address)
    async with (
        httpx.AsyncClient(base_url=url, transport=transport, timeout=httpx.Timeout(20)) as client,
        client.stream(
            "POST", "/graphql", json={"query": SUBSCRIPTION}, headers={"Accept": "text/event-stream"}
        ) as response,
    ):
        yield response


async def refused_stream(response: httpx.Response) -> tuple[int, dict[str, Any]]:
    """A refused event stream's status and its error, in the one error shape with Retry-After."""
    await response.aread()
    assert response.headers["retry-after"] == "5"
    return response.status_code, refusal(response, "TOO_MANY_STREAMS")


async def test_websockets_past_the_bound_are_closed_with_1013_and_requests_still_answer(
    bounded_url: str,
) -> None:
    async with AsyncExitStack() as stack:
        # A burst of 20 from one address, more than the 12 connections of the whole process.
        burst = await asyncio.gather(*(open_socket(stack, bounded_url, "127.0.0.1") for _ in range(20)))
        held = [socket for socket in burst if not isinstance(socket, tuple)]
        refused = [socket for socket in burst if isinstance(socket, tuple)]
        assert len(held) == 4 and len(refused) == 16, refused
        assert {code for code, _ in refused} == {1013}
        assert "this client address (at most 4)" in refused[0][1], refused[0]
        # Another address has its own share, up to the process's bound of 6.
        others = [await open_socket(stack, bounded_url, "127.0.0.2") for _ in range(3)]
        assert [isinstance(socket, tuple) for socket in others] == [False, False, True], others
        code, reason = others[2]  # type: ignore[misc]
        assert code == 1013 and "this server process (at most 6)" in reason, reason
        # The bound is full: plain requests and the readiness probe still answer.
        assert await plain_requests_answer(bounded_url) == [200] * 8
        async with event_stream(bounded_url, "127.0.0.3") as response:
            status, error = await refused_stream(response)
        assert status == 503 and error["extensions"]["code"] == "TOO_MANY_STREAMS", error
        assert error["extensions"]["per"] == "process" and error["extensions"]["limit"] == 6
        # The held ones still work.
        await held[0].send(json.dumps({"type": "ping"}))
        assert json.loads(await asyncio.wait_for(held[0].recv(), 10))["type"] == "pong"
    # Closed, they give their slots back.
    await asyncio.sleep(0.5)
    async with AsyncExitStack() as stack:
        again = [await open_socket(stack, bounded_url, "127.0.0.1") for _ in range(4)]
    assert not any(isinstance(socket, tuple) for socket in again), again


async def test_event_streams_past_the_bound_are_refused_with_a_code(bounded_url: str) -> None:
    async with AsyncExitStack() as stack:
        streams = [await stack.enter_async_context(event_stream(bounded_url, "127.0.0.1")) for _ in range(4)]
        assert [s.status_code for s in streams] == [200] * 4
        assert all(s.headers["content-type"].startswith("text/event-stream") for s in streams)
        async with event_stream(bounded_url, "127.0.0.1") as fifth:
            status, error = await refused_stream(fifth)
        assert status == 429 and error["extensions"]["code"] == "TOO_MANY_STREAMS", error
        assert error["extensions"]["per"] == "address" and "this client address" in error["message"]
        # WebSockets and event streams share the address's share.
        socket = await open_socket(stack, bounded_url, "127.0.0.1")
        assert isinstance(socket, tuple) and socket[0] == 1013, socket
        assert await plain_requests_answer(bounded_url) == [200] * 8
    await asyncio.sleep(0.5)
    async with event_stream(bounded_url, "127.0.0.1") as response:
        assert response.status_code == 200


def test_streams_leave_plain_requests_a_share_of_the_connections() -> None:
    assert Settings().stream_bound == 192  # type: ignore[call-arg]  # of the default 256
    assert Settings(CLUSTERGRAPH_MAX_CONNECTIONS=40).stream_bound == 30  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="must be less than CLUSTERGRAPH_MAX_CONNECTIONS"):
        Settings(CLUSTERGRAPH_MAX_STREAMS=256)  # type: ignore[call-arg]
