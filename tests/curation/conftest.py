"""Fixtures for the write side: API keys of each role, a request helper with a bearer token,
and the seed graph restored after every test that writes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from clustergraph.auth.identity import Role
from clustergraph.auth.keys import create_key
from clustergraph.graph.db import Graph
from tests.support import reset_graph


@pytest.fixture
async def restore(graph: Graph) -> AsyncIterator[Graph]:
    """The graph, put back to the seed after the test (other tests read the seed)."""
    try:
        yield graph
    finally:
        await reset_graph(graph)


@pytest.fixture
async def tokens(restore: Graph) -> dict[Role, str]:
    return {role: (await create_key(restore, f"test-{role.value}", role)).token for role in Role}


@pytest.fixture
def send(http: httpx.AsyncClient):  # type: ignore[no-untyped-def]
    """Send a GraphQL request over HTTP, with a bearer token when one is given."""

    async def post(query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        return response.json()

    return post
