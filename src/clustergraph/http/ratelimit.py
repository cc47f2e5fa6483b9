"""Rate limiting of the GraphQL endpoint, per client address and per API key.

Every request to a limited path counts against its client address; a request that
presents a credential (`Authorization: Bearer ...`, the header the authenticator reads)
also counts against that token, so rotating made-up keys does not lift the address's
limit. Past a limit the answer is 429 with `Retry-After` and a GraphQL error whose code
is RATE_LIMITED.

Windows are moving windows (the `limits` library) kept where `storage` says: `memory://`
(one process's memory, the default), or a shared store such as `redis://host:6379`, so
that every worker and replica counts against the same budget. When a shared store does
not answer, requests pass (and a warning is logged): an outage of the counter must not
become an outage of the service.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from typing import cast

from limits import RateLimitItem, parse
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import ConfigurationError
from limits.storage import storage_from_string
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from clustergraph.auth.resolve import CREDENTIAL_HEADER, bearer_token
from clustergraph.client_address import client_address
from clustergraph.errors import RateLimited, to_http_response

log = logging.getLogger("clustergraph.http.ratelimit")


def api_key(headers: Headers) -> str | None:
    return bearer_token(headers.get(CREDENTIAL_HEADER))


def open_storage(uri: str) -> Storage:
    """The async `limits` storage a URI names (`memory://`, `redis://host:port/0`, ...)."""
    uri = uri.strip() or "memory://"
    try:
        storage = storage_from_string(uri if uri.startswith("async+") else f"async+{uri}")
    except ConfigurationError as error:
        raise ValueError(f"CLUSTERGRAPH_RATE_LIMIT_STORAGE: {error}") from error
    return cast(Storage, storage)


def _digest(secret: str) -> str:
    # Keys are held (in memory) only as digests, so a dump of the limiter shows none.
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()[:32]


def parse_limit(text: str) -> RateLimitItem | None:
    """`600/minute`-style limits; empty or `off` turns the limit off."""
    text = text.strip()
    if not text or text.lower() in ("off", "0", "none"):
        return None
    return parse(text)


class RateLimit:
    """ASGI middleware: counts requests to `paths` and refuses those past a limit."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        per_address: str,
        per_key: str,
        storage: str = "memory://",
        paths: tuple[str, ...] = ("/graphql",),
    ) -> None:
        self.app = app
        self.per_address = parse_limit(per_address)
        self.per_key = parse_limit(per_key)
        self.paths = paths
        self.limiter = MovingWindowRateLimiter(open_storage(storage))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        checks: list[tuple[RateLimitItem, str, str]] = []
        if self.per_address is not None:
            checks.append((self.per_address, "address", client_address(scope)))
        key = api_key(headers)
        if self.per_key is not None and key is not None:
            checks.append((self.per_key, "key", _digest(key)))
        for item, kind, identity in checks:
            retry = await self._hit(item, kind, identity)
            if retry is not None:
                scope.setdefault("state", {})["rate_limited"] = kind
                await self._refuse(scope, receive, send, kind, item, retry)
                return
        await self.app(scope, receive, send)

    async def _hit(self, item: RateLimitItem, kind: str, identity: str) -> int | None:
        """Counts one request; the seconds to wait when it is past the limit, else None."""
        try:
            if await self.limiter.hit(item, kind, identity):
                return None
            stats = await self.limiter.get_window_stats(item, kind, identity)
        except Exception as error:  # the storage's client raises its own errors (connection, timeout)
            log.warning("rate limit storage unavailable, request let through: %s", type(error).__name__)
            return None
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, kind: str, item: RateLimitItem, retry: int
    ) -> None:
        who = "API key" if kind == "key" else "client address"
        await to_http_response(RateLimited(who, str(item), retry))(scope, receive, send)
