"""Serving the schema over HTTP with Strawberry's ASGI app (GraphiQL included)."""

from __future__ import annotations

from typing import Any, cast

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse

from clustergraph.api.context import Context
from clustergraph.api.errors import SERVICE_UNAVAILABLE
from clustergraph.api.playground import graphiql_html
from clustergraph.api.schema import build_schema
from clustergraph.auth.identity import Unauthenticated
from clustergraph.auth.resolve import Authenticator
from clustergraph.db import GraphUnavailable, QueryTimeout
from clustergraph.settings import Settings


class ClusterGraphQL(GraphQL[Context, None]):
    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        assert isinstance(request, Request)
        context = Context(
            request=request,
            response=response if isinstance(response, Response) else None,
            graph=request.app.state.graph,
            settings=request.app.state.settings,
        )
        authenticator: Authenticator = request.app.state.authenticator
        try:
            context.identity = await authenticator.identify(request.headers.get("authorization"))
        except (Unauthenticated, GraphUnavailable, QueryTimeout) as error:
            # Kept for the fields that need a credential; public reads still answer.
            context.auth_error = error
        return context

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(graphiql_html())

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        # A read that failed only because Neo4j is down is the service's fault, not the request's.
        if _codes(response_data) & {SERVICE_UNAVAILABLE}:
            response.status_code = 503
        return response


def _codes(data: GraphQLHTTPResponse | list[GraphQLHTTPResponse]) -> set[str]:
    responses = data if isinstance(data, list) else [data]
    return {
        str((cast(dict[str, Any], error).get("extensions") or {}).get("code"))
        for response in responses
        for error in (response.get("errors") or [])
    }


def graphql_app(settings: Settings, **options: Any) -> ClusterGraphQL:
    return ClusterGraphQL(build_schema(settings), graphql_ide="graphiql", **options)
