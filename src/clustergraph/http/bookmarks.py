"""Read-your-writes across replicas: the `Clustergraph-Bookmark` request header.

Every mutation's answer carries the bookmark of its last transaction in
`extensions.bookmark`. A request that sends that value back in the header is served
only once the Neo4j server it reads from holds at least that state, whichever replica
of the service (and whichever Neo4j reader) answers it. Without the header, a request
reads whatever its server holds now.
"""

from __future__ import annotations

import re

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from clustergraph.errors import BadBookmark, to_http_response
from clustergraph.graph.db import causal_chain

BOOKMARK_HEADER = "clustergraph-bookmark"
# Neo4j's bookmarks are short base64-like tokens; anything else is refused before Bolt sees it.
_TOKEN = re.compile(r"[A-Za-z0-9:+/=_.-]{1,256}")
MAX_BOOKMARKS = 16


def parse_bookmarks(value: str | None) -> list[str]:
    """The comma-separated bookmarks of a header value (none for a missing or empty one)."""
    tokens = [token.strip() for token in (value or "").split(",") if token.strip()]
    if len(tokens) > MAX_BOOKMARKS:
        raise BadBookmark(f"Bad Clustergraph-Bookmark header: at most {MAX_BOOKMARKS} bookmarks may be sent.")
    for token in tokens:
        if not _TOKEN.fullmatch(token):
            raise BadBookmark(
                "Bad Clustergraph-Bookmark header: a bookmark is the value of a mutation's "
                "extensions.bookmark, unchanged."
            )
    return tokens


class Bookmarks:
    """ASGI middleware: chains every Neo4j query of a request after the bookmarks it sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            initial = parse_bookmarks(Headers(scope=scope).get(BOOKMARK_HEADER))
        except BadBookmark as error:
            await to_http_response(error)(scope, receive, send)
            return
        with causal_chain(initial):
            await self.app(scope, receive, send)
