"""The Cypher the service sends for each request, captured in-process.

The raw-Cypher figures replay exactly these queries with the Python driver: the
database's own cost of the same answer, without the GraphQL layer.
"""

from __future__ import annotations

from typing import Any

import httpx

from bench.requests import Request
from clustergraph.app import create_app
from clustergraph.auth.resolve import Authenticator
from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from clustergraph.settings import Settings


class _Recording(Graph):
    sent: list[tuple[str, dict[str, Any]]]

    async def read(self, cypher: Any, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        self.sent.append((cypher, params or {}))
        return await super().read(cypher, params)


async def capture(
    settings: Settings, location: GraphLocation, requests: list[Request]
) -> dict[str, tuple[str, dict[str, Any]]]:
    app = create_app(settings, location)
    plain = Graph.connect(location, timeout=settings.query_timeout)
    graph = _Recording(driver=plain.driver, database=plain.database, timeout=plain.timeout)
    app.state.graph, app.state.settings = graph, settings
    # Writes are not benchmarked: API keys only (no OIDC issuer to reach).
    app.state.authenticator = Authenticator(graph, None)
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench"
        ) as client:
            for request in requests:
                graph.sent = []
                answer = await client.post(
                    "/graphql", json={"query": request.service, "variables": request.variables}
                )
                body = answer.json()
                if body.get("errors"):
                    raise RuntimeError(f"{request.name}: {body['errors']}")
                if len(graph.sent) != 1:
                    raise RuntimeError(f"{request.name}: {len(graph.sent)} Cypher queries, expected one")
                found[request.name] = graph.sent[0]
    finally:
        await graph.close()
    return found
