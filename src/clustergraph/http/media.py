"""Content negotiation of GraphQL over HTTP: which media type a response is sent as.

`application/graphql-response+json` lets status codes carry meaning (400 for a request
that cannot be executed); legacy `application/json` answers such requests with 200.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import Scope
from strawberry.http.streaming import SSETransport

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


def negotiate(accept: str | None) -> str | None:
    """The JSON media type to answer with, or None when the client accepts neither."""
    return _best(accept, _supported)


def _best(accept: str | None, supported: Callable[[str], str | None]) -> str | None:
    """The client's preferred supported type: highest q-value, then the first named (RFC 9110)."""
    if not accept or not accept.strip():
        return supported("*/*")  # the spec's advice for clients that say nothing
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        quality = _quality(params)
        if quality <= 0:
            continue
        chosen = supported(media.strip().lower())
        if chosen is None:
            continue
        candidate = (quality, -position, chosen)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best else None


def _supported(media: str) -> str | None:
    if media == GRAPHQL_RESPONSE:
        return GRAPHQL_RESPONSE
    if media in (JSON, "application/*", "*/*"):
        return JSON
    return None


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


EVENT_STREAM = "text/event-stream"


def accepts_event_stream(accept: str | None) -> bool:
    """Whether a request accepts server-sent events at all."""
    return any(part.split(";", 1)[0].strip().lower() == EVENT_STREAM for part in (accept or "").split(","))


def prefers_event_stream(accept: str | None) -> bool:
    """Whether server-sent events are what the client prefers (GraphQL over SSE).

    urql lists `text/event-stream` after the JSON types for plain queries, and first for
    subscriptions: a query is answered as JSON unless the stream ranks above both."""
    return bool(accept) and _best(accept, _streamable) == EVENT_STREAM


def _streamable(media: str) -> str | None:
    if media == EVENT_STREAM:
        return EVENT_STREAM
    return _supported(media) if media not in ("*/*", "text/*") else None


def is_event_stream(scope: Scope) -> bool:
    accept = next((value for name, value in scope.get("headers") or [] if name == b"accept"), b"")
    return prefers_event_stream(accept.decode("latin-1"))


class NegotiatedSSETransport(SSETransport):
    """GraphQL over SSE, chosen by the client's preference rather than by the mere mention
    of `text/event-stream`, with lines ending in LF: the EventSource grammar allows CRLF,
    but urql's stream reader splits events on LF alone."""

    def accepts(self, accept: str) -> bool:
        return prefers_event_stream(accept)

    def encode_event(self, event: str, data: str | None = None) -> str:
        return super().encode_event(event, data).replace("\r\n", "\n")

    def encode_comment(self, comment: str) -> str:
        return f": {comment}\n\n"
