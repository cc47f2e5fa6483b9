"""Rate limiting of the GraphQL endpoint, per client address and per API key.

Every request to a limited path counts against its client address; a request that
presents an API key (`X-API-Key`, or `Authorization: Bearer ...`) also counts against
that key, so rotating made-up keys does not lift the address's limit. Past a limit the
answer is 429 with `Retry-After` and a GraphQL error whose code is RATE_LIMITED.
Windows are moving windows kept in memory (the `limits` library), per process.
"""

from __future__ import annotations

import hashlib
import math
import time

import orjson
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from clustergraph.errors import RATE_LIMITED


def api_key(headers: Headers) -> str | None:
    key = headers.get("x-api-key")
    if not key:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        key = token.strip() if scheme.lower() == "bearer" else None
    return key or None


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
        paths: tuple[str, ...] = ("/graphql",),
    ) -> None:
        self.app = app
        self.per_address = parse_limit(per_address)
        self.per_key = parse_limit(per_key)
        self.paths = paths
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        checks: list[tuple[RateLimitItem, str, str]] = []
        if self.per_address is not None:
            client = scope.get("client")
            checks.append((self.per_address, "address", client[0] if client else "unknown"))
        key = api_key(headers)
        if self.per_key is not None and key is not None:
            checks.append((self.per_key, "key", _digest(key)))
        for item, kind, identity in checks:
            if not await self.limiter.hit(item, kind, identity):
                stats = await self.limiter.get_window_stats(item, kind, identity)
                retry = max(1, math.ceil(stats.reset_time - time.time()))
                scope.setdefault("state", {})["rate_limited"] = kind
                await self._refuse(send, kind, item, retry)
                return
        await self.app(scope, receive, send)

    async def _refuse(self, send: Send, kind: str, item: RateLimitItem, retry: int) -> None:
        who = "API key" if kind == "key" else "client address"
        body = orjson.dumps(
            {
                "errors": [
                    {
                        "message": f"Too many requests from this {who} (limit {item}); retry in {retry} s.",
                        "extensions": {"code": RATE_LIMITED, "retryAfter": retry, "limit": str(item)},
                    }
                ]
            }
        )
        await send(
            {
                "type": "http.response.start",
                "status": 429,
                "headers": [
                    (b"content-type", b"application/json; charset=utf-8"),
                    (b"retry-after", str(retry).encode()),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
