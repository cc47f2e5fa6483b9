import asyncio
import time

import httpx
import pytest

from clustergraph.neo4j_local import LocalServer


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
    # Bolt answers before the database has warmed up; on a busy machine the first queries may
    # still time out, so measure how long readiness takes to come back instead of racing it.
    started = time.monotonic()
    back = await http.get("/readyz")
    while back.status_code != 200 and time.monotonic() - started < 20:
        await asyncio.sleep(0.5)
        back = await http.get("/readyz")
    assert back.status_code == 200, back.text
