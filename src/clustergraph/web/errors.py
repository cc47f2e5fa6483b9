"""Refusals of the routes beside GraphQL, in GraphQL's own error shape.

`{"errors": [{"message": ..., "extensions": {"code": ...}}]}` is what `/graphql`, the rate
limiter and the last-resort handler answer; the exports, the pages' assets and Starlette's
own 404 and 405 (an unknown path, a method a route does not take) answer it too, so a
client reads one shape, with a code, whatever it asked for.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from clustergraph.api.http import HTTP_CODES, error_body

NOT_FOUND = HTTP_CODES[404]


def error_response(
    status: int, message: str, code: str | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(error_body(message, code or HTTP_CODES.get(status, "BAD_REQUEST")), status, headers)


async def http_error(request: Request, error: Exception) -> Response:
    """Starlette's HTTPException (its router's 404 and 405) as a coded JSON error."""
    assert isinstance(error, HTTPException)
    status, headers = error.status_code, dict(error.headers or {})
    if status == 404:
        message = f"Nothing is served at {request.url.path!r}; the API is at /graphql."
    elif status == 405:
        allowed = headers.get("Allow") or headers.get("allow") or ""
        message = f"{request.method} is not a method {request.url.path!r} takes (it takes {allowed})."
    else:
        message = error.detail
    return error_response(status, message, headers=headers)
