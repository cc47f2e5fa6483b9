"""Accept negotiation (GraphQL over HTTP): the client's order and q-values decide."""

from __future__ import annotations

import pytest

from clustergraph.http.media import (
    GRAPHQL_RESPONSE,
    JSON,
    NegotiatedSSETransport,
    negotiate,
    prefers_event_stream,
)

URQL_QUERY = "application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed"
URQL_SUBSCRIPTION = "text/event-stream, multipart/mixed"


@pytest.mark.parametrize(
    ("accept", "media", "stream"),
    [
        (None, JSON, False),
        ("", JSON, False),
        ("*/*", JSON, False),
        (URQL_QUERY, GRAPHQL_RESPONSE, False),
        (URQL_SUBSCRIPTION, None, True),
        ("text/event-stream", None, True),
        ("application/json, text/event-stream", JSON, False),
        ("application/json;q=0.5, text/event-stream", JSON, True),
        ("text/event-stream;q=0.9, application/graphql-response+json", GRAPHQL_RESPONSE, False),
        ("application/json;q=0.4, application/graphql-response+json;q=0.8", GRAPHQL_RESPONSE, False),
        ("application/json;q=0, text/html", None, False),
        ("text/event-stream;q=0", None, False),
    ],
)
def test_negotiation_follows_order_and_quality(accept: str | None, media: str | None, stream: bool) -> None:
    assert negotiate(accept) == media
    assert prefers_event_stream(accept) is stream


def test_event_stream_lines_end_with_lf() -> None:
    transport = NegotiatedSSETransport()
    event = transport.encode_event("next", '{"data":{}}')
    assert event == 'event: next\ndata: {"data":{}}\n\n'
    assert "\r" not in transport.encode_comment("ping")
