"""Fixtures: a real Neo4j (wherever `clustergraph.graph.location` finds one), the seed graph, the live service.

The test suite runs its own Neo4j instance when it manages one (home under
`.test-neo4j/`, Bolt on CLUSTERGRAPH_TEST_BOLT_PORT, default 17687), so it never touches
the data of a server the user runs for themselves.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from clustergraph.auth.identity import Role
from clustergraph.auth.keys import create_key
from clustergraph.graph import location as graph_location
from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from clustergraph.graph.neo4j_local import LocalServer
from clustergraph.paths import PROJECT_ROOT
from clustergraph.settings import Settings
from tests.support import reset_graph, running_service

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
        # The suite shares 2 cores with others: a whole request's reads may take longer than
        # the default budget there; tests/test_request_budget.py runs services with their own.
        CLUSTERGRAPH_REQUEST_DB_BUDGET=10.0,
        # The ingestion tests serve their article pages on loopback.
        CLUSTERGRAPH_INGEST_ALLOWED_NETWORKS="127.0.0.0/8",
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


@pytest.fixture(scope="session")
async def graph(location: GraphLocation) -> AsyncIterator[Graph]:
    graph = Graph.connect(location, timeout=60)
    await reset_graph(graph)
    yield graph
    await graph.close()


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


@pytest.fixture
async def editor(graph: Graph) -> AsyncIterator[str]:
    """An editor's API token; the graph is reset after the test (its writes undone)."""
    token = (await create_key(graph, "test-editor", Role.EDITOR)).token
    try:
        yield token
    finally:
        await reset_graph(graph)
