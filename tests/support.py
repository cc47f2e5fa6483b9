"""Helpers shared by the tests: resetting the graph, serving an app, running the CLI, snapshots."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from starlette.types import ASGIApp

from clustergraph import errors
from clustergraph.app import create_app
from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from clustergraph.graph.migrations import migrate
from clustergraph.http.serving import uvicorn_options
from clustergraph.importer.loader import load
from clustergraph.paths import SEED_DIR
from clustergraph.settings import Settings


async def reset_graph(graph: Graph) -> None:
    """An empty graph with the schema and the seed loaded."""
    await graph.autocommit("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    await migrate(graph)
    report = await load(graph, SEED_DIR)
    assert report.ok, report.rejected


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(app: ASGIApp, settings: Settings | None = None) -> Iterator[str]:
    """An ASGI app under uvicorn on a free loopback port, in a thread; yields its origin.

    With `settings`, uvicorn is configured as `clustergraph serve` configures it."""
    port = free_port()
    # Without settings, still as the app expects: uvicorn believes no X-Forwarded-For itself.
    options = uvicorn_options(settings) if settings is not None else {"proxy_headers": False}
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **options)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the service did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


async def snapshot(graph: Graph) -> dict[str, Any]:
    """Every node (labels, properties) and relationship (type, ends, properties) in the graph."""
    nodes = await graph.read(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props ORDER BY n.key, n.id, elementId(n)"
    )
    rels = await graph.read(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.key AS a, b.key AS b, properties(r) AS props "
    )
    for node in nodes:
        node["props"].pop("createdAt", None)  # datetimes of API keys do not compare as values
        node["props"].pop("revokedAt", None)
    rels.sort(key=lambda r: json.dumps(r, sort_keys=True, default=str))
    return {"nodes": nodes, "relationships": rels}


def refusal(response: httpx.Response, code: str) -> dict[str, Any]:
    """The one error of a refusal in the one error shape (`clustergraph.errors`), checked:
    JSON, `{"errors": [{"message", "extensions": {"code", ...}}]}` and nothing else, with a
    code of the tree and the HTTP status of its class. A streamed response must be read first."""
    content_type = response.headers["content-type"]
    assert content_type.startswith(("application/json", "application/graphql-response+json")), content_type
    answer = json.loads(response.content)
    assert set(answer) == {"errors"}, answer
    [error] = answer["errors"]
    assert set(error) == {"message", "extensions"}, error
    assert isinstance(error["message"], str) and error["message"], error
    assert error["extensions"]["code"] == code, error
    classes = [c for c in _tree(errors.ClusterGraphError) if "code" in vars(c) and c.code == code]
    assert len(classes) == 1, code
    assert response.status_code in {c.http_status for c in _tree(classes[0])}, (response.status_code, code)
    return dict(error)


def _tree(cls: type) -> list[type]:
    return [cls, *(sub for child in cls.__subclasses__() for sub in _tree(child))]


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]


def neo4j_env(location: GraphLocation, **extra: str) -> dict[str, str]:
    """This process's environment, pointing a child process at the test suite's Neo4j."""
    return {
        **os.environ,
        "NEO4J_URI": location.uri,
        "NEO4J_USER": location.user,
        "NEO4J_PASSWORD": location.password,
        "NEO4J_DATABASE": location.database,
        **extra,
    }


def run_cli(location: GraphLocation, *args: str) -> subprocess.CompletedProcess[str]:
    """The `clustergraph` console script, as a user runs it, against the test suite's Neo4j."""
    env = neo4j_env(location)
    command = [str(Path(sys.executable).with_name("clustergraph")), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)


@contextmanager
def running_service(settings: Settings, location: GraphLocation) -> Iterator[str]:
    """The real app with these settings under uvicorn on a loopback port, talking to the test Neo4j."""
    with serve(create_app(settings, location), settings) as url:
        yield url


def run_node_script(directory: Path, script: str, *args: str) -> dict[str, Any]:
    """Run a Node client of tools/ against the service; its last line of output is JSON."""
    import shutil

    node = shutil.which("node")
    assert node, "Node.js is needed for the client tests (scripts/setup installs it)"
    assert (directory / "node_modules").is_dir(), f"run scripts/setup (npm ci in {directory.name})"
    done = subprocess.run(
        [node, script, *args], cwd=directory, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]
