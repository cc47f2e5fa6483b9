"""The HTTP routes of the reconciliation API: /reconcile and its suggest, preview and
propose-properties endpoints. Read-only; GET and POST; answers JSON (preview: HTML).

Every browser origin may call them (OpenRefine runs on the analyst's own machine, on a
port of its own), without credentials: `OpenCors` answers their preflights and marks their
answers, in front of the service's own CORS allow-list, which governs the rest. Errors of the
tree raised here answer through the app's handler (`http.errors.tree_error`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, quote

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clustergraph.errors import PayloadTooLarge
from clustergraph.graph.db import Graph
from clustergraph.reconcile import protocol, service

PREFIX = "/reconcile"
MAX_BODY = 1 << 20
PREVIEW_WIDTH, PREVIEW_HEIGHT = 420, 180
SUGGEST = ("entity", "type", "property")
PATHS = (
    PREFIX,
    *(f"{PREFIX}/suggest/{what}" for what in SUGGEST),
    f"{PREFIX}/preview",
    f"{PREFIX}/extend/propose",
)

# The preview is framed by OpenRefine, wherever it runs: no frame-ancestors, nothing active.
PREVIEW_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def manifest(base: str) -> dict[str, Any]:
    """The service manifest (version 0.2): what OpenRefine reads when the service is added."""
    service_def = {"service_url": base}
    return {
        "versions": ["0.2"],
        "name": "clustergraph: European industrial clusters and cross-border cooperation",
        "identifierSpace": f"{base}/explore?key=",
        "schemaSpace": f"{base}/graphql#kinds",
        "documentation": f"{base}/graphql",
        "view": {"url": f"{base}/explore?key={{{{id}}}}"},
        "preview": {
            "url": f"{base}{PREFIX}/preview?id={{{{id}}}}",
            "width": PREVIEW_WIDTH,
            "height": PREVIEW_HEIGHT,
        },
        "defaultTypes": [{"id": k, "name": k} for k in service.DEFAULT_TYPES],
        "suggest": {what: {**service_def, "service_path": f"{PREFIX}/suggest/{what}"} for what in SUGGEST},
        "extend": {
            "propose_properties": {**service_def, "service_path": f"{PREFIX}/extend/propose"},
            "property_settings": [],
        },
    }


async def _params(request: Request) -> dict[str, Any]:
    """The request's parameters: the query string, and a form or JSON body of a POST."""
    params: dict[str, Any] = dict(request.query_params)
    if request.method != "POST":
        return params
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_BODY:
        raise PayloadTooLarge(f"the body is over {MAX_BODY} bytes")
    body = await request.body()
    if len(body) > MAX_BODY:
        raise PayloadTooLarge(f"the body is over {MAX_BODY} bytes")
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json":
        payload = protocol.parse_json(body.decode("utf-8", "replace"), "The body")
        if isinstance(payload, dict) and ("queries" in payload or "extend" in payload):
            params.update(payload)
        elif isinstance(payload, dict) and "ids" in payload:
            params["extend"] = payload
        else:
            params["queries"] = payload
    elif media in ("application/x-www-form-urlencoded", "") and body:
        # What OpenRefine posts; read here, as Starlette's form parser needs a library more.
        params.update({k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()})
    elif body:
        raise protocol.BadReconcileRequest(
            f"a body of {media!r}: post `queries=` or `extend=` form-encoded, or JSON"
        )
    return params


def _decoded(value: Any, what: str) -> Any:
    return protocol.parse_json(value, f"`{what}`") if isinstance(value, str) else value


async def reconcile(request: Request) -> Response:
    params = await _params(request)
    graph: Graph = request.app.state.graph
    if "queries" in params:
        return JSONResponse(
            await service.reconcile(graph, protocol.batch(_decoded(params["queries"], "queries")))
        )
    if "extend" in params:
        ext = protocol.extension(_decoded(params["extend"], "extend"), tuple(service.EXTEND_PROPERTIES))
        return JSONResponse(await service.extend(graph, ext))
    if "query" in params and isinstance(params["query"], str):
        one = protocol.single(params["query"])
        answer = await service.reconcile(graph, [one])
        return JSONResponse(answer[one.id])
    return JSONResponse(manifest(base_url(request)))


def _kinds(value: str | None) -> tuple[str, ...] | None:
    return protocol._kinds(value, "suggest") if value else None


async def suggest(request: Request) -> Response:
    what = request.path_params["what"]
    params = await _params(request)
    prefix = str(params.get("prefix", ""))[: protocol.MAX_TEXT]
    if what == "entity":
        graph: Graph = request.app.state.graph
        return JSONResponse(await service.suggest_entities(graph, prefix, _kinds(params.get("type"))))
    if what == "type":
        return JSONResponse(service.suggest_types(prefix))
    return JSONResponse(service.suggest_properties(prefix))


async def preview(request: Request) -> Response:
    key = request.query_params.get("id", "").strip()
    if not key:
        raise protocol.BadReconcileRequest("`id` names the entity to preview")
    explore = f"{base_url(request)}/explore?key={quote(key, safe=':')}"
    page = await service.preview(request.app.state.graph, key[: protocol.MAX_TEXT], explore)
    return HTMLResponse(page, headers=PREVIEW_HEADERS)


async def propose(request: Request) -> Response:
    kind, limit = request.query_params.get("type"), request.query_params.get("limit")
    kinds = _kinds(kind)
    if limit is not None and not (limit.isdigit() and int(limit) > 0):
        raise protocol.BadReconcileRequest("`limit` must be a positive whole number")
    return JSONResponse(
        service.propose_properties(kinds[0] if kinds else None, int(limit) if limit else None)
    )


def routes() -> list[Route]:
    methods = ["GET", "POST"]
    return [
        Route(PREFIX, reconcile, methods=methods),
        Route(PREFIX + "/suggest/{what:str}", suggest, methods=methods),
        Route(PREFIX + "/preview", preview, methods=["GET"]),
        Route(PREFIX + "/extend/propose", propose, methods=["GET"]),
    ]


class OpenCors:
    """ASGI middleware: the reconciliation paths answer every origin, without credentials."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await Response(status_code=204, headers=_preflight())(scope, receive, send)
            return

        async def marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                out["Access-Control-Allow-Origin"] = "*"
                if "access-control-allow-credentials" in out:
                    del out["access-control-allow-credentials"]
            await send(message)

        await self.app(scope, receive, marked)


def _preflight() -> dict[str, str]:
    return {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, POST",
        "Access-Control-Allow-Headers": "Content-Type",
        "Access-Control-Max-Age": "600",
    }
