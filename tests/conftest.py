"""Fixtures: a real Neo4j (wherever `clustergraph.location` finds one), the seed graph, the live service.

The test suite runs its own Neo4j instance when it manages one (home under
`.test-neo4j/`, Bolt on CLUSTERGRAPH_TEST_BOLT_PORT, default 17687), so it never touches
the data of a server the user runs for themselves.
"""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn

from clustergraph import location as graph_location
from clustergraph.app import create_app
from clustergraph.db import Graph
from clustergraph.importer.loader import load
from clustergraph.location import GraphLocation
from clustergraph.migrations import migrate
from clustergraph.neo4j_local import LocalServer
from clustergraph.paths import PROJECT_ROOT, SEED_DIR
from clustergraph.settings import Settings

TEST_HOME = PROJECT_ROOT / ".test-neo4j"
NEO4J_IMAGE = "neo4j:5.26.30-community"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(
        CLUSTERGRAPH_HOME=TEST_HOME,
        CLUSTERGRAPH_BOLT_PORT=int(os.environ.get("CLUSTERGRAPH_TEST_BOLT_PORT", "17687")),
        # The shared service takes the fuzz and load tests' traffic from one address;
        # the rate limit tests run their own service with small limits.
        CLUSTERGRAPH_RATE_LIMIT_PER_ADDRESS="100000/minute",
        CLUSTERGRAPH_RATE_LIMIT_PER_KEY="100000/minute",
    )  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def local_server(settings: Settings) -> LocalServer | None:
    """The managed server, when the tests run one (else None: NEO4J_URI or Docker)."""
    if graph_location.choose_origin(settings) != "local":
        return None
    return graph_location.local_server(settings)


@pytest.fixture(scope="session")
def location(settings: Settings, local_server: LocalServer | None) -> Iterator[GraphLocation]:
    origin = graph_location.choose_origin(settings)
    if origin == "docker":
        from testcontainers.neo4j import Neo4jContainer

        with Neo4jContainer(NEO4J_IMAGE, password="clustergraph-test") as container:
            yield GraphLocation(
                container.get_connection_url(), "neo4j", "clustergraph-test", "neo4j", "docker"
            )
        return
    if local_server is not None:
        local_server.start(timeout=settings.neo4j_start_timeout)
    yield graph_location.resolve(settings)


async def reset_graph(graph: Graph) -> None:
    """An empty graph with the schema and the seed loaded."""
    await graph.autocommit("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    await migrate(graph)
    report = await load(graph, SEED_DIR)
    assert report.ok, report.rejected


@pytest.fixture(scope="session")
async def graph(location: GraphLocation) -> AsyncIterator[Graph]:
    graph = Graph.connect(location, timeout=60)
    await reset_graph(graph)
    yield graph
    await graph.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_service(settings: Settings, location: GraphLocation) -> Iterator[str]:
    """The real ASGI app under uvicorn on a loopback port, talking to the test Neo4j."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, location), host="127.0.0.1", port=port, log_level="warning", access_log=False
    )
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


@pytest.fixture(scope="session")
def service_url(settings: Settings, location: GraphLocation, graph: Graph) -> Iterator[str]:
    with running_service(settings, location) as url:
        yield url


@pytest.fixture
async def http(service_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=service_url, timeout=60) as client:
        yield client


@pytest.fixture
def gql(http: httpx.AsyncClient):  # type: ignore[no-untyped-def]
    """Send a GraphQL request over HTTP; return the decoded body."""

    async def send(query: str, variables: dict | None = None, status: int | None = None) -> dict:  # type: ignore[type-arg]
        response = await http.post("/graphql", json={"query": query, "variables": variables or {}})
        if status is not None:
            assert response.status_code == status, response.text
        return response.json()  # type: ignore[no-any-return]

    return send


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # Leave no managed server running after the suite (it is started again next time).
    settings = Settings(
        CLUSTERGRAPH_HOME=TEST_HOME,
        CLUSTERGRAPH_BOLT_PORT=int(os.environ.get("CLUSTERGRAPH_TEST_BOLT_PORT", "17687")),
    )  # type: ignore[call-arg]
    if os.environ.get("CLUSTERGRAPH_TEST_KEEP_NEO4J") or graph_location.choose_origin(settings) != "local":
        return
    graph_location.local_server(settings).stop()


__all__ = ["Path", "asyncio", "reset_graph"]
