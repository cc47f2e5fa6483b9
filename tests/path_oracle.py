"""An oracle for the path tests, independent of Neo4j: the cooperation graph read from the
import files into networkx, and its simple paths enumerated there.

A path is a sequence of relationships, as Neo4j's are: two relationships between the same
two entities make two paths. Only the part of the graph that can lie on a path of at most
`max_hops` between the two ends is searched (a node `v` with d(a, v) + d(v, b) <= max_hops),
which keeps the enumeration small without changing its answer.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import orjson

from clustergraph.model import COOPERATION_TYPES

Edge = tuple[str, str, str]  # (start key, end key, type): one relationship, as the rows name it


@dataclass(frozen=True)
class Oracle:
    graph: nx.MultiGraph  # type: ignore[type-arg]
    countries: dict[str, str | None]
    names: dict[str, str]
    kinds: dict[str, str]

    def simple_paths(self, a: str, b: str, max_hops: int) -> list[list[Edge]]:
        """Every simple path from `a` to `b` of at most `max_hops` relationships."""
        if a not in self.graph or b not in self.graph:
            return []
        near_a = nx.single_source_shortest_path_length(self.graph, a, cutoff=max_hops)
        near_b = nx.single_source_shortest_path_length(self.graph, b, cutoff=max_hops)
        keep = [v for v in near_a if v in near_b and near_a[v] + near_b[v] <= max_hops]
        sub = self.graph.subgraph(keep)
        if a not in sub or b not in sub or a == b:
            return []
        return [[key for _, _, key in path] for path in nx.all_simple_edge_paths(sub, a, b, cutoff=max_hops)]

    def node_keys(self, a: str, path: list[Edge]) -> list[str]:
        """The nodes a path passes, from `a`."""
        keys = [a]
        for start, end, _ in path:
            keys.append(end if keys[-1] == start else start)
        return keys

    def folded_countries(self, keys: Iterable[str]) -> list[str]:
        """The countries of the nodes in order, consecutive repeats folded (as the API says them)."""
        codes = [c for c in (self.countries[k] for k in keys) if c is not None]
        return [code for code, _ in itertools.groupby(codes)]

    def distances(self, a: str, max_hops: int) -> dict[str, int]:
        return dict(nx.single_source_shortest_path_length(self.graph, a, cutoff=max_hops))


def _rows(folder: Path) -> Iterator[dict]:  # type: ignore[type-arg]
    for file in sorted(folder.glob("*.jsonl")):
        with file.open("rb") as lines:
            yield from (orjson.loads(line) for line in lines if line.strip())


def read(folder: Path) -> Oracle:
    """The cooperation relationships of the import files under `folder`, as an undirected multigraph."""
    graph: nx.MultiGraph = nx.MultiGraph()  # type: ignore[type-arg]
    countries: dict[str, str | None] = {}
    names: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for row in _rows(folder):
        if row["type"] == "node":
            countries[row["key"]] = row["properties"].get("country")
            names[row["key"]] = row["properties"]["name"]
            kinds[row["key"]] = row["kind"]
        elif row["rel"] in COOPERATION_TYPES:
            # Only CLAIMS has identity properties: the type and ends name a cooperation relationship.
            edge = (row["from"], row["to"], row["rel"])
            graph.add_edge(row["from"], row["to"], key=edge)
    return Oracle(graph, countries, names, kinds)
