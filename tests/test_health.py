import httpx
import pytest

from clustergraph.graph.neo4j_local import LocalServer
from tests.waiting import ready_within


async def test_healthz_answers_while_the_process_lives(http: httpx.AsyncClient) -> None:
    response = await http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_graphiql_is_served_at_graphql(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


@pytest.mark.slow
async def test_readyz_follows_neo4j_down_and_back(
    http: httpx.AsyncClient, local_server: LocalServer | None
) -> None:
    if local_server is None:
        pytest.skip("needs the managed local Neo4j, which the test can stop and start")
    assert (await http.get("/readyz")).status_code == 200
    local_server.stop()
    try:
        down = await http.get("/readyz")
        assert down.status_code == 503
        assert "Neo4j does not answer" in down.json()["reason"]
    finally:
        local_server.start()
    assert await ready_within(http, seconds=60), "the service did not become ready after Neo4j came back"
