"""`clustergraph import` into a non-empty graph: the same files again change nothing; rows that
cannot be written as the graph is are refused as conflict rows (file, line, what, key, why), the
exit status is 1 and nothing is written; a batch the graph refuses all the same writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from clustergraph.curation.merge import merge_entities
from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from clustergraph.importer import loader
from clustergraph.importer.loader import BatchConflict, ImportReport, plan_import, write_plan
from clustergraph.paths import SEED_DIR
from clustergraph_tools.synth.network import generate
from tests.support import run_cli, snapshot


async def _counts(graph: Graph) -> tuple[int, int]:
    nodes = await graph.read("MATCH (n) RETURN count(n) AS n")
    rels = await graph.read("MATCH ()-[r]->() RETURN count(r) AS n")
    return int(nodes[0]["n"]), int(rels[0]["n"])


def _country(key: str, code: str, name: str) -> dict[str, Any]:
    return {
        "type": "node",
        "kind": "Country",
        "key": key,
        "properties": {"name": name, "code": code},
        "sources": ["source:s1"],
    }


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


async def test_the_seed_again_into_the_seeded_graph_changes_nothing(
    restore: Graph, location: GraphLocation
) -> None:
    before = await snapshot(restore)
    result = run_cli(location, "import", str(SEED_DIR))
    assert result.returncode == 0, result.stderr
    assert "created 0, updated 0, unchanged" in result.stdout and "rejected 0" in result.stdout
    # No node, relationship or property changed, and no history record was added.
    assert await snapshot(restore) == before


async def test_a_synthetic_network_into_the_seeded_graph_is_refused_row_by_row(
    restore: Graph, location: GraphLocation, tmp_path: Path
) -> None:
    folder = tmp_path / "synthetic"
    folder.mkdir()
    generate(folder, seed=3, scale=0.002)
    before, counts = await snapshot(restore), await _counts(restore)
    result = run_cli(location, "import", str(folder))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "ConstraintError" not in result.stderr
    places = folder / "02-places.jsonl"
    line = next(
        number
        for number, text in enumerate(places.read_text(encoding="utf-8").splitlines(), start=1)
        if '"country:syn-pl"' in text and '"Country"' in text
    )
    printed = " ".join(result.stderr.split())  # rich wraps long lines
    assert (
        f"conflict {places}:{line}: Country country:syn-pl: constraint country_code: code 'PL' already "
        "belongs to 'country:pl' in the graph"
    ) in printed, result.stderr
    # Rows that end at a refused row are named too, with where that row is.
    assert f"-> country:syn-pl: its end 'country:syn-pl' is refused (02-places.jsonl:{line})" in printed
    assert "in conflict with the graph or the import" in result.stdout
    assert "nothing was written" in result.stdout
    assert await _counts(restore) == counts
    assert await snapshot(restore) == before


async def test_a_key_merged_away_is_a_conflict_not_a_duplicate_brought_back(
    restore: Graph, location: GraphLocation
) -> None:
    keep, duplicate = "organisation:central-transdanubian-rda", "organisation:mid-pannon"
    await merge_entities(restore, "test", keep, [duplicate], ["source:s2"])
    before, counts = await snapshot(restore), await _counts(restore)
    result = run_cli(location, "import", str(SEED_DIR))
    assert result.returncode == 1
    printed = " ".join(result.stderr.split())
    assert (
        f"Organisation {duplicate}: key was merged into '{keep}'; importing it would bring the duplicate back"
    ) in printed, result.stderr
    assert f"key '{duplicate}' was merged into '{keep}'; name that entity instead" in printed
    assert "nothing was written" in result.stdout
    assert await _counts(restore) == counts
    assert await snapshot(restore) == before


async def test_another_kind_and_a_unique_value_given_twice_are_conflicts(
    restore: Graph, location: GraphLocation, tmp_path: Path
) -> None:
    rows = [
        _country("country:is", "IS", "Iceland"),
        _country("country:iceland", "IS", "Ísland"),
        {**_country("organisation:mid-pannon", "LI", "Not a country"), "kind": "Country"},
    ]
    path = _write(tmp_path / "rows.jsonl", rows)
    before = await snapshot(restore)
    result = run_cli(location, "import", str(path))
    assert result.returncode == 1
    printed = " ".join(result.stderr.split())
    assert (
        f"conflict {path}:2: Country country:iceland: constraint country_code: code 'IS' is already given "
        "to Country country:is at rows.jsonl:1"
    ) in printed, result.stderr
    assert (
        f"conflict {path}:3: Country organisation:mid-pannon: key is a Organisation in the graph, not a Country"
    ) in printed
    assert f"{path}:1" not in printed  # the first row is fine alone: it is not written either
    assert "rejected 2 (2 in conflict" in result.stdout and "nothing was written" in result.stdout
    assert await snapshot(restore) == before


async def test_a_batch_the_graph_refuses_all_the_same_writes_nothing_of_itself(
    restore: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer takes a unique value between the checks and the write: that batch is one
    transaction the graph refuses, so none of its rows is written; the batches before it stay."""
    rows = [
        _country("country:is", "IS", "Iceland"),
        _country("country:no", "NO", "Norway"),
        _country("country:mt", "MT", "Malta"),
        _country("country:cy", "CY", "Cyprus"),
    ]
    plan = await plan_import(restore, _write(tmp_path / "rows.jsonl", rows))
    assert not plan.rejected
    await restore.write("CREATE (:Entity:Country {key: 'country:malta', name: 'Malta', code: 'MT'})")
    monkeypatch.setattr(loader, "BATCH_SIZE", 2)
    counts = await _counts(restore)
    with pytest.raises(BatchConflict) as refused:
        await write_plan(restore, plan, ImportReport())
    message = str(refused.value)
    assert message.startswith("the graph refused a batch of 2 Country rows (country:mt … country:cy):")
    assert "'MT'" in message and "the 2 rows of earlier batches were written" in message
    found = await restore.read(
        "MATCH (c:Country) WHERE c.key IN $keys RETURN c.key AS key ORDER BY key",
        {"keys": [r["key"] for r in rows]},
    )
    assert [r["key"] for r in found] == ["country:is", "country:no"]
    # The first batch: two countries, their provenance edges and two history records (with their keys).
    nodes, rels = await _counts(restore)
    assert (nodes - counts[0], rels - counts[1]) == (2 + 2 + 2, 2)
