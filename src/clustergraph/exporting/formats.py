"""The graph for visualisation tools: a networkx graph, written by networkx's own writers.

Nodes are keyed by entity key and carry `kind`, `label` (the name, what Gephi and yEd
show) and every property of the entity; edges carry `relationship` (the type: GEXF
reserves `type`), `label` (the type again) and every property of the relationship.
GraphML, GEXF and CSV have no list type, so list values (names, aliases, sources,
topics) are written there as JSON text; Cytoscape.js JSON keeps them as lists.

A view exported from the explorer also carries each node's place, colour and size as drawn
(`place`): GraphML and CSV as the attributes `x`, `y`, `size`, `color` (`#rrggbb`) and
`r`, `g`, `b` (0-255; what Gephi's GraphML importer colours nodes by); GEXF as
`viz:position`, `viz:color` and `viz:size` (y flipped: Gephi's y axis points up); Cytoscape
JSON as each node's `position` and a `style` that draws `color` and `size`.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeAlias

import networkx as nx
import pandas as pd

# Nodes are entity keys.
Network: TypeAlias = "nx.MultiDiGraph[str]"


class Format(StrEnum):
    GRAPHML = "graphml"
    GEXF = "gexf"
    CYTOSCAPE = "cyjs"
    NODES_CSV = "nodes.csv"
    EDGES_CSV = "edges.csv"


@dataclass(frozen=True)
class FileType:
    media_type: str
    extension: str


FILE_TYPES: dict[Format, FileType] = {
    Format.GRAPHML: FileType("application/graphml+xml", "graphml"),
    Format.GEXF: FileType("application/gexf+xml", "gexf"),
    Format.CYTOSCAPE: FileType("application/json", "cyjs.json"),
    Format.NODES_CSV: FileType("text/csv; charset=utf-8", "nodes.csv"),
    Format.EDGES_CSV: FileType("text/csv; charset=utf-8", "edges.csv"),
}


def node_attributes(kind: str, props: Iterable[list[Any]]) -> dict[str, Any]:
    attributes = {"kind": kind, **{name: value for name, value in props if value is not None}}
    attributes["label"] = attributes.get("name", "")
    return attributes


def edge_attributes(rel_type: str, props: Iterable[list[Any]]) -> dict[str, Any]:
    return {
        "relationship": rel_type,
        "label": rel_type,
        **{name: value for name, value in props if value is not None},
    }


class GraphBuilder:
    """Collects node and edge rows (as `cypher/export.py` returns them) into a MultiDiGraph."""

    def __init__(self) -> None:
        self.graph: Network = nx.MultiDiGraph()

    def add_node(self, row: dict[str, Any]) -> None:
        self.graph.add_node(row["key"], **node_attributes(row["kind"], row["props"]))

    def add_edge(self, row: dict[str, Any]) -> None:
        # Keys are the edge's position: GraphML and GEXF write them as edge ids.
        key = f"e{self.graph.number_of_edges()}"
        self.graph.add_edge(row["from"], row["to"], key=key, **edge_attributes(row["type"], row["props"]))


# Characters XML 1.0 cannot carry (controls but tab, newline and CR; surrogates; U+FFFE/F).
# The service refuses them on every write; a graph loaded before that rule may hold some.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP: CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def flat(value: Any) -> Any:
    """A value as formats without lists store it, with nothing XML cannot hold."""
    if isinstance(value, list | tuple):
        value = json.dumps(value, ensure_ascii=False)
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def flattened(graph: Network) -> Network:
    copy: Network = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        copy.add_node(flat(node), **{k: flat(v) for k, v in data.items()})
    for u, v, key, data in graph.edges(keys=True, data=True):
        copy.add_edge(flat(u), flat(v), key=key, **{k: flat(x) for k, x in data.items()})
    return copy


def spreadsheet_safe(value: Any) -> Any:
    """A cell a spreadsheet shows as text: a leading formula character is quoted with `'`."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write(graph: Network, fmt: Format) -> Iterator[str]:
    """The file, in pieces (the XML writers yield line by line)."""
    if fmt is Format.GRAPHML:
        yield from _lines(nx.generate_graphml(flattened(graph), encoding="utf-8", prettyprint=True))
    elif fmt is Format.GEXF:
        gexf = for_gexf(with_viz(flattened(graph)))
        yield from _lines(nx.generate_gexf(gexf, encoding="utf-8", prettyprint=True))
    elif fmt is Format.CYTOSCAPE:
        yield json.dumps(cytoscape_document(graph), ensure_ascii=False)
    elif fmt is Format.NODES_CSV:
        yield _csv(node_frame(flattened(graph)))
    else:
        edges: pd.DataFrame = nx.to_pandas_edgelist(flattened(graph), edge_key="key")
        yield _csv(edges)


def _lines(lines: Iterable[str]) -> Iterator[str]:
    # networkx's generators yield lines without their line ends.
    yield '<?xml version="1.0" encoding="utf-8"?>\n'
    for line in lines:
        yield line + "\n"


def node_frame(graph: Network) -> pd.DataFrame:
    rows = [{"id": node, **data} for node, data in graph.nodes(data=True)]
    return pd.DataFrame(rows)


def _csv(frame: pd.DataFrame) -> str:
    # convert_dtypes keeps integers integers where some rows lack the value (not 1.0 and NaN).
    buffer = io.StringIO()
    frame.convert_dtypes().map(spreadsheet_safe).to_csv(buffer, index=False)
    return buffer.getvalue()


@dataclass(frozen=True)
class Placement:
    """Where and how the explorer drew a node: model coordinates, `#rrggbb`, pixels."""

    x: float
    y: float
    colour: str
    size: float


PLACEMENT_FIELDS = ("x", "y", "color", "r", "g", "b", "size")


def place(graph: Network, placements: dict[str, Placement]) -> None:
    """Gives the nodes their places, colours and sizes as attributes."""
    for key, where in placements.items():
        if key in graph:
            graph.nodes[key].update(
                x=where.x, y=where.y, color=where.colour, **_rgb(where.colour), size=where.size
            )


def _rgb(colour: str) -> dict[str, int]:
    return {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16)}


def with_viz(graph: Network) -> Network:
    """The graph with placed nodes' attributes moved into GEXF's `viz` (networkx writes it)."""
    if not any("x" in data for _, data in graph.nodes(data=True)):
        return graph
    copy = graph.copy()
    for _, data in copy.nodes(data=True):
        if "x" in data:
            x, y, _hex, r, g, b, size = (data.pop(name) for name in PLACEMENT_FIELDS)
            data["viz"] = {
                "position": {"x": x, "y": -y, "z": 0.0},
                "color": {"r": r, "g": g, "b": b},
                "size": size,
            }
    return copy


class _EdgesById(nx.MultiDiGraph):  # type: ignore[type-arg]
    """A multigraph the GEXF writer takes edge by edge, each with its `id`: told it is a
    multigraph, networkx adds the edge key again as a `networkx_key` attribute column."""

    def is_multigraph(self) -> bool:
        return False


def for_gexf(graph: Network) -> Network:
    copy = _EdgesById()
    copy.graph.update(graph.graph)
    copy.add_nodes_from(graph.nodes(data=True))
    for u, v, key, data in graph.edges(keys=True, data=True):
        copy.add_edge(u, v, key=key, **data, id=key)
    return copy


# Cytoscape.js draws a placed view's colours and sizes from the nodes' own data.
CYTOSCAPE_STYLE = [
    {
        "selector": "node[color]",
        "style": {"background-color": "data(color)", "width": "data(size)", "height": "data(size)"},
    },
    {"selector": "node", "style": {"label": "data(label)"}},
    {
        "selector": "edge",
        "style": {"label": "data(label)", "curve-style": "bezier", "target-arrow-shape": "triangle"},
    },
]


def cytoscape_document(graph: Network) -> dict[str, Any]:
    document: dict[str, Any] = nx.cytoscape_data(graph)
    placed = False
    for element in document["elements"]["nodes"]:
        data = element["data"]
        if "x" in data:
            element["position"] = {"x": data["x"], "y": data["y"]}
            placed = True
    if placed:
        document["style"] = CYTOSCAPE_STYLE
    return document
