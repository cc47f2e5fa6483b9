"""Starlette's own refusals and the last resort, as errors of the tree (`clustergraph.errors`).

The router's 404 (an unknown path) and 405 (a method a route does not take), an error of the
tree a route raises, and whatever else escaped every route answer the one error shape with a
code, like every other refusal.
"""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from clustergraph.errors import (
    INTERNAL_MESSAGE,
    ClusterGraphError,
    MethodNotAllowed,
    NotFound,
    RequestError,
    to_http_response,
)

log = logging.getLogger("clustergraph.errors")


async def http_error(request: Request, error: Exception) -> Response:
    """Starlette's HTTPException (its router's 404 and 405) as a coded JSON error."""
    assert isinstance(error, HTTPException)
    status, headers = error.status_code, dict(error.headers or {})
    refusal: RequestError
    if status == 404:
        refusal = NotFound(f"Nothing is served at {request.url.path!r}; the API is at /graphql.")
    elif status == 405:
        allowed = headers.get("Allow") or headers.get("allow") or ""
        refusal = MethodNotAllowed(
            f"{request.method} is not a method {request.url.path!r} takes (it takes {allowed}).", allowed
        )
    else:
        refusal = RequestError(error.detail)
    return to_http_response(refusal)


async def tree_error(request: Request, error: Exception) -> Response:
    """An error of the tree that a route raised: its own status and code, in the one shape."""
    assert isinstance(error, ClusterGraphError)
    return to_http_response(error)


async def internal_error(request: Request, error: Exception) -> Response:
    """The last resort: whatever escaped every route still answers JSON with a code, no trace."""
    log.error("unhandled error on %s", request.url.path, exc_info=error)
    return to_http_response(ClusterGraphError(INTERNAL_MESSAGE))
