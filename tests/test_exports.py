"""Exports for visualisation tools: each file, read back with networkx, is the graph it claims to be."""

from __future__ import annotations

import io
import json
from typing import Any

import httpx
import networkx as nx
import pandas as pd
import pytest

from clustergraph.graph.db import Graph
from clustergraph.web.exports_http import MAX_VIEW_BYTES
from tests.support import refusal

# The test's own reading of the graph, independent of cypher/export.py.
NODES = """
MATCH (n:Entity) WHERE NOT n:Source
RETURN n.key AS key, [l IN labels(n) WHERE l <> 'Entity'][0] AS kind, properties(n) AS props
"""
EDGES = """
MATCH (a:Entity)-[r]->(b:Entity) WHERE NOT type(r) IN ['SOURCED_FROM', 'CLAIMS']
RETURN a.key AS from, b.key AS to, type(r) AS type, properties(r) AS props
"""
FILE_TYPES = {
    "graphml": ("application/graphml+xml", "graphml"),
    "gexf": ("application/gexf+xml", "gexf"),
    "cyjs": ("application/json", "cyjs.json"),
    "nodes.csv": ("text/csv; charset=utf-8", "nodes.csv"),
    "edges.csv": ("text/csv; charset=utf-8", "edges.csv"),
}
# What the readers add of their own (ids, keys, Cytoscape's bookkeeping), left out of the comparison.
READER_FIELDS = {"id", "value", "key", "source", "target"}

Attrs = dict[str, Any]
Edge = tuple[str, str, str]


def _value(value: Any, textual: bool) -> Any:
    """A value as a format without lists (and, for CSV, without types) keeps it."""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value) if textual else value


async def expected(graph: Graph) -> tuple[dict[str, Attrs], list[tuple[Edge, Attrs]]]:
    nodes = {}
    for row in await graph.read(NODES):
        props = {k: v for k, v in row["props"].items() if k not in ("key", "searchText")}
        nodes[row["key"]] = {"kind": row["kind"], "label": props["name"], **props}
    edges = [
        ((r["from"], r["to"], r["type"]), {"relationship": r["type"], "label": r["type"], **r["props"]})
        for r in await graph.read(EDGES)
    ]
    return nodes, edges


def comparable(nodes: dict[str, Attrs], edges: list[tuple[Edge, Attrs]], flat: bool, textual: bool) -> Any:
    def clean(attrs: Attrs) -> Attrs:
        return {
            k: _value(v, textual) if flat else v
            for k, v in attrs.items()
            if k not in READER_FIELDS and v is not None and v != ""
        }

    return (
        {key: clean(attrs) for key, attrs in nodes.items()},
        sorted((edge, sorted(clean(attrs).items())) for edge, attrs in edges),
    )


def read_back(files: dict[str, bytes], fmt: str) -> nx.MultiDiGraph:  # type: ignore[type-arg]
    if fmt == "graphml":
        return nx.read_graphml(io.BytesIO(files[fmt]), force_multigraph=True)
    if fmt == "gexf":
        return nx.read_gexf(io.BytesIO(files[fmt]))
    if fmt == "cyjs":
        return nx.cytoscape_graph(json.loads(files[fmt]))
    nodes = pd.read_csv(io.BytesIO(files["nodes.csv"]), dtype=str, keep_default_na=False)
    edges = pd.read_csv(io.BytesIO(files["edges.csv"]), dtype=str, keep_default_na=False)
    read = nx.from_pandas_edgelist(edges, edge_attr=True, create_using=nx.MultiDiGraph, edge_key="key")
    read.add_nodes_from((row.pop("id"), row) for row in nodes.to_dict("records"))
    return read


def as_found(read: nx.MultiDiGraph) -> tuple[dict[str, Attrs], list[tuple[Edge, Attrs]]]:  # type: ignore[type-arg]
    nodes = {str(n): dict(data) for n, data in read.nodes(data=True)}
    edges = [((str(u), str(v), data["relationship"]), dict(data)) for u, v, data in read.edges(data=True)]
    return nodes, edges


async def download(http: httpx.AsyncClient, fmt: str, **params: Any) -> httpx.Response:
    response = await http.get(f"/export/{fmt}", params=params)
    assert response.status_code == 200, response.text
    return response


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "cyjs", "csv"])
async def test_the_whole_graph_survives_the_round_trip(
    http: httpx.AsyncClient, graph: Graph, fmt: str
) -> None:
    names = ["nodes.csv", "edges.csv"] if fmt == "csv" else [fmt]
    files = {}
    for name in names:
        response = await download(http, name)
        media_type, extension = FILE_TYPES[name]
        assert response.headers["content-type"] == media_type
        assert response.headers["content-disposition"] == f'attachment; filename="clustergraph.{extension}"'
        files[name] = response.content
    if fmt == "gexf":
        # Edges carry their id, and no column of networkx's own bookkeeping.
        assert b"networkx_key" not in files["gexf"]
    nodes, edges = await expected(graph)
    flat, textual = fmt != "cyjs", fmt == "csv"
    assert len(nodes) > 50 and len(edges) > 100
    assert comparable(*as_found(read_back(files, fmt)), flat, textual) == comparable(
        nodes, edges, flat, textual
    )


async def test_a_neighbourhood_export_is_the_neighbourhood_the_api_gives(
    http: httpx.AsyncClient, gql: Any, graph: Graph
) -> None:
    key = "cluster:euroregion-beskidy"
    answer = await gql(
        "query($key: String!) { neighbourhood(key: $key, depth: 2, limit: 500) "
        "{ nodes { key } edges { type from to } } }",
        {"key": key},
    )
    hood = answer["data"]["neighbourhood"]
    response = await download(http, "graphml", key=key, depth=2)
    assert response.headers["content-disposition"] == (
        'attachment; filename="clustergraph-cluster-euroregion-beskidy-depth2.graphml"'
    )
    assert response.headers["x-truncated"] == "false"
    read = nx.read_graphml(io.BytesIO(response.content), force_multigraph=True)
    assert set(read.nodes) == {n["key"] for n in hood["nodes"]}
    assert sorted((u, v, d["relationship"]) for u, v, d in read.edges(data=True)) == sorted(
        (e["from"], e["to"], e["type"]) for e in hood["edges"]
    )
    nodes, _ = await expected(graph)
    assert read.nodes[key]["country"] == "PL" and read.nodes[key]["kind"] == "Cluster"
    assert read.nodes[key]["names"] == json.dumps(nodes[key]["names"], ensure_ascii=False)


async def test_a_neighbourhood_export_is_bounded_by_its_limit(http: httpx.AsyncClient) -> None:
    response = await download(http, "cyjs", key="project:clusters-cord", depth=2, limit=5)
    read = nx.cytoscape_graph(response.json())
    assert response.headers["x-truncated"] == "true"
    assert read.number_of_nodes() == 5
    assert "project:clusters-cord" in read


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/export/pdf", 404, "no export format 'pdf'"),
        ("/export/graphml?key=cluster:nowhere", 404, "no entity has the key 'cluster:nowhere'"),
        ("/export/graphml?key=cluster:euroregion-beskidy&depth=9", 400, "`depth` must be"),
        ("/export/gexf?key=cluster:euroregion-beskidy&limit=0", 400, "`limit` must be"),
        # A superscript two is a digit to str.isdigit(), not to int(): it was a 500.
        ("/export/graphml?key=cluster:euroregion-beskidy&depth=%C2%B2", 400, "`depth` must be"),
    ],
)
async def test_bad_export_requests_say_what_was_wrong(
    http: httpx.AsyncClient, path: str, status: int, message: str
) -> None:
    response = await http.get(path)
    assert response.status_code == status
    error = refusal(response, "NOT_FOUND" if status == 404 else "BAD_USER_INPUT")
    assert message in error["message"]


async def test_a_posted_view_exports_just_those_nodes_and_edges_where_they_were_drawn(
    http: httpx.AsyncClient, gql: Any
) -> None:
    answer = await gql(
        'query { neighbourhood(key: "project:clusters-cord", depth: 1, limit: 4) { edges { id from to } } }'
    )
    edge = answer["data"]["neighbourhood"]["edges"][0]
    view = {
        "nodes": [
            {"key": edge["from"], "x": 10.5, "y": -20.0, "colour": "#6666ee", "size": 26},
            {"key": edge["to"], "x": 200.0, "y": 40.25, "colour": "#44aa66", "size": 38},
            {"key": "cluster:euroregion-beskidy", "x": 0, "y": 0, "colour": "#6666ee", "size": 26},
        ],
        "edges": [edge["id"]],
    }
    response = await http.post("/export/gexf", json=view)
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == 'attachment; filename="clustergraph-view.gexf"'
    read = nx.read_gexf(io.BytesIO(response.content))
    assert set(read.nodes) == {n["key"] for n in view["nodes"]}
    assert [(u, v) for u, v in read.edges()] == [(edge["from"], edge["to"])]
    viz = read.nodes[edge["to"]]["viz"]
    assert viz["position"]["x"] == 200.0 and viz["position"]["y"] == -40.25
    assert (viz["color"]["r"], viz["color"]["g"], viz["color"]["b"], viz["size"]) == (0x44, 0xAA, 0x66, 38)

    graphml = nx.read_graphml(io.BytesIO((await http.post("/export/graphml", json=view)).content))
    drawn = graphml.nodes[edge["from"]]
    assert drawn["x"] == 10.5 and drawn["color"] == "#6666ee"
    # Gephi's GraphML importer reads `r`, `g`, `b` (or `color`), not `colour`.
    assert (drawn["r"], drawn["g"], drawn["b"]) == (0x66, 0x66, 0xEE) and "colour" not in drawn
    # Exports without a view carry no drawing attributes.
    plain = nx.read_graphml(io.BytesIO((await download(http, "graphml", key=edge["from"])).content))
    assert "x" not in plain.nodes[edge["from"]]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "the view is not valid JSON"),
        (b'{"nodes": []}', "nodes"),
        (b'{"nodes": [{"key": "a", "x": 0, "y": 0, "colour": "red", "size": 5}]}', "colour"),
        (b'{"nodes": [{"key": "a", "x": 1e999, "y": 0, "colour": "#000000", "size": 5}]}', "x"),
    ],
)
async def test_a_bad_view_says_what_was_wrong(http: httpx.AsyncClient, body: bytes, message: str) -> None:
    response = await http.post("/export/cyjs", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert message in refusal(response, "BAD_USER_INPUT")["message"]


async def test_a_view_over_the_bound_is_413_in_the_one_error_shape(http: httpx.AsyncClient) -> None:
    body = b" " * (MAX_VIEW_BYTES + 1)
    response = await http.post("/export/cyjs", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert f"at most {MAX_VIEW_BYTES} bytes" in refusal(response, "PAYLOAD_TOO_LARGE")["message"]
