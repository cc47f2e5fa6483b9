"""Streams within their bound (`live.bounds.StreamBound`): a WebSocket or a streamed response
holds a slot of its process and of its client's address from its start to its end.

Past the bound, a WebSocket is accepted and closed at once with 1013 (try again later) and a
reason naming the bound, which a browser's `CloseEvent` shows (it sees nothing of an HTTP
refusal of the handshake); a server-sent event stream is answered with JSON instead:
429 past the address's share, 503 past the process's, `extensions.code` TOO_MANY_STREAMS.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping

from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from clustergraph.client_address import client_address
from clustergraph.errors import TooManyStreams, to_http_response
from clustergraph.live.bounds import TRY_AGAIN_LATER, StreamBound

log = logging.getLogger("clustergraph.streams")


def bound_of(scope: Scope) -> StreamBound:
    bound: StreamBound = scope["app"].state.streams
    return bound


async def held_websocket(
    scope: Scope, receive: Receive, send: Send, serve: Callable[[], Awaitable[None]], subprotocols: list[str]
) -> None:
    """Serves the WebSocket within the bound, or refuses it with 1013 and the bound's name."""
    bound, address = bound_of(scope), client_address(scope)
    try:
        bound.acquire(address)
    except TooManyStreams as refused:
        log.warning("WebSocket refused: %s", refused)
        await _refuse_websocket(scope, receive, send, str(refused), subprotocols)
        return
    try:
        await serve()
    finally:
        bound.release(address)


async def _refuse_websocket(
    scope: Scope, receive: Receive, send: Send, reason: str, offered: list[str]
) -> None:
    message = await receive()
    if message["type"] != "websocket.connect":
        return  # the client went away before its handshake was read
    # The subprotocol the client asked for, else a browser fails the handshake before it
    # could read the close code.
    asked = [protocol for protocol in scope.get("subprotocols", []) if protocol in offered]
    await send({"type": "websocket.accept", "subprotocol": asked[0] if asked else None})
    await send({"type": "websocket.close", "code": TRY_AGAIN_LATER, "reason": reason})


class HeldStream(StreamingResponse):
    """A streamed response that gives its slot back once it has ended, however it ended."""

    def __init__(
        self,
        content: AsyncIterator[str],
        status_code: int,
        headers: Mapping[str, str],
        release: Callable[[], None],
    ) -> None:
        super().__init__(content, status_code=status_code, headers=headers)
        self._release = release

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._release()


def held_stream(
    scope: Scope, stream: Callable[[], AsyncIterator[str]], status_code: int, headers: Mapping[str, str]
) -> Response:
    """The stream holding a slot until it ends, or the refusal (JSON) when the bound is full."""
    bound, address = bound_of(scope), client_address(scope)
    try:
        bound.acquire(address)
    except TooManyStreams as refused:
        log.warning("event stream refused: %s", refused)
        return to_http_response(refused)
    return HeldStream(stream(), status_code, headers, lambda: bound.release(address))
