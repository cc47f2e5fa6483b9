"""The ASGI application: GraphQL (with GraphiQL) at /graphql, health at /healthz and /readyz,
the explorer at /explore, the widget at /widget.js and /embed, exports at /export/{format}."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route, WebSocketRoute

from clustergraph.auth.oidc import OidcVerifier
from clustergraph.auth.resolve import Authenticator
from clustergraph.client_address import trusted_proxies
from clustergraph.errors import ClusterGraphError, NotFound, to_http_response
from clustergraph.graph import location as graph_location
from clustergraph.graph.db import Graph, GraphUnavailable, QueryTimeout
from clustergraph.graph.location import GraphLocation
from clustergraph.http.bookmarks import Bookmarks
from clustergraph.http.cached_get import CachedGraphQL
from clustergraph.http.cors import cors_middleware
from clustergraph.http.errors import http_error, internal_error, tree_error
from clustergraph.http.graphql import graphql_app
from clustergraph.http.playground import PLAYGROUND_JS, asset_path
from clustergraph.http.ratelimit import RateLimit
from clustergraph.live.bounds import AddressBound, StreamBound
from clustergraph.live.feed import ChangeFeed
from clustergraph.live.trim import Trimmer, freeze_startup_objects
from clustergraph.metrics import metrics
from clustergraph.observe import RequestLog
from clustergraph.reconcile import http as reconcile_http
from clustergraph.settings import Settings, get_settings
from clustergraph.web import pages
from clustergraph.web.article_page import article_page
from clustergraph.web.exports_http import export


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


async def asset(request: Request) -> Response:
    name = request.path_params["name"]
    if name == "playground.js":
        return Response(PLAYGROUND_JS, media_type="text/javascript")
    found = asset_path(name) or pages.built_asset(name)
    if found is None or not found[0].exists():
        return to_http_response(NotFound(f"no asset {name!r} (run scripts/setup to install the web assets)"))
    return FileResponse(found[0], media_type=found[1], headers={"Cache-Control": "public, max-age=86400"})


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
        app.state.graph = Graph.connect(
            where, timeout=settings.query_timeout, reach_timeout=settings.neo4j_reach_timeout
        )
        app.state.settings = settings
        oidc = OidcVerifier(settings) if settings.oidc_issuer else None
        app.state.authenticator = Authenticator(app.state.graph, oidc)
        app.state.live_feed = ChangeFeed(
            app.state.graph, settings.live_poll_interval, settings.live_queue_limit
        )
        app.state.live_addresses = AddressBound(settings.live_per_address)
        trim = Trimmer() if settings.stream_trim else None
        if trim is not None:
            freeze_startup_objects()
        app.state.streams = StreamBound(settings.stream_bound, settings.max_streams_per_address, trim)
        try:
            yield
        finally:
            await app.state.live_feed.close()
            await app.state.graph.close()

    graphql = graphql_app(settings)
    return Starlette(
        routes=[
            Route("/", home),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            # Every method reaches the GraphQL view, so that even a PUT is refused in JSON with a code.
            Route("/graphql", CachedGraphQL(graphql, settings)),
            # Subscriptions over graphql-transport-ws (live changes; SSE is served by the route above).
            WebSocketRoute("/graphql", graphql),
            Route("/assets/{name}", asset),
            Route("/explore", pages.explorer),
            Route("/explore/article", article_page),
            Route("/widget.js", pages.widget_script),
            Route("/embed", pages.embed),
            Route("/export/{format}", export, methods=["GET", "POST"]),
            Route("/metrics", metrics),
            # The W3C reconciliation API (OpenRefine): /reconcile and its suggest and preview.
            *reconcile_http.routes(),
        ],
        # Outermost first: the client's address is settled (trusted proxies only), then every
        # request is logged and counted, refused ones included.
        middleware=[
            *trusted_proxies(settings.forwarded_allow_ips),
            Middleware(RequestLog),
            # Outside the rate limit, so that a refusal reaches OpenRefine readable.
            Middleware(reconcile_http.OpenCors),
            Middleware(
                RateLimit,
                per_address=settings.rate_limit_per_address,
                per_key=settings.rate_limit_per_key,
                storage=settings.rate_limit_storage,
                paths=("/graphql", *reconcile_http.PATHS),
            ),
            cors_middleware(settings),
            Middleware(Bookmarks),
        ],
        # Starlette's own 404s and 405s answer JSON with a code, as everything else does.
        exception_handlers={
            HTTPException: http_error,
            ClusterGraphError: tree_error,
            Exception: internal_error,
        },
        lifespan=lifespan,
    )
