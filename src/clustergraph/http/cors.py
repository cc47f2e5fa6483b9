"""Which other sites may use the service from a browser: the allow-list in the settings.

The same list governs both ways a partner page embeds the widget: calling the API from
script (CORS) and framing the embed page (CSP `frame-ancestors`).
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from clustergraph.settings import Settings


def cors_middleware(settings: Settings) -> Middleware:
    # A disallowed origin gets answers without Access-Control-Allow-Origin (so its page
    # cannot read them) and a 400 to its preflights.
    return Middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type", "If-None-Match", "Clustergraph-Bookmark"],
        expose_headers=["ETag", "Content-Disposition", "X-Truncated"],
        max_age=600,
    )


def frame_ancestors(settings: Settings) -> str:
    """The sources of CSP's `frame-ancestors`: the pages that may frame the embed page."""
    if "*" in settings.cors_origins:
        return "*"
    return " ".join(["'self'", *settings.cors_origins])
