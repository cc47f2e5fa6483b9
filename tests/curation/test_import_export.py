"""Bulk import (JSON Lines and CSV) and export: validated first, all or nothing, idempotent, round-trips."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from clustergraph.curation.history import entity_history
from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from clustergraph.graph.migrations import migrate
from clustergraph.importer.loader import load
from tests.support import reset_graph, run_cli, snapshot


def bulk_rows(count: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for i in range(count):
        key = f"organisation:bulk-{i:05d}"
        rows.append(
            {
                "type": "node",
                "kind": "Organisation",
                "key": key,
                "properties": {"name": f"Bulk Organisation {i}", "country": "PL", "aliases": [f"B{i}"]},
                "sources": ["source:s6"],
            }
        )
    for i in range(count):
        rows.append(
            {
                "type": "relationship",
                "rel": "PARTNER_IN",
                "from": f"organisation:bulk-{i:05d}",
                "to": "project:clustrat",
                "properties": {"role": "partner"},
                "sources": ["source:s6"],
            }
        )
    return rows


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


async def _bulk_count(graph: Graph) -> int:
    rows = await graph.read(
        "MATCH (n:Organisation) WHERE n.key STARTS WITH 'organisation:bulk-' RETURN count(n) AS n"
    )
    return int(rows[0]["n"])


async def test_one_bad_row_among_thousands_writes_nothing_and_is_named(
    restore: Graph, location: GraphLocation, tmp_path: Path
) -> None:
    rows = bulk_rows(2500)
    rows[3733]["properties"]["partnerNumber"] = "seven"  # line 3734, among 5000
    path = write_jsonl(tmp_path / "bulk.jsonl", rows)
    before = await snapshot(restore)
    result = run_cli(location, "import", str(path))
    assert result.returncode == 1
    assert f"{path}:3734" in result.stderr and "partnerNumber" in result.stderr
    assert "rejected 1" in result.stdout and "nothing was written" in result.stdout
    assert await snapshot(restore) == before


async def test_dry_run_validates_without_writing(
    restore: Graph, location: GraphLocation, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "bulk.jsonl", bulk_rows(50))
    result = run_cli(location, "import", "--dry-run", str(path))
    assert result.returncode == 0, result.stderr
    assert "validated" in result.stdout and "rejected 0" in result.stdout
    assert await _bulk_count(restore) == 0


async def test_reimporting_the_same_file_changes_nothing(restore: Graph, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "bulk.jsonl", bulk_rows(3000))
    first = await load(restore, path)
    assert first.ok and first.created == 6000 and first.written
    once = await snapshot(restore)
    second = await load(restore, path)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 6000)
    assert await snapshot(restore) == once
    assert await _bulk_count(restore) == 3000


async def test_csv_files_one_per_kind_and_relationship_type(restore: Graph, tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "Cluster.csv").write_text(
        "key,name,names,aliases,country,sources\n"
        "cluster:csv-test,Klaster Testowy,pl:Klaster Testowy|en:Test Cluster,KT,PL,source:s1|source:s5\n",
        encoding="utf-8",
    )
    (folder / "PARTNER_IN.csv").write_text(
        "from,to,role,partnerNumber,sources\ncluster:csv-test,project:clustrat,partner,19,source:s6\n",
        encoding="utf-8",
    )
    report = await load(restore, folder)
    assert report.ok and report.created == 2, report.rejected
    rows = await restore.read(
        "MATCH (c:Cluster {key: 'cluster:csv-test'})-[r:PARTNER_IN]->(p:Project) "
        "RETURN c.names AS names, c.sources AS sources, r.partnerNumber AS number, p.key AS project"
    )
    history = (await entity_history(restore, "cluster:csv-test", 10)).changes
    assert [(c["action"], c["actor"]) for c in history] == [("link", "import"), ("create", "import")]
    assert (
        history[1]["after"]["aliases"] == ["KT"] and history[0]["after"]["properties"]["partnerNumber"] == 19
    )
    assert rows == [
        {
            "names": ["pl:Klaster Testowy", "en:Test Cluster"],
            "sources": ["source:s1", "source:s5"],
            "number": 19,
            "project": "project:clustrat",
        }
    ]


async def _entities(graph: Graph) -> dict[str, Any]:
    """The graph's data, bookkeeping nodes aside."""
    state = await snapshot(graph)
    state["nodes"] = [n for n in state["nodes"] if "Entity" in n["labels"]]
    # MergedKey nodes index the entities' `mergedKeys`; importing rebuilds them.
    state["relationships"] = [r for r in state["relationships"] if r["type"] != "MERGED_INTO"]
    return state


async def test_export_then_import_into_an_empty_graph_reproduces_it(
    restore: Graph, location: GraphLocation, send: Any, tokens: dict[Any, str], tmp_path: Path
) -> None:
    # Curate first, so that the export carries more than the seed: a merge, with its merged keys.
    admin = next(t for r, t in tokens.items() if r.value == "admin")
    body = await send(
        'mutation { mergeEntities(keep: "organisation:central-transdanubian-rda", merge: ["organisation:mid-pannon"]) { key } }',
        token=admin,
    )
    assert body["data"], body
    original = await _entities(restore)
    out = tmp_path / "graph.jsonl"
    result = run_cli(location, "export", str(out))
    assert result.returncode == 0, result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(original["nodes"]) + len(
        [r for r in original["relationships"] if r["type"] != "SOURCED_FROM"]
    )
    assert "Közép-Dunántúl" in out.read_text(encoding="utf-8")  # diacritics as they are

    await restore.autocommit("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    await migrate(restore)
    report = await load(restore, out)
    assert report.ok, report.rejected
    assert await _entities(restore) == original
    await reset_graph(restore)
