"""Serving the schema over HTTP with Strawberry's ASGI app (GraphiQL included).

On top of Strawberry: content negotiation (`application/graphql-response+json` and its
status codes), JSON error bodies with an `extensions.code` for requests that cannot be
read, a cap on the body size, and security headers on the HTML page.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Callable, Mapping
from datetime import timedelta
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_SSE_PROTOCOL, GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.execution import SubscriptionExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from clustergraph.auth.identity import Unauthenticated
from clustergraph.auth.resolve import CREDENTIAL_HEADER, Authenticator
from clustergraph.curation.tx import actor_role
from clustergraph.errors import (
    ClusterGraphError,
    MethodNotAllowed,
    NotAcceptable,
    NotFound,
    PayloadTooLarge,
    QueryTooComplex,
    RequestError,
    RequestTimeout,
    to_http_response,
)
from clustergraph.execution.context import Context
from clustergraph.execution.run import CompiledReads
from clustergraph.graph.db import GraphUnavailable, QueryTimeout, db_budget
from clustergraph.http.csp import HTML_SECURITY_HEADERS, policy_for
from clustergraph.http.live_ws import LiveTransportWSHandler
from clustergraph.http.media import (
    GRAPHQL_RESPONSE,
    JSON,
    NegotiatedSSETransport,
    accepts_event_stream,
    negotiate,
)
from clustergraph.http.persisted import resolve
from clustergraph.http.playground import graphiql_html
from clustergraph.http.streams import held_stream, held_websocket
from clustergraph.live.bounds import LiveConnection
from clustergraph.schema.build import ClusterSchema, build_schema
from clustergraph.settings import Settings

# How deep a request body's JSON may nest: far more than any real request (variables of
# nested input objects), far less than what exhausts the decoder's or the executor's stack.
MAX_JSON_DEPTH = 64


def json_response(
    body: Any, status: int, media: str | None, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        orjson.dumps(body), status_code=status, media_type=f"{media or JSON}; charset=utf-8", headers=headers
    )


class ClusterGraphQL(GraphQL[Context, None]):
    # Live subscriptions kept as records in the feed's fan-out (http/live_ws.py).
    graphql_transport_ws_handler_class = LiveTransportWSHandler
    stream_transport_classes_by_protocol = {
        **GraphQL.stream_transport_classes_by_protocol,
        GRAPHQL_SSE_PROTOCOL: NegotiatedSSETransport,
    }

    def __init__(self, schema: ClusterSchema, settings: Settings, **options: Any) -> None:
        super().__init__(schema, **options)
        self.settings = settings
        self.compiled = CompiledReads(schema.documents, settings) if settings.compiled_reads else None
        self.ide_html = graphiql_html()
        self.csp = policy_for(self.ide_html) if self.graphql_ide else "default-src 'none'"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
            return
        if scope["type"] != "http":
            return
        bounded = _bounded_body(receive, self.settings.max_body_bytes, self.settings.body_timeout)
        request = Request(scope, receive=bounded)
        media = negotiate(request.headers.get("accept"))
        try:
            declared = int(request.headers.get("content-length") or 0)
        except ValueError:
            declared = 0
        try:
            if declared > self.settings.max_body_bytes:
                raise _too_large(self.settings.max_body_bytes)
            with db_budget(self.settings.request_db_budget) as budget:
                response = await self.run(request)
            if budget is not None:
                # The database time the request's reads spent (the budget's bound), for clients and reports.
                response.headers["Server-Timing"] = f"db;dur={budget.spent * 1000:.1f}"
        except HTTPException as error:
            response = to_http_response(_refusal(error), media or JSON)
        except ClusterGraphError as error:  # a refusal before any GraphQL runs
            response = to_http_response(error, media or JSON)
        await response(scope, receive, send)

    async def execute_operation(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        request_data: GraphQLRequestData | list[GraphQLRequestData],
        context: Context,
        root_value: None,
        sub_response: Response,
    ) -> ExecutionResult | list[ExecutionResult] | SubscriptionExecutionResult:
        result = await super().execute_operation(
            request, request_adapter, request_data, context, root_value, sub_response
        )
        if not isinstance(result, SubscriptionExecutionResult):
            sub_response.status_code = answer_status(result, sub_response.media_type or JSON)
        return result

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        # Persisted queries (Apollo's protocol) over POST; GET resolved them in CachedGraphQL.
        if request_data.extensions or self.settings.trusted_documents:
            request_data = self._persisted(request_data)
        # The compiled read path first; what it declines goes to graphql-core's executor.
        if self.compiled is not None:
            data = request_data
            answered = await self.compiled.execute(data.query, data.operation_name, data.variables, context)
            if answered is not None:
                return answered
        try:
            return await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        except HTTPException as error:
            # GraphQL over HTTP: a mutation sent with GET is a method the resource refuses.
            if request_adapter.method == "GET" and isinstance(error.__cause__, InvalidOperationTypeError):
                raise MethodNotAllowed("Mutations need POST; GET runs queries only.", "POST") from error
            raise

    def _persisted(self, data: GraphQLRequestData) -> GraphQLRequestData:
        query = resolve(data.query, data.extensions, self.settings.trusted_documents)
        return dataclasses.replace(data, query=query) if query is not data.query else data

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Subscriptions over graphql-transport-ws, within the stream and idle bounds (live/bounds.py)."""

        async def serve() -> None:
            connection = LiveConnection(send, self.settings.live_idle_timeout)
            scope.setdefault("state", {})["live_connection"] = connection
            watchdog = asyncio.create_task(connection.watch_idle())
            try:
                await super(ClusterGraphQL, self).__call__(scope, receive, connection.send)
            finally:
                watchdog.cancel()

        await held_websocket(scope, receive, send, serve, self.websocket_subprotocols)

    async def create_streaming_response(
        self,
        request: Request | WebSocket,
        stream: Callable[[], AsyncIterator[str]],
        sub_response: Response,
        headers: Mapping[str, str],
    ) -> Response:
        """Server-sent events (and any other streamed answer), within the stream bound."""
        return held_stream(
            request.scope, stream, sub_response.status_code or 200, {**sub_response.headers, **headers}
        )

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        context = Context(
            request=request,
            response=response if isinstance(response, Response) else None,
            graph=request.app.state.graph,
            settings=request.app.state.settings,
            live_connection=request.scope.get("state", {}).get("live_connection"),
        )
        await self._identify(context, request.headers.get(CREDENTIAL_HEADER))
        return context

    async def _identify(self, context: Context, authorization: str | None) -> None:
        authenticator: Authenticator = context.request.app.state.authenticator
        context.identity, context.auth_error = None, None
        try:
            context.identity = await authenticator.identify(authorization)
        except (Unauthenticated, GraphUnavailable, QueryTimeout) as error:
            # Kept for the fields that need a credential; public reads still answer.
            context.auth_error = error
        # What the change log records as the writer's role (curation/tx.py), for this request.
        actor_role.set(context.identity.role.value if context.identity else "anonymous")

    async def on_ws_connect(self, context: Context) -> UnsetType:
        """A browser cannot set headers on a WebSocket: it may send its credential in
        connection_init's payload as {"Authorization": "Bearer ..."}."""
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        authorization = params.get("Authorization") or params.get("authorization")
        if isinstance(authorization, str):
            await self._identify(context, authorization)
        return UNSET

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = negotiate(request.headers.get("accept"))
        return sub_response

    async def render_graphql_ide(self, request: Request) -> Response:
        headers = {**HTML_SECURITY_HEADERS, "Content-Security-Policy": self.csp}
        return HTMLResponse(self.ide_html, headers=headers)

    def decode_json(self, data: str | bytes) -> object:
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError as error:
            # orjson refuses invalid UTF-8 (also inside strings) and nesting past its own bound.
            raise RequestError(f"The request body is not valid JSON in UTF-8: {error}.") from None
        _check_depth(value)
        _check_shape(value)
        return value

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        accept = request.headers.get("accept")
        if negotiate(accept) is None and not accepts_event_stream(accept):
            raise NotAcceptable(f"Accept {GRAPHQL_RESPONSE} or {JSON}; the request accepts neither.")
        if request.method == "POST" and not (request.content_type or "").strip():
            raise RequestError("A POST request needs a Content-Type: application/json.")
        try:
            parsed = await super().parse_http_body(request)
        except HTTPException as error:
            if error.reason == "Unsupported content type":
                raise RequestError(
                    f"Unsupported content type {request.content_type!r}: send application/json."
                ) from error
            if error.reason == "Too many operations":
                limit = self.settings.max_batch_operations
                raise QueryTooComplex("batch", None, limit, "the number of batched operations") from error
            raise
        return parsed

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        media = sub_response.media_type or JSON
        status = sub_response.status_code or 200
        if media == GRAPHQL_RESPONSE and not isinstance(response_data, list) and status == 400:
            # A request that could not be executed has no `data` entry at all.
            response_data.pop("data", None)
        response = json_response(response_data, status, media)
        for name, value in sub_response.headers.items():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response


def answer_status(result: ExecutionResult | list[ExecutionResult], media: str) -> int:
    """The HTTP status of a GraphQL answer, from the classes of its errors (`clustergraph.errors`)."""
    results = result if isinstance(result, list) else [result]
    originals = [error.original_error for each in results for error in each.errors or []]
    # Neo4j down: the service's state failed the request, whatever else the answer holds.
    decided = [o.http_status for o in originals if isinstance(o, ClusterGraphError) and o.sets_answer_status]
    if decided:
        return max(decided)
    if isinstance(result, list):
        return 200
    # A request that could not run is the client's fault: 400 in the new media type, and in
    # either one when it broke a bound (legacy JSON otherwise answers 200, as the spec says).
    if _is_request_error(result) and (
        media == GRAPHQL_RESPONSE or any(isinstance(o, QueryTooComplex) for o in originals)
    ):
        return 400
    return 200


def _is_request_error(result: ExecutionResult) -> bool:
    """Errors before execution: no data, and no error belongs to a field."""
    errors = result.errors or []
    return bool(errors) and result.data is None and all(not e.path for e in errors)


def _refusal(error: HTTPException) -> RequestError:
    """Strawberry's own refusals (cross_web's HTTPException) as errors of the tree."""
    if error.status_code == 405:
        return MethodNotAllowed(error.reason, "GET, POST")
    if error.status_code == 404:
        return NotFound(error.reason)
    return RequestError(error.reason)


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The request body is larger than the limit of {limit} bytes.")


def _check_depth(value: object) -> None:
    """Refuse JSON nested deeper than MAX_JSON_DEPTH, walking it without recursion."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise RequestError(f"The request body nests deeper than {MAX_JSON_DEPTH} levels.")
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


def _check_shape(value: object) -> None:
    """A GraphQL request is an object, or (batched) a list of objects, with typed members."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        if not isinstance(item, dict):
            raise RequestError("The request body must be a JSON object (or a list of them).")
        for name, kinds in (
            ("query", str),
            ("operationName", str),
            ("variables", dict),
            ("extensions", dict),
        ):
            if item.get(name) is not None and not isinstance(item[name], kinds):
                kind = "a string" if kinds is str else "an object"
                raise RequestError(f"`{name}` must be {kind} or null.")


def _bounded_body(receive: Receive, limit: int, seconds: float) -> Receive:
    """The body as it arrives, stopped at `limit` bytes (chunked requests declare no length)
    and at `seconds` after the request began (a client sending a byte at a time)."""
    seen = 0
    deadline = asyncio.get_running_loop().time() + seconds

    async def wrapped() -> Message:
        nonlocal seen
        left = deadline - asyncio.get_running_loop().time()
        try:
            message = await asyncio.wait_for(receive(), timeout=max(left, 0))
        except TimeoutError:
            raise RequestTimeout(f"The request body did not arrive within {seconds:g} seconds.") from None
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _too_large(limit)
        return message

    return wrapped


def graphql_app(settings: Settings, **options: Any) -> ClusterGraphQL:
    ide = "graphiql" if settings.graphiql else None
    return ClusterGraphQL(
        build_schema(settings),
        settings,
        graphql_ide=ide,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_SSE_PROTOCOL),
        max_subscriptions_per_connection=settings.live_per_connection,
        connection_init_wait_timeout=timedelta(seconds=10),
        # Pages on partner sites (the CORS allow-list) may open a subscription; other origins may not.
        allowed_origins=settings.cors_origins,
        **options,
    )
