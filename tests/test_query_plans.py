"""No root field's Cypher reads every node of a label when it is given a key (issue 11, point 7).

On the synthetic network at a small scale (a graph with real spread: thousands of entities
of each label), each root field that takes a key is translated as a request would be, and
its `PROFILE` is read: a `NodeByLabelScan` or `AllNodesScan` anywhere in the plan fails.
Keys that name an entity directly, a merged (retired) key, and a key nobody has are tried.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from clustergraph.cypher.lookup import INDEX_MERGED_KEYS
from clustergraph.execution.policies import bind_errors
from clustergraph.execution.run import CompiledReads
from clustergraph.graph.db import Graph
from clustergraph.graph.migrations import migrate
from clustergraph.importer.loader import load
from clustergraph.schema.build import build_schema
from clustergraph.settings import Settings
from clustergraph.translate.cursors import global_id
from clustergraph_tools.synth.network import generate
from tests.support import reset_graph

SCALE = 0.02
SCANS = ("NodeByLabelScan", "AllNodesScan")
RETIRED = "organisation:syn-retired-key"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    generate(folder, seed=11, scale=SCALE)
    return folder


@pytest.fixture(scope="module")
async def keys(graph: Graph, synthetic: Path) -> AsyncIterator[dict[str, str]]:
    await graph.autocommit("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    try:
        await migrate(graph)
        report = await load(graph, synthetic, history=False)
        assert report.ok, report.rejected[:3]
        picked = (
            await graph.read(
                """
MATCH (o:Organisation)-[:PARTNER_IN]->(p:Project)-[:TARGETS_SECTOR]->(s:Sector)
WITH o, p, s ORDER BY o.key LIMIT 1
MATCH (c:Cluster) WITH o, p, s, c ORDER BY c.key LIMIT 1
MATCH (far:Organisation) WHERE far.country <> o.country WITH o, p, s, c, far ORDER BY far.key LIMIT 1
RETURN o.key AS organisation, p.key AS project, s.key AS sector, c.key AS cluster, far.key AS far
"""
            )
        )[0]
        # A retired key, as a merge leaves it.
        await graph.write(
            "MATCH (o:Organisation {key: $key}) SET o.mergedKeys = [$retired]",
            {"key": picked["organisation"], "retired": RETIRED},
        )
        await graph.write(INDEX_MERGED_KEYS, {"keys": [picked["organisation"]]})
        yield picked
    finally:
        await reset_graph(graph)


def _documents(keys: dict[str, str]) -> Iterator[tuple[str, str]]:
    org, far, cluster = keys["organisation"], keys["far"], keys["cluster"]
    for label, key in (("direct", org), ("merged", RETIRED), ("unknown", "organisation:nobody")):
        yield f"entity {label}", f'{{ entity(key: "{key}") {{ key name }} }}'
        yield (
            f"neighbourhood {label}",
            f'{{ neighbourhood(key: "{key}") {{ nodes {{ key }} edges {{ type }} }} }}',
        )
        yield (
            f"paths {label}",
            f'{{ cooperationPaths(from: "{key}", to: "{far}") {{ length nodes {{ key }} }} }}',
        )
        yield (
            f"partners {label}",
            f'{{ crossBorderPartners(key: "{key}", maxHops: 2) {{ partner {{ key }} }} }}',
        )
    yield "node", f'{{ node(id: "{global_id("Cluster", cluster)}") {{ id }} }}'
    yield (
        "entity nested",
        (
            f'{{ entity(key: "{cluster}") {{ ... on Cluster {{ members(first: 5) {{ nodes {{ key }} }} '
            "sectors { nodes { key } } } } }"
        ),
    )
    sector, project = keys["sector"], keys["project"]
    yield (
        "list by sector",
        f'{{ organisations(filter: {{sector: "{sector}"}}) {{ totalCount nodes {{ key }} }} }}',
    )
    yield (
        "list by project",
        f'{{ organisations(filter: {{project: "{project}"}}) {{ totalCount nodes {{ key }} }} }}',
    )
    yield (
        "list by sector and project",
        f'{{ projects(filter: {{sector: "{sector}", project: "{project}"}}) {{ totalCount nodes {{ key }} }} }}',
    )
    yield "matrix by project", f'{{ cooperationMatrix(project: "{keys["project"]}") {{ totalLinks }} }}'
    yield "matrix by sector", f'{{ cooperationMatrix(sector: "{keys["sector"]}") {{ totalLinks }} }}'


def _cypher(document: str) -> tuple[str, dict[str, Any]]:
    settings = Settings()
    schema = build_schema(settings)
    compiled = schema.documents.compile(document)
    assert compiled.ok, compiled.errors
    bound, errors = bind_errors(compiled, schema.documents, {}, settings)
    assert not errors, errors
    plan = CompiledReads(schema.documents, settings).bind(compiled, bound)
    assert plan is not None and plan.roots[0].prepared is not None
    query = plan.roots[0].prepared.query
    return query.text, query.params


def _operators(plan: dict[str, Any]) -> Iterator[str]:
    yield str(plan.get("operatorType", "")).split("@")[0]
    for child in plan.get("children", []):
        yield from _operators(child)


async def _profile(graph: Graph, text: str, params: dict[str, Any]) -> list[str]:
    async with graph.driver.session(database=graph.database) as session:
        result = await session.run("PROFILE " + text, params)  # type: ignore[arg-type]
        summary = await result.consume()
    assert summary.profile is not None
    return list(_operators(summary.profile))


async def test_no_root_field_scans_a_label_when_given_a_key(graph: Graph, keys: dict[str, str]) -> None:
    scanned = {}
    for name, document in _documents(keys):
        text, params = _cypher(document)
        operators = await _profile(graph, text, params)
        assert any("Seek" in op for op in operators), (name, operators)
        found = [op for op in operators if op in SCANS]
        if found:
            scanned[name] = found
    assert not scanned, scanned
