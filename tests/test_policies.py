"""Each request policy runs once per operation, on the compiled path and on graphql-core's (issue 25, point 2).

The policies (`execution/policies.py`) are watched where they are written: every call of the
bounds (the compile stage's parse and validation), the variables and cost, read access,
the query count and the operation record is counted per request, against the real
service and Neo4j. The request log shows the one operation record; the debug line of the
compiled path tells which executor answered.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections import Counter
from typing import Any

import httpx
import pytest

from clustergraph.execution import policies
from clustergraph.execution.compile import DocumentCache
from clustergraph.graph.db import GraphLocation
from clustergraph.settings import Settings
from tests.support import running_service

_unique = itertools.count()


class Calls(Counter[str]):
    def watch(self, monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, stage: str) -> None:
        original = getattr(owner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self[stage] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    watched = Calls()
    watched.watch(monkeypatch, DocumentCache, "_compile", "bounds")
    watched.watch(monkeypatch, policies, "bind_errors", "cost")
    watched.watch(monkeypatch, policies, "read_refusal", "read")
    watched.watch(monkeypatch, policies, "counting", "count")
    watched.watch(monkeypatch, policies, "record", "record")
    return watched


async def _ask(
    http: httpx.AsyncClient, calls: Calls, logs: pytest.LogCaptureFixture, document: str, **extra: Any
) -> tuple[dict[str, Any], str, Counter[str]]:
    """One request's answer, the executor that gave it, and how often each policy ran for it."""
    calls.clear()
    logs.clear()
    # A document not seen before, so its bounds are checked by this request.
    query = f"# request {next(_unique)}\n{document}"
    body = (await http.post("/graphql", json={"query": query, **extra})).json()
    counted = Counter(calls)
    for _ in range(100):  # the request log's line is written once the answer is sent
        logged = [json.loads(r.getMessage()) for r in logs.records if r.name == "clustergraph.requests"]
        if logged:
            break
        await asyncio.sleep(0.02)
    assert [len(record["operations"]) for record in logged] == [1], logged  # one operation, recorded once
    declined = any("compiled path declined" in r.getMessage() for r in logs.records)
    return body, "graphql-core" if declined else "compiled", counted


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG, logger="clustergraph.execution.run")
    caplog.set_level(logging.DEBUG, logger="clustergraph.requests")  # one handler level for both
    return caplog


EVERY_STAGE = Counter({"bounds": 1, "cost": 1, "read": 1, "count": 1, "record": 1})


@pytest.mark.parametrize(
    ("document", "executor"),
    [
        ('query One { entity(key: "cluster:euroregion-beskidy") { key name } }', "compiled"),
        ('{ a: entity(key: "cluster:nope") { key } b: clusters(first: 1) { totalCount } }', "compiled"),
        ("query Schema { __schema { queryType { name } } }", "graphql-core"),
        (
            'query Log { history(key: "cluster:nope") { nodes { id } } clusters { totalCount } }',
            "graphql-core",
        ),
        ('mutation Nope { deleteEntity(key: "cluster:nope") { key changeId } }', "graphql-core"),
    ],
)
async def test_every_policy_runs_once_on_either_path(
    http: httpx.AsyncClient, calls: Calls, logs: pytest.LogCaptureFixture, document: str, executor: str
) -> None:
    body, answered_by, counted = await _ask(http, calls, logs, document)
    assert answered_by == executor, body
    assert counted == EVERY_STAGE, (counted, body)
    assert body["extensions"]["cypherQueries"] >= 0


async def test_a_refused_request_stops_at_its_policy_and_is_recorded_once(
    http: httpx.AsyncClient, calls: Calls, logs: pytest.LogCaptureFixture, settings: Settings
) -> None:
    big = "{ " + " ".join(f"a{i}: __typename" for i in range(settings.max_query_bytes // 10)) + " }"
    body, executor, counted = await _ask(http, calls, logs, big)
    assert body["errors"][0]["extensions"]["bound"] == "bytes"
    assert (executor, counted) == ("compiled", Counter({"record": 1}))  # not even parsed

    costly = (
        "query Costly($n: Int) { clusters(first: $n) { nodes { members(first: $n) { nodes { key } } } } }"
    )
    body, executor, counted = await _ask(http, calls, logs, costly, variables={"n": 100})
    assert body["errors"][0]["extensions"]["bound"] == "cost", body
    assert (executor, counted) == ("compiled", Counter({"bounds": 1, "cost": 1, "record": 1}))

    body, executor, counted = await _ask(http, calls, logs, "{ nonsense }")
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert (executor, counted) == ("compiled", Counter({"bounds": 1, "record": 1}))


async def test_read_access_refuses_the_operation_once_alike_on_both_paths(
    settings: Settings, location: GraphLocation, calls: Calls, logs: pytest.LogCaptureFixture
) -> None:
    private = settings.model_copy(update={"public_reads": False})
    answers = {}
    with running_service(private, location) as url:
        async with httpx.AsyncClient(base_url=url) as http:
            for document in (
                '{ entity(key: "cluster:euroregion-beskidy") { key } }',
                "{ __schema { description } }",
            ):
                body, executor, counted = await _ask(http, calls, logs, document)
                assert counted == Counter({"bounds": 1, "cost": 1, "read": 1, "record": 1}), counted
                answers[executor] = body
    assert set(answers) == {"compiled", "graphql-core"}
    assert answers["compiled"] == answers["graphql-core"]
    assert answers["compiled"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert answers["compiled"]["data"] is None and "path" not in answers["compiled"]["errors"][0]
