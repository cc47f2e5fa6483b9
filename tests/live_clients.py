"""Subscription clients as a partner's page would run them: graphql-transport-ws and GraphQL over SSE."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect


class WsClient:
    """One graphql-transport-ws connection; `subscribe` starts an operation, `next` reads its events."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.operations = 0

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> str:
        self.operations += 1
        op = str(self.operations)
        payload = {"query": query, "variables": variables or {}}
        await self.socket.send(json.dumps({"id": op, "type": "subscribe", "payload": payload}))
        return op

    async def message(self, timeout: float = 20) -> dict[str, Any]:
        while True:
            message = json.loads(await asyncio.wait_for(self.socket.recv(), timeout))
            if message["type"] != "ping":
                return dict(message)
            await self.socket.send(json.dumps({"type": "pong"}))

    async def events(self, count: int, timeout: float = 20) -> list[dict[str, Any]]:
        """The next `count` events' data, failing on anything else."""
        found: list[dict[str, Any]] = []
        while len(found) < count:
            message = await self.message(timeout)
            assert message["type"] == "next", message
            assert "errors" not in message["payload"], message
            found.append(next(iter(message["payload"]["data"].values())))
        return found


@asynccontextmanager
async def ws_client(url: str, token: str | None = None) -> AsyncIterator[WsClient]:
    ws_url = url.replace("http://", "ws://") + "/graphql"
    async with connect(ws_url, subprotocols=["graphql-transport-ws"]) as socket:  # type: ignore[list-item]
        init: dict[str, Any] = {"type": "connection_init"}
        if token:
            init["payload"] = {"Authorization": f"Bearer {token}"}
        await socket.send(json.dumps(init))
        ack = json.loads(await asyncio.wait_for(socket.recv(), 20))
        assert ack["type"] == "connection_ack", ack
        yield WsClient(socket)


@asynccontextmanager
async def sse_events(
    url: str, query: str, variables: dict[str, Any] | None = None
) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
    """GraphQL over SSE (distinct connections): each `next` event's payload, in order."""
    async with (
        httpx.AsyncClient(timeout=httpx.Timeout(30, read=60)) as client,
        client.stream(
            "POST",
            url + "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Accept": "text/event-stream"},
        ) as response,
    ):
        assert response.status_code == 200, await response.aread()
        assert response.headers["content-type"].startswith("text/event-stream")

        async def payloads() -> AsyncIterator[dict[str, Any]]:
            event = None
            async for line in response.aiter_lines():
                if line.startswith("event:"):
                    event = line.split(":", 1)[1].strip()
                elif line.startswith("data:") and event == "next":
                    yield json.loads(line.split(":", 1)[1])
                elif line.startswith("data:") and event == "complete":
                    return

        yield payloads()
