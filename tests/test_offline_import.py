"""`clustergraph import --offline` against the online import, on two real Neo4j servers.

The same files (the seed, a small synthetic network and rows that try the CSV cells'
edge cases) are imported online into one server of their own and offline into another;
both graphs are compared whole: labels, properties, relationships, provenance, merged
keys, the change log with its numbers, the schema. Each server has its own home in a
temporary folder and its own port (CLUSTERGRAPH_TEST_BOLT_PORT + 1 and + 2).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from neo4j import GraphDatabase
from neo4j.time import DateTime

from clustergraph.graph.neo4j_local import LocalServer
from clustergraph.paths import SEED_DIR
from clustergraph.settings import Settings
from clustergraph_tools.synth.network import generate
from clustergraph_tools.synth.sink import SOURCE_KEY

BASE_PORT = int(os.environ.get("CLUSTERGRAPH_TEST_BOLT_PORT", "17687"))

# Rows whose values a CSV cell must carry exactly (invented, marked synthetic).
_EDGE_ROWS: list[dict[str, Any]] = [
    {
        "type": "node",
        "kind": "Organisation",
        "key": "organisation:edge-cells",
        "properties": {
            "name": 'Edge, "Cells"; Ltd | Sp. z o.o.',
            "names": ['pl:Komórki, "brzegowe"', "en:Edge;cells"],
            "aliases": [],
            "description": 'Two lines,\nwith "quotes", a tab\tand a comma.',
            "address": "",
            "acronym": "EC",
            "mergedKeys": ["organisation:edge-old", "organisation:edge-older"],
            "synthetic": True,
        },
        "sources": [SOURCE_KEY, SOURCE_KEY],
    },
    {
        "type": "node",
        "kind": "Organisation",
        "key": "organisation:edge-blank",
        "properties": {"name": "Blank alias", "aliases": [""], "synthetic": False},
        "sources": [SOURCE_KEY, "source:s1"],
    },
    {
        "type": "node",
        "kind": "Event",
        "key": "event:edge-day",
        "properties": {
            "name": "Edge day",
            "topics": ["a", "", "b"],
            "participantsOver": 9007199254740992,
            "startDate": "2012-02",
            "synthetic": True,
        },
        "sources": [SOURCE_KEY],
    },
    {
        "type": "relationship",
        "rel": "SOURCED_FROM",
        "from": "organisation:edge-cells",
        "to": SOURCE_KEY,
        "properties": {"synthetic": True},
        "sources": [SOURCE_KEY],
    },
    {
        "type": "relationship",
        "rel": "SOURCED_FROM",
        "from": "organisation:edge-cells",
        "to": "source:s1",
        "sources": ["source:s1"],
    },
    {
        "type": "relationship",
        "rel": "PARTICIPATED_IN",
        "from": "organisation:edge-cells",
        "to": "event:edge-day",
        "properties": {"synthetic": True},
        "sources": [SOURCE_KEY, "source:s1"],
    },
]


def _import_folder(folder: Path, synthetic: Path) -> None:
    """The seed, the synthetic network (its countries without `code`, which the seed's
    countries hold) and the edge rows, in one folder."""
    folder.mkdir()
    for file in sorted(SEED_DIR.glob("*.jsonl")):
        (folder / f"a-{file.name}").write_bytes(file.read_bytes())
    for file in sorted(synthetic.glob("*.jsonl")):
        rows = [orjson.loads(line) for line in file.read_bytes().splitlines() if line.strip()]
        for row in rows:
            if row.get("kind") == "Country":
                row["properties"].pop("code", None)
        (folder / f"b-{file.name}").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    (folder / "c-edges.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in _EDGE_ROWS))


def _env(home: Path, port: int, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    return {
        **env,
        "CLUSTERGRAPH_HOME": str(home),
        "CLUSTERGRAPH_CACHE": str(cache),
        "CLUSTERGRAPH_BOLT_PORT": str(port),
        "CLUSTERGRAPH_USE_DOCKER": "never",
    }


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("clustergraph")), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=900, check=False)


def _server(env: dict[str, str]) -> LocalServer:
    return LocalServer(
        home=Path(env["CLUSTERGRAPH_HOME"]) / "neo4j",
        cache_dir=Path(env["CLUSTERGRAPH_CACHE"]),
        bolt_port=int(env["CLUSTERGRAPH_BOLT_PORT"]),
    )


def _identity(labels: list[str], props: dict[str, Any]) -> str:
    # A Change's id is random: it is known by its number.
    names = ("seq",) if "Change" in labels else ("key", "id", "seq")
    named = {k: props[k] for k in names if k in props}
    return json.dumps([sorted(labels), named], sort_keys=True)


def _comparable(labels: list[str], props: dict[str, Any]) -> dict[str, Any]:
    """A node's properties less those that differ between any two writes: ids, times, tokens."""
    props = dict(props)
    if "Change" in labels:
        assert isinstance(props.pop("at"), DateTime)
        assert len(props.pop("id")) == 36
    for name in ("appliedAt", "changedAt", "version"):
        props.pop(name, None)
    return props


def _snapshot(server: LocalServer) -> dict[str, Any]:
    with GraphDatabase.driver(server.uri, auth=("neo4j", server.password())) as driver:
        nodes = driver.execute_query("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props").records
        rels = driver.execute_query(
            "MATCH (a)-[r]->(b) RETURN labels(a) AS al, properties(a) AS ap, type(r) AS type, "
            "properties(r) AS props, labels(b) AS bl, properties(b) AS bp"
        ).records
        constraints = driver.execute_query("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties")
        indexes = driver.execute_query("SHOW INDEXES YIELD name, type, state, labelsOrTypes, properties")
    by_identity: dict[str, Any] = {}
    for n in nodes:
        identity = _identity(n["labels"], n["props"])
        assert identity not in by_identity or "Migration" in n["labels"], identity
        by_identity[identity] = {"labels": sorted(n["labels"]), "props": _comparable(n["labels"], n["props"])}
    relationships = sorted(
        json.dumps(
            [_identity(r["al"], r["ap"]), r["type"], r["props"], _identity(r["bl"], r["bp"])], sort_keys=True
        )
        for r in rels
    )
    return {
        "nodes": by_identity,
        "relationships": relationships,
        "constraints": sorted(json.dumps(r.data(), sort_keys=True) for r in constraints.records),
        "indexes": sorted(json.dumps(r.data(), sort_keys=True) for r in indexes.records),
    }


@pytest.fixture(scope="module")
def cache() -> Path:
    return Settings().cache_dir  # type: ignore[call-arg]  # the jars every managed server shares


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("offline-data")
    generate(root / "synthetic", seed=7, scale=0.002)
    _import_folder(root / "import", root / "synthetic")
    return root / "import"


@pytest.fixture(scope="module")
def online(tmp_path_factory: pytest.TempPathFactory, cache: Path, folder: Path) -> Iterator[dict[str, Any]]:
    env = _env(tmp_path_factory.mktemp("online-home"), BASE_PORT + 1, cache)
    try:
        for args in (("neo4j", "start"), ("migrate",), ("import", str(folder))):
            result = _cli(env, *args)
            assert result.returncode == 0, result.stdout + result.stderr
        yield _snapshot(_server(env))
    finally:
        _server(env).stop()


@pytest.fixture(scope="module")
def offline_env(tmp_path_factory: pytest.TempPathFactory, cache: Path) -> Iterator[dict[str, str]]:
    env = _env(tmp_path_factory.mktemp("offline-home"), BASE_PORT + 2, cache)
    yield env
    _server(env).stop()


@pytest.fixture(scope="module")
def offline(offline_env: dict[str, str], folder: Path) -> dict[str, Any]:
    # Migrated first, as a user following the quick start would have: still empty.
    for args in (("neo4j", "start"), ("migrate",)):
        assert _cli(offline_env, *args).returncode == 0
    result = _cli(offline_env, "import", "--offline", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "relationships/s" in result.stdout, result.stdout
    return _snapshot(_server(offline_env))


def test_offline_import_writes_the_graph_the_online_import_writes(
    online: dict[str, Any], offline: dict[str, Any]
) -> None:
    assert offline["nodes"].keys() == online["nodes"].keys()
    for identity, node in online["nodes"].items():
        assert offline["nodes"][identity] == node, identity
    assert offline["relationships"] == online["relationships"]
    assert offline["constraints"] == online["constraints"]
    assert offline["indexes"] == online["indexes"]


def test_both_graphs_hold_what_the_files_say(online: dict[str, Any], offline: dict[str, Any]) -> None:
    # Not two empty graphs alike: the edge rows' cells, the change log and merged keys are there.
    for graph in (online, offline):
        cells = graph["nodes"][_identity(["Entity", "Organisation"], {"key": "organisation:edge-cells"})]
        assert cells["props"]["description"] == 'Two lines,\nwith "quotes", a tab\tand a comma.'
        assert cells["props"]["aliases"] == [] and cells["props"]["address"] == ""
        assert cells["props"]["sources"] == [SOURCE_KEY, SOURCE_KEY]
        blank = graph["nodes"][_identity(["Entity", "Organisation"], {"key": "organisation:edge-blank"})]
        assert blank["props"]["aliases"] == [""] and blank["props"]["synthetic"] is False
        day = graph["nodes"][_identity(["Entity", "Event"], {"key": "event:edge-day"})]
        assert day["props"]["topics"] == ["a", "", "b"]
        assert day["props"]["participantsOver"] == 2**53
        changes = [n["props"] for n in graph["nodes"].values() if "Change" in n["labels"]]
        entities = [n for n in graph["nodes"].values() if "Entity" in n["labels"]]
        assert sorted(c["seq"] for c in changes) == list(range(1, len(changes) + 1))
        log = graph["nodes"][_identity(["ChangeLog"], {"id": "changes"})]
        assert log["props"]["last"] == len(changes) > len(entities) > 1400
        merged = [r for r in graph["relationships"] if '"MERGED_INTO"' in r]
        assert len(merged) == 2


def test_offline_import_refuses_a_database_that_is_not_empty(
    offline: dict[str, Any], offline_env: dict[str, str], folder: Path
) -> None:
    result = _cli(offline_env, "import", "--offline", str(folder))
    assert result.returncode == 1
    assert "the database is not empty" in result.stderr and "clustergraph import PATH" in result.stderr
    assert "Traceback" not in result.stderr
    assert _snapshot(_server(offline_env)) == offline  # nothing was touched


def test_offline_import_refuses_a_neo4j_it_does_not_run(folder: Path, tmp_path: Path) -> None:
    env = {**os.environ, "NEO4J_URI": "bolt://127.0.0.1:9", "CLUSTERGRAPH_HOME": str(tmp_path)}
    result = _cli(env, "import", "--offline", str(folder))
    assert result.returncode == 1
    assert "use `clustergraph import`" in result.stderr and "Traceback" not in result.stderr
