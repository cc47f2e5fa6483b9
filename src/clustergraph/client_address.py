"""Who the client is: the one address the rate limits, the stream and subscription bounds
and the request log all count.

It is the connection's peer, unless that peer is a proxy listed in
`CLUSTERGRAPH_FORWARDED_ALLOW_IPS` (empty by default): then the app's outermost middleware,
uvicorn's `ProxyHeadersMiddleware`, has already replaced it with the first address of
`X-Forwarded-For` that is not itself a listed proxy (read from the right, where each proxy
appends). uvicorn's own copy of that middleware is turned off (`serving.uvicorn_options`),
so no header is believed on any other say.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.types import Scope
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

UNKNOWN = "unknown"


def client_address(scope: Scope) -> str:
    """The client's address for every per-address bound and log line (a connection without a
    peer address, such as a Unix socket's, counts as one client)."""
    client = scope.get("client")
    return str(client[0]) if client else UNKNOWN


def trusted_proxies(allow_ips: str) -> list[Middleware]:
    """The middleware that believes `X-Forwarded-For` from these senders only; none when empty."""
    hosts = [host.strip() for host in allow_ips.split(",") if host.strip()]
    if not hosts:
        return []
    return [Middleware(ProxyHeadersMiddleware, trusted_hosts=hosts)]
