"""Serving the schema over HTTP with Strawberry's ASGI app (GraphiQL included)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from clustergraph.api.context import Context
from clustergraph.api.schema import build_schema
from clustergraph.settings import Settings


class ClusterGraphQL(GraphQL[Context, None]):
    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        assert isinstance(request, Request)
        return Context(
            request=request,
            response=response if isinstance(response, Response) else None,
            graph=request.app.state.graph,
            settings=request.app.state.settings,
        )


def graphql_app(settings: Settings, **options: Any) -> ClusterGraphQL:
    return ClusterGraphQL(build_schema(settings), graphql_ide="graphiql", **options)
