"""One request's reads share a budget of database time (CLUSTERGRAPH_REQUEST_DB_BUDGET):
each read gets what is left as its transaction timeout, across aliases and batched
operations, on the compiled path and on graphql-core's; past it, QUERY_TIMEOUT with
`extensions.bound` = budget."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from clustergraph.graph.db import MIN_QUERY_SECONDS, Graph, QueryTimeout, db_budget, query_counter
from clustergraph.graph.location import GraphLocation
from clustergraph.settings import Settings
from tests.support import running_service

# Billions of rows: minutes of work without a timeout.
SLOW = "UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 1234567 RETURN count(x) AS n"
ENTITY = 'entity(key: "cluster:euroregion-beskidy") { key name country { name } }'


def _aliases(n: int) -> str:
    return "{ " + " ".join(f"e{i}: {ENTITY}" for i in range(n)) + " }"


def _db_seconds(response: httpx.Response) -> float:
    found = re.fullmatch(r"db;dur=([0-9.]+)", response.headers["server-timing"])
    assert found, response.headers["server-timing"]
    return float(found.group(1)) / 1000


def _budget_errors(body: dict[str, Any]) -> list[dict[str, Any]]:
    errors = [e for e in body.get("errors") or [] if e["extensions"]["code"] == "QUERY_TIMEOUT"]
    assert all(e["extensions"]["bound"] == "budget" for e in errors), errors
    return errors


@pytest.fixture
def budgeted(settings: Settings, location: GraphLocation) -> Iterator[Any]:
    """Start a service whose request budget is `seconds` (compiled path on or off)."""
    with_services: list[Any] = []

    def start(seconds: float, compiled: bool = True) -> str:
        manager = running_service(
            settings.model_copy(update={"request_db_budget": seconds, "compiled_reads": compiled}), location
        )
        with_services.append(manager)
        return manager.__enter__()

    yield start
    for manager in with_services:
        manager.__exit__(None, None, None)


async def test_a_read_gets_what_is_left_of_the_budget_as_its_timeout(graph: Graph) -> None:
    # The test graph's own timeout is 60 s: a cut within a few seconds is the budget's.
    assert graph.timeout >= 60
    with db_budget(1.0) as budget:
        assert budget is not None
        await graph.read("RETURN 1 AS one")
        started = time.monotonic()
        with pytest.raises(QueryTimeout) as cut:
            await graph.read(SLOW)
        elapsed = time.monotonic() - started
        assert elapsed < 10, elapsed  # 1 s left (plus Neo4j's check interval), not 60 s
        assert cut.value.extensions() == {
            "code": "QUERY_TIMEOUT",
            "bound": "budget",
            "budget": 1.0,
            "spent": round(budget.spent, 3),
        }
        assert budget.spent >= 0.5
        # Spent: the next read is refused before it is sent.
        sent: list[str] = []
        token = query_counter.set(sent)
        try:
            with pytest.raises(QueryTimeout) as refused:
                await graph.read("RETURN 1 AS one")
        finally:
            query_counter.reset(token)
        assert sent == [] and refused.value.bound == "budget"
    # Outside a request there is no budget.
    assert await graph.read("RETURN 1 AS one") == [{"one": 1}]


async def test_a_query_past_its_own_timeout_says_so(graph: Graph) -> None:
    short = Graph(driver=graph.driver, database=graph.database, timeout=0.5)
    with db_budget(30.0), pytest.raises(QueryTimeout) as cut:
        await short.read(SLOW)
    assert cut.value.extensions() == {"code": "QUERY_TIMEOUT", "bound": "timeout", "limit": 0.5}


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "graphql-core"])
async def test_aliases_share_the_budget(budgeted: Any, service_url: str, compiled: bool) -> None:
    query = {"query": _aliases(30)}
    async with httpx.AsyncClient(base_url=service_url, timeout=60) as client:
        # The default budget: all 30 read (the first run warms the caches up).
        whole = min([_db_seconds(await client.post("/graphql", json=query)) for _ in range(4)][1:])
    # A third of what the 30 reads took: the first aliases answer, the later ones find it spent.
    budget = round(max(whole / 3, 0.02), 3)
    url = budgeted(budget, compiled)
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        response = await client.post("/graphql", json=query)
    body = response.json()
    assert response.status_code == 200, body
    errors = _budget_errors(body)
    assert errors, (whole, budget, body.get("errors"))
    assert body["data"]["e0"]["key"] == "cluster:euroregion-beskidy"
    assert errors[0]["extensions"]["budget"] == budget
    assert all(body["data"][e["path"][0]] is None for e in errors)
    assert "used up its database time" in errors[0]["message"]


async def test_batched_operations_share_the_budget(budgeted: Any, service_url: str) -> None:
    one = {"query": _aliases(10)}
    async with httpx.AsyncClient(base_url=service_url, timeout=60) as client:
        single = statistics.median(
            [_db_seconds(await client.post("/graphql", json=one)) for _ in range(6)][1:]
        )
    # Of a budget under 2 s a read may use three quarters, and none starts with less than
    # MIN_QUERY_SECONDS left (`clustergraph.graph.db`): a budget whose usable part is two and a
    # half times what one operation takes, so one fits and five batched in one request do not.
    budget = round((2.5 * single + MIN_QUERY_SECONDS) * 4 / 3, 3)
    url = budgeted(budget)
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        await client.post("/graphql", json=one)  # the new process's first request is a cold one
        alone = await client.post("/graphql", json=one)
        batch = await client.post("/graphql", json=[one] * 5)
    assert _budget_errors(alone.json()) == [], (single, budget, _db_seconds(alone))
    answers = batch.json()
    assert batch.status_code == 200 and len(answers) == 5
    cut = [i for i, answer in enumerate(answers) if _budget_errors(answer)]
    assert cut, (single, budget, answers)
    assert any(answer["data"] and answer["data"].get("e0") for answer in answers)
    # One account for the whole batch: the header is the request's, not an operation's.
    assert _db_seconds(batch) > 0
