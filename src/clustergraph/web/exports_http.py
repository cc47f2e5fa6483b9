"""HTTP endpoints for the exports: `/export/{format}`, the whole graph or (with `key`) a neighbourhood.

`format` is one of graphml, gexf, cyjs, nodes.csv, edges.csv; the answer is a download
(`Content-Disposition: attachment`) with the format's media type. A neighbourhood is
bounded by `depth` and `limit` (nodes), and says in `X-Truncated` whether `limit` cut
it; the whole graph is streamed from Neo4j.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from clustergraph.cypher import export as cypher
from clustergraph.db import Graph, GraphUnavailable, QueryTimeout
from clustergraph.exports import FILE_TYPES, Format, GraphBuilder, write
from clustergraph.settings import Settings


class BadExport(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


async def export(request: Request) -> Response:
    graph: Graph = request.app.state.graph
    settings: Settings = request.app.state.settings
    try:
        fmt = _format(request.path_params["format"])
        key = request.query_params.get("key")
        headers = {}
        if key:
            depth, limit = _bounds(request, settings)
            builder, truncated = await _neighbourhood(graph, key, depth, limit)
            name = f"clustergraph-{_slug(key)}-depth{depth}"
            # Whether `limit` left out entities within `depth`, as the GraphQL field says.
            headers["X-Truncated"] = "true" if truncated else "false"
        else:
            builder = await _whole_graph(graph)
            name = "clustergraph"
    except BadExport as error:
        return JSONResponse({"error": str(error)}, error.status)
    except (GraphUnavailable, QueryTimeout):
        return JSONResponse({"error": "The graph database is unavailable; try again shortly."}, 503)
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
        raise BadExport(404, f"no export format {value!r}; known: {known}") from None


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
        raise BadExport(400, f"`{name}` must be a whole number from 1 to {most}")
    return int(text)


def _slug(key: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")[:80]


async def _neighbourhood(graph: Graph, key: str, depth: int, limit: int) -> tuple[GraphBuilder, bool]:
    rows = await graph.read(cypher.neighbourhood(depth), {"key": key, "limit": limit})
    if not rows[0]["found"]:
        raise BadExport(404, f"no entity has the key {key!r}")
    builder = GraphBuilder()
    for node in rows[0]["nodes"]:
        builder.add_node(node)
    for edge in rows[0]["edges"]:
        builder.add_edge(edge)
    return builder, bool(rows[0]["truncated"])


async def _whole_graph(graph: Graph) -> GraphBuilder:
    builder = GraphBuilder()
    async for node in graph.stream(cypher.ALL_NODES):
        builder.add_node(node)
    async for edge in graph.stream(cypher.ALL_EDGES):
        builder.add_edge(edge)
    return builder
