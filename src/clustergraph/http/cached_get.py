"""GraphQL over GET, cacheable: persisted documents, `ETag`, `Cache-Control` and 304s.

A GET answer depends only on the request (document, variables, operation) and on the
graph's data, so its ETag is a hash of those with the graph's version (a token every
write changes). A request whose `If-None-Match` names the current ETag is answered 304
after one tiny read, without running the query. Only answers without errors are
tagged: a timeout or an outage must not be revalidated into a lasting answer.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import urlencode

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clustergraph.errors import to_http_response
from clustergraph.graph import version as graph_version
from clustergraph.graph.db import BadBookmark, GraphUnavailable, QueryTimeout
from clustergraph.http.media import is_event_stream, negotiate
from clustergraph.http.persisted import PersistedQueryError, requested_hash, resolve
from clustergraph.settings import Settings


def cache_control(settings: Settings) -> str:
    # max-age 0 (the default): caches keep the answer but ask again every time, and a
    # 304 makes asking cheap; a positive max-age trades freshness after a write for fewer requests.
    if settings.cache_max_age <= 0:
        return "public, no-cache"
    return f"public, max-age={settings.cache_max_age}"


def etag_of(version: str, params: QueryParams, media: str | None) -> str:
    """One tag per answer: the request, the graph's version and the media type answered in."""
    request = json.dumps(
        [params.get("query"), params.get("variables"), params.get("operationName"), media], ensure_ascii=False
    )
    return '"' + hashlib.sha256(f"{version}\n{request}".encode()).hexdigest()[:40] + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether the client holds this very answer. `*` is not taken: it would revalidate any
    request, a failing one included, into a 304 without the query ever running."""
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in tags


def _with_document(scope: Scope, params: QueryParams, document: str) -> Scope:
    items = [(k, v) for k, v in params.multi_items() if k not in ("query", "extensions")]
    query_string = urlencode([("query", document), *items]).encode()
    return {**scope, "query_string": query_string}


def _succeeded(body: bytes) -> bool:
    try:
        return not json.loads(body).get("errors")
    except (ValueError, AttributeError):
        return False


class CachedGraphQL:
    """Wraps the GraphQL ASGI app; POSTs and the GraphiQL page pass through untouched."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_event_stream(scope):
            # WebSockets and event streams (subscriptions) are live, never cached.
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        params = request.query_params
        if request.method != "GET" or not ({"query", "extensions"} & set(params)):
            await self.app(scope, receive, send)
            return
        try:
            extensions = params.get("extensions")
            document = resolve(params.get("query"), extensions, self.settings.trusted_documents)
            if requested_hash(extensions) is not None and document is not None:
                scope = _with_document(scope, params, document)
                params = QueryParams(scope["query_string"])
        except PersistedQueryError as error:
            await to_http_response(error)(scope, receive, send)
            return
        await self._answer(scope, receive, send, params)

    async def _answer(self, scope: Scope, receive: Receive, send: Send, params: QueryParams) -> None:
        try:
            version = await graph_version.current(scope["app"].state.graph)
        except (BadBookmark, GraphUnavailable, QueryTimeout) as error:
            await to_http_response(error)(scope, receive, send)
            return
        request = Request(scope)
        etag = etag_of(version, params, negotiate(request.headers.get("accept")))
        # The answer differs by Accept (its media type), so caches must key on it too.
        headers = {"ETag": etag, "Cache-Control": cache_control(self.settings), "Vary": "Accept"}
        if matches(request.headers.get("if-none-match"), etag):
            await Response(status_code=304, headers=headers)(scope, receive, send)
            return
        await self._tagged(scope, receive, send, headers)

    async def _tagged(self, scope: Scope, receive: Receive, send: Send, headers: dict[str, str]) -> None:
        """Run the query, holding its (small) answer back to tag it only when it succeeded."""
        messages: list[Message] = []

        async def hold(message: Message) -> None:
            messages.append(message)

        await self.app(scope, receive, hold)
        start, body = messages[0], b"".join(m.get("body", b"") for m in messages[1:])
        if start["status"] == 200 and _succeeded(body):
            start["headers"] = [
                *start["headers"],
                *((k.lower().encode(), v.encode()) for k, v in headers.items()),
            ]
        else:
            start["headers"] = [*start["headers"], (b"cache-control", b"no-store")]
        await send(start)
        await send({"type": "http.response.body", "body": body})
