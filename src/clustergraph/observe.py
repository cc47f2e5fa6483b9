"""One structured log line and the metrics of every HTTP request.

The line names the client's address (the one the rate limits count, see
`clustergraph.client_address`), the operation(s), the duration and the outcome; it never
holds headers, the query text or its variables, where credentials and personal data would be.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clustergraph import metrics
from clustergraph.client_address import client_address

log = logging.getLogger("clustergraph.requests")


def record_operation(scope: Scope, name: str | None, outcome: str, errors: int) -> None:
    """Leaves one GraphQL operation's name and outcome where the request log and metrics find them.

    The name is the operation's as the client gave it, cut short; never the query text or
    its variables.
    """
    record = {"name": (name or "anonymous")[:100], "outcome": outcome, "errors": errors}
    scope.setdefault("state", {}).setdefault("graphql_operations", []).append(record)


class RequestLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        state: dict[str, Any] = scope.setdefault("state", {})

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            duration = time.perf_counter() - started
            path = metrics.path_label(scope["path"])
            metrics.HTTP_REQUESTS.labels(scope["method"], path, str(status)).inc()
            metrics.HTTP_LATENCY.labels(path).observe(duration)
            if "rate_limited" in state:
                metrics.RATE_LIMITED.labels(state["rate_limited"]).inc()
            operations = state.get("graphql_operations", [])
            for operation in operations:
                metrics.GRAPHQL_OPERATIONS.labels(operation["outcome"]).inc()
            if path not in ("/healthz", "/metrics"):
                record = {
                    "client": client_address(scope),
                    "method": scope["method"],
                    "path": path,
                    "status": status,
                    "duration_ms": round(duration * 1000, 2),
                    "operations": operations,
                }
                if "rate_limited" in state:
                    record["rate_limited"] = state["rate_limited"]
                log.info(orjson.dumps(record).decode())
