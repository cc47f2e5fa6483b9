"""Writing the whole graph as JSON Lines in the import format, so that importing it reproduces the graph.

Entities and their relationships are exported; bookkeeping nodes (API keys, history,
migrations) are not graph data and stay behind.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from clustergraph.cypher.export_jsonl import EXPORT_NODES, EXPORT_RELATIONSHIPS
from clustergraph.graph.db import Graph
from clustergraph.importer.loader import KIND_ORDER
from clustergraph.model import Kind

# Stored on nodes for the service's own use and rebuilt by the importer.
_DERIVED = frozenset({"key", "sources", "searchText"})


async def export_rows(graph: Graph) -> list[dict[str, Any]]:
    nodes = await graph.read(EXPORT_NODES)
    rank = {kind.value: index for index, kind in enumerate(KIND_ORDER)}
    nodes.sort(key=lambda n: (rank[n["kind"]], n["key"]))
    rows = [_node_row(n) for n in nodes]
    rows += [_relationship_row(r) for r in await graph.read(EXPORT_RELATIONSHIPS)]
    return rows


def _node_row(node: dict[str, Any]) -> dict[str, Any]:
    props = node["properties"]
    return {
        "type": "node",
        "kind": Kind(node["kind"]).value,
        "key": node["key"],
        "properties": {k: v for k, v in sorted(props.items()) if k not in _DERIVED},
        "sources": list(props.get("sources") or []),
    }


def _relationship_row(rel: dict[str, Any]) -> dict[str, Any]:
    props = rel["properties"]
    return {
        "type": "relationship",
        "rel": rel["rel"],
        "from": rel["start"],
        "to": rel["end"],
        "properties": {k: v for k, v in sorted(props.items()) if k != "sources"},
        "sources": list(props.get("sources") or []),
    }


def jsonl(rows: list[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


async def export_graph(graph: Graph, out: TextIO) -> int:
    rows = await export_rows(graph)
    out.writelines(jsonl(rows))
    return len(rows)
