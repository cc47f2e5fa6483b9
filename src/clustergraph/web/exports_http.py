"""HTTP endpoints for the exports: `/export/{format}`, the whole graph or (with `key`) a neighbourhood.

`format` is one of graphml, gexf, cyjs, nodes.csv, edges.csv; the answer is a download
(`Content-Disposition: attachment`) with the format's media type. A neighbourhood is
bounded by `depth` and `limit` (nodes), and says in `X-Truncated` whether `limit` cut
it; the whole graph is streamed from Neo4j. A POST exports the view it carries (what the
explorer shows, with positions, colours and sizes: `clustergraph.exporting.view`).
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from clustergraph.cypher import export as cypher
from clustergraph.errors import BadUserInput, NotFound, PayloadTooLarge, to_http_response
from clustergraph.exporting.formats import FILE_TYPES, Format, GraphBuilder, place, write
from clustergraph.exporting.view import View, parse_view
from clustergraph.graph.db import Graph, GraphUnavailable, QueryTimeout
from clustergraph.settings import Settings

# A posted view of the largest size is about 150 bytes a node and 60 an edge.
MAX_VIEW_BYTES = 4_000_000


async def export(request: Request) -> Response:
    graph: Graph = request.app.state.graph
    settings: Settings = request.app.state.settings
    try:
        fmt = _format(request.path_params["format"])
        key = request.query_params.get("key")
        headers = {}
        if request.method == "POST":
            builder = await _view(graph, await _posted_view(request, settings))
            name = "clustergraph-view"
        elif key:
            depth, limit = _bounds(request, settings)
            builder, truncated = await _neighbourhood(graph, key, depth, limit)
            name = f"clustergraph-{_slug(key)}-depth{depth}"
            # Whether `limit` left out entities within `depth`, as the GraphQL field says.
            headers["X-Truncated"] = "true" if truncated else "false"
        else:
            builder = await _whole_graph(graph)
            name = "clustergraph"
    except (BadUserInput, NotFound, PayloadTooLarge, GraphUnavailable, QueryTimeout) as error:
        return to_http_response(error)
    file_type = FILE_TYPES[fmt]
    return StreamingResponse(
        write(builder.graph, fmt),
        media_type=file_type.media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}.{file_type.extension}"', **headers},
    )


def _format(value: str) -> Format:
    try:
        return Format(value)
    except ValueError:
        known = ", ".join(f.value for f in Format)
        raise NotFound(f"no export format {value!r}; known: {known}") from None


def _bounds(request: Request, settings: Settings) -> tuple[int, int]:
    depth = _int(request, "depth", 1, settings.max_export_depth)
    limit = _int(request, "limit", settings.max_export_nodes, settings.max_export_nodes)
    return depth, limit


def _int(request: Request, name: str, default: int, most: int) -> int:
    text = request.query_params.get(name)
    if text is None:
        return default
    # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
    if not re.fullmatch(r"[0-9]{1,6}", text) or not 1 <= int(text) <= most:
        raise BadUserInput(f"`{name}` must be a whole number from 1 to {most}", name)
    return int(text)


def _slug(key: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")[:80]


async def _neighbourhood(graph: Graph, key: str, depth: int, limit: int) -> tuple[GraphBuilder, bool]:
    rows = await graph.read(cypher.neighbourhood(depth), {"key": key, "limit": limit})
    if not rows[0]["found"]:
        raise NotFound(f"no entity has the key {key!r}")
    builder = GraphBuilder()
    for node in rows[0]["nodes"]:
        builder.add_node(node)
    for edge in rows[0]["edges"]:
        builder.add_edge(edge)
    return builder, bool(rows[0]["truncated"])


async def _posted_view(request: Request, settings: Settings) -> View:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_VIEW_BYTES:
        raise PayloadTooLarge(f"a posted view is at most {MAX_VIEW_BYTES} bytes")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_VIEW_BYTES:
            raise PayloadTooLarge(f"a posted view is at most {MAX_VIEW_BYTES} bytes")
    return parse_view(body, settings.max_export_nodes)


async def _view(graph: Graph, view: View) -> GraphBuilder:
    placements = view.placements()
    params = {"keys": list(placements), "ids": view.edges}
    builder = GraphBuilder()
    for node in await graph.read(cypher.VIEW_NODES, params):
        builder.add_node(node)
    for edge in await graph.read(cypher.VIEW_EDGES, params):
        builder.add_edge(edge)
    place(builder.graph, placements)
    return builder


async def _whole_graph(graph: Graph) -> GraphBuilder:
    builder = GraphBuilder()
    async for node in graph.stream(cypher.ALL_NODES):
        builder.add_node(node)
    async for edge in graph.stream(cypher.ALL_EDGES):
        builder.add_edge(edge)
    return builder
