"""Paths are simple, and the shortest simple ones (issue 12), over random pairs of the synthetic network.

Hypothesis draws pairs of entities (half of them near each other, so that most pairs have
paths), a hop bound and a limit; the service is asked over HTTP, and its answer is held
against networkx's simple paths of the same import files (`tests/path_oracle.py`): no
node twice in any path, in both modes, and as many paths as the graph has simple ones, up
to the limit, with the same lengths. `crossBorderPartners` is held against networkx's
distances the same way.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from clustergraph.graph.db import Graph
from clustergraph.graph.migrations import migrate
from clustergraph.importer.loader import load
from clustergraph_tools.synth.network import generate
from tests import path_oracle
from tests.path_oracle import Oracle
from tests.support import reset_graph

SCALE = 0.002
EXAMPLES = 60
PATHS = """query ($from: String!, $to: String!, $cross: Boolean!, $hops: Int!, $limit: Int!) {
  cooperationPaths(from: $from, to: $to, crossBorderOnly: $cross, maxHops: $hops, limit: $limit) {
    length countries nodes { key } edges { type from to } } }"""
PARTNERS = """query ($key: String!, $hops: Int!, $limit: Int!) {
  crossBorderPartners(key: $key, maxHops: $hops, limit: $limit) {
    distance partner { key } path { length nodes { key } } } }"""


@dataclass(frozen=True)
class Case:
    start: str
    end: str
    hops: int
    limit: int
    cross: bool


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic-paths")
    generate(folder, seed=12, scale=SCALE)
    return folder


@pytest.fixture(scope="module")
async def oracle(graph: Graph, folder: Path) -> AsyncIterator[Oracle]:
    await graph.autocommit("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    try:
        await migrate(graph)
        report = await load(graph, folder, history=False)
        assert report.ok, report.rejected[:3]
        yield path_oracle.read(folder)
    finally:
        await reset_graph(graph)


def draw_cases(oracle: Oracle) -> list[Case]:
    """Random cases, drawn once (the requests are async; hypothesis only draws them).

    Half are any two entities, mostly near each other. In a network of hubs a pair has so
    many short simple paths that the shortest trails are simple too, so the other half sit
    where a trail could repeat a node: one end has two relationships with one neighbour,
    the other end is a quiet entity near it.
    """
    graph = oracle.graph
    nodes = sorted(graph.nodes)
    doubled = sorted({n for u, v in nx.Graph(graph).edges if graph.number_of_edges(u, v) > 1 for n in (u, v)})
    cases: list[Case] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def draw(data: st.DataObject) -> None:
        if data.draw(st.booleans()):
            start = data.draw(st.sampled_from(nodes))
            hops = data.draw(st.integers(1, 4))
            near = sorted(set(oracle.distances(start, hops)) - {start})
            pool = near if near and data.draw(st.booleans()) else [n for n in nodes if n != start]
            end = data.draw(st.sampled_from(pool))
            limit = data.draw(st.integers(1, 10))
        else:
            start = data.draw(st.sampled_from(doubled))
            near = sorted(set(oracle.distances(start, 2)) - {start})
            end = data.draw(st.sampled_from(sorted(near, key=lambda n: (graph.degree(n), n))[:3]))
            if data.draw(st.booleans()):
                start, end = end, start
            hops, limit = data.draw(st.integers(3, 5)), data.draw(st.integers(5, 20))
        cases.append(Case(start, end, hops, limit, data.draw(st.booleans())))

    draw()
    return cases


def _expected(oracle: Oracle, case: Case) -> list[list[path_oracle.Edge]]:
    found = oracle.simple_paths(case.start, case.end, case.hops)
    if case.cross:
        found = [p for p in found if len(oracle.folded_countries(oracle.node_keys(case.start, p))) > 1]
    return found


async def test_the_oracle_reads_the_graph_neo4j_holds(graph: Graph, oracle: Oracle) -> None:
    # The files are what was loaded: the same cooperation relationships, counted by Neo4j.
    types = sorted({key[2] for _, _, key in oracle.graph.edges(keys=True)})
    rows = await graph.read("MATCH ()-[r]->() WHERE type(r) IN $types RETURN count(r) AS n", {"types": types})
    assert rows[0]["n"] == oracle.graph.number_of_edges()


async def test_paths_are_the_limit_shortest_simple_paths(gql: Any, oracle: Oracle) -> None:
    cases = draw_cases(oracle)
    with_paths = 0
    for case in cases:
        variables = {"from": case.start, "to": case.end, "cross": case.cross, "hops": case.hops}
        body = await gql(PATHS, {**variables, "limit": case.limit})
        assert "errors" not in body, (case, body)
        paths = body["data"]["cooperationPaths"]
        for path in paths:
            keys = [n["key"] for n in path["nodes"]]
            assert len(set(keys)) == len(keys), (case, keys)
            assert keys[0] == case.start and keys[-1] == case.end
        expected = _expected(oracle, case)
        with_paths += bool(expected)
        assert len(paths) == min(case.limit, len(expected)), case
        assert [p["length"] for p in paths] == sorted(len(p) for p in expected)[: case.limit], case
        every = {tuple(p) for p in expected}
        for path in paths:
            assert tuple((e["from"], e["to"], e["type"]) for e in path["edges"]) in every, (case, path)
    # The draw is worth something only if many pairs have paths to compare.
    assert with_paths >= len(cases) // 3, with_paths


async def test_cross_border_partners_paths_are_simple_and_shortest(gql: Any, oracle: Oracle) -> None:
    actors = sorted(k for k in oracle.graph.nodes if oracle.kinds[k] in {"Cluster", "Organisation"})
    picked = actors[:: max(1, len(actors) // 20)]
    compared = 0
    for key in picked:
        body = await gql(PARTNERS, {"key": key, "hops": 3, "limit": 50})
        assert "errors" not in body, (key, body)
        partners = body["data"]["crossBorderPartners"]
        distances = oracle.distances(key, 3)
        home = oracle.countries[key]
        abroad = [
            k
            for k, d in distances.items()
            if d > 0
            and oracle.kinds[k] in {"Cluster", "Organisation"}
            and oracle.countries[k] is not None
            and (home is None or oracle.countries[k] != home)
        ]
        assert len(partners) == min(50, len(abroad)), key
        for partner in partners:
            keys = [n["key"] for n in partner["path"]["nodes"]]
            assert len(set(keys)) == len(keys), (key, keys)
            assert partner["distance"] == partner["path"]["length"] == distances[partner["partner"]["key"]]
        compared += len(partners)
    assert compared > 0
