"""Fuzzing: thousands of generated queries (hypothesis-graphql) against the running service
on the seed graph. No answer is an HTTP 500, every error carries an `extensions.code`.

String arguments that name entities (`key`, `from`, `to`, `project`, `sector`) are often
swapped for real keys of the seed graph, so the queries reach data and not only errors.
How many queries: CLUSTERGRAPH_FUZZ_EXAMPLES (default 1500 valid + a third as many invalid);
hypothesis's seed: CLUSTERGRAPH_FUZZ_SEED (default 24); the time budget of generating and of
sending, each: CLUSTERGRAPH_FUZZ_SECONDS. The run prints the counts, the tool, the seed and the
outcomes; docs/integrity.md reports a run of 20,000 (15,000 valid + 5,000 invalid).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import importlib.metadata
import multiprocessing
import os
import time
import zlib
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import httpx
import pytest
from graphql import (
    REMOVE,
    ArgumentNode,
    DocumentNode,
    IntValueNode,
    StringValueNode,
    Visitor,
    build_schema,
    print_ast,
    visit,
)
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis_graphql import Mode, queries

from clustergraph.graph.db import Graph
from clustergraph.schema.build import sdl
from clustergraph.translate.cursors import global_id

EXAMPLES = int(os.environ.get("CLUSTERGRAPH_FUZZ_EXAMPLES", "1500"))
SEED = int(os.environ.get("CLUSTERGRAPH_FUZZ_SEED", "24"))
# Generating, then sending, each stop after this many seconds (a busy machine is slow).
GENERATE_SECONDS = float(os.environ.get("CLUSTERGRAPH_FUZZ_SECONDS", "120"))
CONCURRENCY = 4
CLIENT_TIMEOUT = 30.0  # seconds: far past the transaction timeout (10 s) of any one query
# Queries whose answer did not come within CLIENT_TIMEOUT (reported, and the test fails).
timeouts: list[str] = []
# Answers that break the rule, each with its query: all are reported at the end, so that one
# long run shows every defect and not only the first.
failures: list[str] = []
KEY_ARGUMENTS = frozenset({"key", "from", "to", "project", "sector"})
# Integer arguments and the range each accepts (out of range is BAD_USER_INPUT, also tested).
INT_RANGES = {"first": (0, 100), "limit": (1, 20), "maxHops": (1, 6), "depth": (1, 3)}
DROPPED = frozenset({"after", "countries", "relationshipTypes"})
ALLOWED_STATUSES = {200, 400}


class _Realistic(Visitor):
    """Three times in four, makes an argument one the seed graph can answer: a real key, an
    integer in range, no random cursor or country filter. Deterministic in the generated value."""

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = [key for _, key in keys]
        self.ids = [global_id(kind, key) for kind, key in keys]

    def enter_argument(self, node: ArgumentNode, *_: Any) -> Any:
        name, value = node.name.value, node.value
        pick = zlib.crc32(print_ast(value).encode("utf-8", "surrogatepass"))
        if pick % 4 == 0:
            return None
        if name in KEY_ARGUMENTS and isinstance(value, StringValueNode):
            return ArgumentNode(name=node.name, value=StringValueNode(value=self.keys[pick % len(self.keys)]))
        if name in INT_RANGES and isinstance(value, IntValueNode):
            low, high = INT_RANGES[name]
            return ArgumentNode(name=node.name, value=IntValueNode(value=str(low + pick % (high - low + 1))))
        if name == "id" and isinstance(value, (StringValueNode, IntValueNode)):
            return ArgumentNode(name=node.name, value=StringValueNode(value=self.ids[pick % len(self.ids)]))
        if name in DROPPED:
            return REMOVE
        return None


class _Enough(Exception):
    """The time budget of generation is spent."""


def generate(mode: str, examples: int, keys: list[tuple[str, str]]) -> list[str]:
    """Queries from the schema (run in a worker process: generating is the slow part)."""
    deadline = time.monotonic() + GENERATE_SECONDS
    schema = build_schema(sdl())
    rewrite = _Realistic(keys)
    found: list[str] = []

    def printer(document: DocumentNode) -> str:
        return print_ast(visit(document, rewrite))

    @seed(SEED)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(query=queries(schema, print_ast=printer, allow_x00=False, mode=Mode[mode]))
    def collect(query: str) -> None:
        if time.monotonic() > deadline:
            raise _Enough
        found.append(query)

    with contextlib.suppress(_Enough):
        collect()
    return found


def _check(query: str, response: httpx.Response, seen: collections.Counter[str]) -> None:
    seen["queries"] += 1
    if response.status_code not in ALLOWED_STATUSES:
        failures.append(f"HTTP {response.status_code} for {query}: {response.text[:500]}")
        return
    body = response.json()
    errors = body["errors"] if isinstance(body, dict) and "errors" in body else []
    for error in errors:
        code = (error.get("extensions") or {}).get("code")
        if not code or code == "INTERNAL_SERVER_ERROR":
            failures.append(f"error without a usable code for {query}: {error}")
            continue
        seen[code] += 1
    if not errors:
        seen["ok"] += 1


async def _send(url: str, queries_: list[str]) -> collections.Counter[str]:
    """Sends the queries, a few at a time, until done or the time budget is spent."""
    deadline = time.monotonic() + GENERATE_SECONDS
    seen: collections.Counter[str] = collections.Counter()
    async with httpx.AsyncClient(base_url=url, timeout=CLIENT_TIMEOUT) as client:

        async def one(query: str) -> None:
            try:
                response = await client.post("/graphql", json={"query": query})
            except httpx.TimeoutException:
                # Reported with the query at the end, so that one slow answer does not end the run.
                seen["client timeout"] += 1
                timeouts.append(query)
                return
            _check(query, response, seen)

        for start in range(0, len(queries_), CONCURRENCY):
            if time.monotonic() > deadline:
                break
            await asyncio.gather(*(one(q) for q in queries_[start : start + CONCURRENCY]))
    return seen


@pytest.mark.slow
async def test_fuzzed_queries_never_fail_without_a_code(service_url: str, graph: Graph) -> None:
    rows = await graph.read(
        "MATCH (n:Entity) RETURN [l IN labels(n) WHERE l <> 'Entity'][0] AS kind, n.key AS key "
        "ORDER BY key LIMIT 300"
    )
    keys = [(row["kind"], row["key"]) for row in rows]
    assert keys
    started = time.monotonic()
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        valid_job = loop.run_in_executor(pool, generate, "POSITIVE", EXAMPLES, keys)
        invalid_job = loop.run_in_executor(pool, generate, "NEGATIVE", max(EXAMPLES // 3, 10), keys)
        valid_queries, invalid_queries = await valid_job, await invalid_job
    generated = time.monotonic() - started
    valid = await _send(service_url, valid_queries)
    invalid = await _send(service_url, invalid_queries)
    answered = valid["queries"]
    # All of them on an idle machine; at least a few hundred within the time budgets on a busy one.
    assert len(valid_queries) >= min(EXAMPLES, 300), len(valid_queries)
    assert answered >= min(EXAMPLES, 300), valid
    # The valid queries reach data, not only refusals.
    assert valid["ok"] >= min(len(valid_queries), answered) // 4, valid
    tool = f"hypothesis-graphql {importlib.metadata.version('hypothesis-graphql')}"
    print(
        f"fuzz ({tool}, seed {SEED}): {len(valid_queries)} valid + {len(invalid_queries)} invalid queries "
        f"({answered} + {invalid['queries']} answered), generated in "
        f"{generated:.0f}s, sent in {time.monotonic() - started - generated:.0f}s; "
        f"outcomes {dict(valid)} / {dict(invalid)}"
    )
    for failure in failures:
        print("FUZZ FAILURE:", failure)
    for query in timeouts:
        print("FUZZ TIMEOUT:", query)
    assert not failures, (f"{len(failures)} answers without a code or with a 5xx", failures[:5])
    assert not timeouts, (f"{len(timeouts)} answers took over {CLIENT_TIMEOUT:g} s", timeouts[:5])
