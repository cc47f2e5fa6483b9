"""Content negotiation of GraphQL over HTTP: which media type a response is sent as.

`application/graphql-response+json` lets status codes carry meaning (400 for a request
that cannot be executed); legacy `application/json` answers such requests with 200.
"""

from __future__ import annotations

from starlette.types import Scope

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


def negotiate(accept: str | None) -> str | None:
    """The media type to answer with, or None when the client accepts neither."""
    if not accept or not accept.strip():
        return JSON  # the spec's advice for clients that say nothing
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        media = media.strip().lower()
        quality = _quality(params)
        if quality <= 0:
            continue
        chosen = _supported(media)
        if chosen is None:
            continue
        # Highest quality wins; on a tie, the one the client named first.
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
    """Whether a request asks for server-sent events (GraphQL over SSE: a subscription)."""
    return any(part.split(";", 1)[0].strip().lower() == EVENT_STREAM for part in (accept or "").split(","))


def is_event_stream(scope: Scope) -> bool:
    accept = next((value for name, value in scope.get("headers") or [] if name == b"accept"), b"")
    return accepts_event_stream(accept.decode("latin-1"))
