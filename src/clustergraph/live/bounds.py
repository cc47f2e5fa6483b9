"""The bounds a live connection lives within: streams per process and per address,
subscriptions per address, idle connections.

A WebSocket connection is closed by sending the close frame on the raw ASGI channel and
dropping whatever the GraphQL handler sends after it; the client's disconnect then ends
the handler as an ordinary hang-up would.
"""

from __future__ import annotations

import asyncio
from collections import Counter

from starlette.types import Message, Send

from clustergraph.errors import TooManyStreams, TooManyStreamsFromAddress, TooManySubscriptions
from clustergraph.live.trim import Trimmer

# Close codes of the application range (4000-4999), next to graphql-transport-ws's own.
SLOW_CONSUMER = 4008
IDLE = 4000
# RFC 6455's "Try Again Later": the stream bound is full (a client retries with backoff).
TRY_AGAIN_LATER = 1013


class StreamBound:
    """Streams (WebSockets and streamed HTTP responses) held open, per process and per address.

    uvicorn's CLUSTERGRAPH_MAX_CONNECTIONS never refuses a WebSocket, yet counts every open
    one against plain requests: this bound, below it, keeps plain requests a share.
    """

    def __init__(self, limit: int, per_address: int, trim: Trimmer | None = None) -> None:
        self.limit = limit
        self.per_address = per_address
        self.open = 0
        self.held: Counter[str] = Counter()
        self.trim = trim

    def acquire(self, address: str) -> None:
        if self.held[address] >= self.per_address:
            raise TooManyStreamsFromAddress(self.per_address)
        if self.open >= self.limit:
            raise TooManyStreams(self.limit)
        self.held[address] += 1
        self.open += 1
        if self.trim is not None:
            self.trim.opened(self.open)

    def release(self, address: str) -> None:
        self.open -= 1
        self.held[address] -= 1
        if self.held[address] <= 0:
            del self.held[address]
        if self.trim is not None:
            self.trim.closed(self.open)


class AddressBound:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.held: Counter[str] = Counter()

    def acquire(self, address: str) -> None:
        if self.held[address] >= self.limit:
            raise TooManySubscriptions(
                f"this address already holds {self.limit} subscriptions, the most it may (per address)",
                "address",
            )
        self.held[address] += 1

    def release(self, address: str) -> None:
        self.held[address] -= 1
        if self.held[address] <= 0:
            del self.held[address]


class LiveConnection:
    """One WebSocket connection: how many subscriptions it runs, and closing it with a code."""

    def __init__(self, send: Send, idle_timeout: float) -> None:
        self._send = send
        self.idle_timeout = idle_timeout
        self.closed = False
        self.active = 0
        self._activity = asyncio.Event()

    async def send(self, message: Message) -> None:
        if not self.closed:
            await self._send(message)

    async def close(self, code: int, reason: str) -> None:
        if not self.closed:
            self.closed = True
            await self._send({"type": "websocket.close", "code": code, "reason": reason})

    def started(self) -> None:
        self.active += 1
        self._activity.set()

    def ended(self) -> None:
        self.active -= 1
        self._activity.set()

    async def watch_idle(self) -> None:
        """Close the connection once it has run no subscription for `idle_timeout` seconds."""
        while not self.closed:
            self._activity.clear()
            if self.active:
                await self._activity.wait()
                continue
            try:
                await asyncio.wait_for(self._activity.wait(), timeout=self.idle_timeout)
            except TimeoutError:
                await self.close(IDLE, f"no subscription for {self.idle_timeout:g} seconds")
