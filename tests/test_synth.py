"""The synthetic network: deterministic per seed, marked synthetic, well formed, and importable."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import orjson
import pytest

from clustergraph.graph.db import Graph
from clustergraph.importer.loader import load
from clustergraph.importer.rows import NodeRow, RelationshipRow
from clustergraph.model import Kind
from clustergraph_tools.synth.names import COUNTRIES
from clustergraph_tools.synth.network import generate
from clustergraph_tools.synth.sink import SOURCE_KEY
from tests.conftest import reset_graph

SMALL = 0.002


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(folder.glob("*.jsonl")):
        digest.update(file.name.encode() + file.read_bytes())
    return digest.hexdigest()


def _rows(folder: Path) -> list[dict]:  # type: ignore[type-arg]
    return [orjson.loads(line) for file in sorted(folder.glob("*.jsonl")) for line in file.open("rb")]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synth")
    generate(folder, seed=7, scale=SMALL)
    return folder


def test_same_seed_same_files_other_seed_other_files(small: Path, tmp_path: Path) -> None:
    generate(tmp_path / "again", seed=7, scale=SMALL)
    generate(tmp_path / "other", seed=8, scale=SMALL)
    assert _digest(tmp_path / "again") == _digest(small)
    assert _digest(tmp_path / "other") != _digest(small)


def test_scale_sets_the_size(tmp_path: Path) -> None:
    smaller = generate(tmp_path / "a", seed=1, scale=0.002)
    larger = generate(tmp_path / "b", seed=1, scale=0.02)
    assert larger.nodes > 3 * smaller.nodes
    assert larger.relationships > 5 * smaller.relationships


def test_every_row_is_marked_synthetic_and_cites_the_synthetic_source(small: Path) -> None:
    rows = _rows(small)
    assert all(row["properties"]["synthetic"] is True for row in rows)
    sources = [row for row in rows if row.get("kind") == "Source"]
    assert [s["key"] for s in sources] == [SOURCE_KEY]
    assert all(row["sources"] == [SOURCE_KEY] for row in rows if row.get("kind") != "Source")
    # Invented keys cannot collide with the seed graph's sourced entities.
    assert all(":syn-" in row["key"] for row in rows if row["type"] == "node" and row["kind"] != "Source")


def test_rows_are_valid_and_join_the_kinds_the_model_allows(small: Path) -> None:
    rows = _rows(small)
    nodes = [NodeRow.model_validate(r) for r in rows if r["type"] == "node"]
    kinds = {n.key: n.kind for n in nodes}
    assert len(kinds) == len(nodes), "keys are unique"
    seen = set()
    for data in (r for r in rows if r["type"] == "relationship"):
        rel = RelationshipRow.model_validate(data)
        rel.check_ends(kinds[rel.start], kinds[rel.end])
        assert rel.identity() not in seen, rel
        seen.add(rel.identity())
    counts = Counter(n.kind for n in nodes)
    assert counts[Kind.COUNTRY] == 27 and counts[Kind.REGION] == sum(c.regions for c in COUNTRIES) == 242
    for kind in (Kind.CLUSTER, Kind.META_CLUSTER, Kind.ORGANISATION, Kind.PERSON, Kind.PROJECT, Kind.EVENT):
        assert counts[kind] > 0, kind


def test_projects_are_mostly_regional_with_transnational_ones(tmp_path: Path) -> None:
    generate(tmp_path, seed=3, scale=0.02)
    rows = _rows(tmp_path)
    country = {r["key"]: r["properties"].get("country") for r in rows if r["type"] == "node"}
    per_project: dict[str, set[str]] = {}
    for r in rows:
        if r.get("rel") == "PARTNER_IN":
            per_project.setdefault(r["to"], set()).add(country[r["from"]])
    spans = Counter(len(c) for c in per_project.values())
    single = spans[1] / len(per_project)
    assert 0.5 < single < 0.85, spans
    assert max(spans) >= 5, spans  # the heavy tail of large consortia


async def test_the_network_imports_cleanly(graph: Graph, small: Path) -> None:
    await graph.autocommit("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    try:
        report = await load(graph, small)
        assert report.ok, report.rejected[:3]
        nodes = sum(1 for r in _rows(small) if r["type"] == "node")
        found = await graph.read(
            "MATCH (n:Entity) RETURN count(n) AS n, count(CASE WHEN n.synthetic THEN 1 END) AS marked"
        )
        assert found == [{"n": nodes, "marked": nodes}]
        rels = await graph.read(
            "MATCH ()-[r]->() WHERE type(r) <> 'SOURCED_FROM' "
            "RETURN count(r) AS n, count(CASE WHEN r.synthetic THEN 1 END) AS marked"
        )
        assert rels[0]["n"] == rels[0]["marked"] == report.relationships
        again = await load(graph, small)
        assert again.created == 0 and again.updated == 0
    finally:
        await reset_graph(graph)
