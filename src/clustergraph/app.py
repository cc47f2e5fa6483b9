"""The ASGI application: GraphQL (with GraphiQL) at /graphql, health at /healthz and /readyz."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from clustergraph import location as graph_location
from clustergraph.api.http import graphql_app
from clustergraph.db import Graph, GraphUnavailable, QueryTimeout
from clustergraph.location import GraphLocation
from clustergraph.metrics import metrics
from clustergraph.observe import RequestLog
from clustergraph.ratelimit import RateLimit
from clustergraph.settings import Settings, get_settings


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    graph: Graph = request.app.state.graph
    try:
        await graph.ping()
    except (GraphUnavailable, QueryTimeout) as error:
        return JSONResponse(
            {"status": "unavailable", "reason": f"Neo4j does not answer: {_first_line(error)}"},
            status_code=503,
        )
    return JSONResponse({"status": "ok"})


async def home(request: Request) -> Response:
    return RedirectResponse("/graphql")


def _first_line(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:200]


def create_app(settings: Settings | None = None, location: GraphLocation | None = None) -> Starlette:
    settings = settings or get_settings()
    # The driver's debug log prints every query's parameters (user input, keys): never let a
    # root logger at DEBUG switch it on.
    logging.getLogger("neo4j").setLevel(logging.WARNING)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        where = location or graph_location.resolve(settings)
        app.state.graph = Graph.connect(where, timeout=settings.query_timeout)
        app.state.settings = settings
        try:
            yield
        finally:
            await app.state.graph.close()

    graphql = graphql_app(settings)
    return Starlette(
        routes=[
            Route("/", home),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/metrics", metrics),
        ],
        # Outermost first: every request is logged and counted, refused ones included.
        middleware=[
            Middleware(RequestLog),
            Middleware(
                RateLimit,
                per_address=settings.rate_limit_per_address,
                per_key=settings.rate_limit_per_key,
            ),
        ],
        lifespan=lifespan,
    )
