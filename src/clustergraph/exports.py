"""The graph for visualisation tools: a networkx graph, written by networkx's own writers.

Nodes are keyed by entity key and carry `kind`, `label` (the name, what Gephi and yEd
show) and every property of the entity; edges carry `relationship` (the type: GEXF
reserves `type`), `label` (the type again) and every property of the relationship.
GraphML, GEXF and CSV have no list type, so list values (names, aliases, sources,
topics) are written there as JSON text; Cytoscape.js JSON keeps them as lists.
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
        yield from _lines(nx.generate_gexf(flattened(graph), encoding="utf-8", prettyprint=True))
    elif fmt is Format.CYTOSCAPE:
        yield json.dumps(nx.cytoscape_data(graph), ensure_ascii=False)
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
