"""How uvicorn serves the app: bounds on slow clients and on open connections.

uvicorn times out an idle keep-alive connection, but not a client that sends its request
headers a byte at a time (the body is bounded in `clustergraph.http.graphql`). The protocol
below closes a connection whose request headers have not all arrived within
`CLUSTERGRAPH_HEADER_TIMEOUT` seconds of its first byte (or of the connection). Past
`CLUSTERGRAPH_MAX_CONNECTIONS` open connections, uvicorn answers 503 at once.

uvicorn counts every open connection and every running request against that bound,
WebSockets and streamed responses included, but checks it only for plain requests: an
upgrade to WebSocket is never refused by it. Streams have their own, smaller bound
(`CLUSTERGRAPH_MAX_STREAMS`, `live.bounds.StreamBound`), so plain requests keep a share.

uvicorn's reading of `X-Forwarded-For` is off: the app decides which proxies to believe
(`clustergraph.client_address`).

The protocol is uvicorn's httptools one (the C parser of Node's llhttp), not the
pure-Python h11 one: one worker answered 1.4-2x as many `{ __typename }` requests with it
(bench/REPORT-issue26.md).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from clustergraph.settings import Settings, get_settings


class BoundedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with a deadline for each request's headers."""

    # None: CLUSTERGRAPH_HEADER_TIMEOUT from the environment (what each worker process reads).
    header_timeout: float | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._header_timer: asyncio.TimerHandle | None = None
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._header_timer is None and self._between_requests():
            self._arm()  # the first byte of the next request on a kept-alive connection
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._disarm()  # a request's headers arrived whole
        super().on_headers_complete()

    def handle_websocket_upgrade(self) -> None:
        # The connection is a WebSocket from here on (a subscription): no more request headers.
        self._disarm()
        super().handle_websocket_upgrade()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _between_requests(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        timeout = self.header_timeout if self.header_timeout is not None else get_settings().header_timeout
        self._header_timer = self.loop.call_later(timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self._between_requests() and not self.transport.is_closing():
            self.transport.close()


def uvicorn_options(settings: Settings, from_environment: bool = False) -> dict[str, Any]:
    """What `uvicorn.Config` takes from the settings (the CLI and the tests serve alike).

    `from_environment`: the settings are the environment's, so the protocol is the plain
    importable class (worker processes get it pickled by name) that reads them itself."""
    protocol: type[BoundedHttpProtocol] = BoundedHttpProtocol
    if not from_environment:
        protocol = type(
            "BoundedHttpProtocol", (BoundedHttpProtocol,), {"header_timeout": settings.header_timeout}
        )
    return {
        "http": protocol,
        "limit_concurrency": settings.max_connections,
        "timeout_keep_alive": 5,
        # uvicorn would believe X-Forwarded-For from 127.0.0.1 by default; the app's own
        # middleware believes only CLUSTERGRAPH_FORWARDED_ALLOW_IPS.
        "proxy_headers": False,
        "ws_per_message_deflate": settings.ws_compression,
    }
