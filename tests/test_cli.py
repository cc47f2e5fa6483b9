"""The console script, run as a user runs it, against the test suite's Neo4j."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from tests.support import free_port, neo4j_env, reset_graph, run_cli


def test_migrate_twice_is_safe(location: GraphLocation, graph: object) -> None:
    first = run_cli(location, "migrate")
    assert first.returncode == 0, first.stderr
    assert "schema up to date" in first.stdout


def test_seed_reports_an_idempotent_load(location: GraphLocation, graph: object) -> None:
    result = run_cli(location, "seed")
    assert result.returncode == 0, result.stderr
    assert "created 0, updated 0" in result.stdout
    assert "rejected 0" in result.stdout


def test_import_dry_run_names_file_line_and_reason(
    location: GraphLocation, graph: object, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"type": "node", "kind": "Cluster", "key": "cluster:ok", "properties": {"name": "OK"}, "sources": ["source:s1"]}\n'
        '{"type": "node", "kind": "Galaxy", "key": "galaxy:x", "properties": {"name": "X"}, "sources": ["source:s1"]}\n'
    )
    result = run_cli(location, "import", str(bad))
    assert result.returncode == 1
    assert f"{bad}:2" in result.stderr and "kind" in result.stderr
    assert "nothing was written" in result.stdout


async def test_import_without_history_leaves_no_change_records(
    location: GraphLocation, graph: Graph, tmp_path: Path
) -> None:
    rows = {
        "with": '{"type": "node", "kind": "Sector", "key": "sector:cli-with-history", "properties": {"name": "A"}, "sources": ["source:s1"]}\n',
        "without": '{"type": "node", "kind": "Sector", "key": "sector:cli-without-history", "properties": {"name": "B"}, "sources": ["source:s1"]}\n',
    }
    (tmp_path / "with.jsonl").write_text(rows["with"], encoding="utf-8")
    (tmp_path / "without.jsonl").write_text(rows["without"], encoding="utf-8")
    try:
        assert run_cli(location, "import", str(tmp_path / "with.jsonl")).returncode == 0
        assert run_cli(location, "import", "--no-history", str(tmp_path / "without.jsonl")).returncode == 0
        changes = await graph.read(
            "MATCH (c:Change) WHERE c.key STARTS WITH 'sector:cli-' RETURN c.key AS key, c.action AS action"
        )
        assert changes == [{"key": "sector:cli-with-history", "action": "create"}]
        assert len(await graph.read("MATCH (n:Sector) WHERE n.key STARTS WITH 'sector:cli-' RETURN n")) == 2
    finally:
        await reset_graph(graph)


def test_serve_with_two_workers(location: GraphLocation, graph: object) -> None:
    """`clustergraph serve --workers 2` runs two uvicorn worker processes that both answer."""
    port = free_port()
    env = neo4j_env(location, CLUSTERGRAPH_RATE_LIMIT_PER_ADDRESS="off")
    command = [
        str(Path(sys.executable).with_name("clustergraph")),
        "serve",
        "--port",
        str(port),
        "--workers",
        "2",
    ]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        answered = None
        while time.monotonic() < deadline and answered is None:
            try:
                answered = httpx.post(
                    f"http://127.0.0.1:{port}/graphql", json={"query": "{ __typename }"}, timeout=5
                )
            except httpx.TransportError:
                time.sleep(0.5)
        assert answered is not None and answered.json()["data"] == {"__typename": "Query"}
        children = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(server.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        # uvicorn's supervisor, plus its two workers (the process of a multiprocessing start may be one more).
        assert len(children) >= 2, children
    finally:
        server.send_signal(signal.SIGINT)
        try:
            output, _ = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            output, _ = server.communicate()
    assert "with 2 worker processes" in output
