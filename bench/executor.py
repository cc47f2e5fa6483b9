"""The GraphQL executor's own cost per request (issue 6, point 5), without the database.

A neighbourhood of about 10, 200 and 2,000 nodes is fetched once from Neo4j; then the
schema executes the same request many times against those rows (a stand-in graph that
answers with them), so what is timed is parsing, validation, the resolver's planning
and graphql-core's completion of every field. orjson's time to serialise the same
answer is the yardstick.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import orjson

from clustergraph.execution.policies import bind_errors
from clustergraph.execution.run import CompiledReads
from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from clustergraph.schema.build import build_schema
from clustergraph.settings import Settings

QUERY = """
query Around($key: String!, $depth: Int!, $limit: Int!) {
  neighbourhood(key: $key, depth: $depth, limit: $limit, relationshipTypes: [PARTNER_IN, PARTICIPATES_IN,
      ENGAGES, REPRESENTS, CONTACT_FOR, MEMBER_OF, FORMED_IN, ORGANISED, PARTICIPATED_IN, EVENT_OF, PRESENTED]) {
    truncated
    nodes { key name kind countryCode }
    edges { type from to }
  }
}"""

SIZES = ((10, 1), (200, 2), (2000, 3))  # (limit, depth)


@dataclass
class _Canned:
    """Answers every read with the rows recorded from the real graph."""

    rows: list[dict[str, Any]]

    async def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self.rows


@dataclass
class _Recording:
    """Reads from the real graph and keeps the rows of the last read."""

    graph: Graph
    rows: list[dict[str, Any]] | None = None

    async def read(self, cypher: Any, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        self.rows = await self.graph.read(cypher, params)
        return self.rows


@dataclass
class _Context:
    graph: Any
    settings: Settings
    request: Any = None
    response: Any = None


def _leaves(value: Any) -> int:
    if isinstance(value, dict):
        return sum(_leaves(v) for v in value.values()) + 1
    if isinstance(value, list):
        return sum(_leaves(v) for v in value) + 1
    return 1


def _timed(runs: int, work: Any) -> float:
    started = time.perf_counter()
    for _ in range(runs):
        work()
    return (time.perf_counter() - started) / runs


async def time_executors(
    settings: Settings, rows: list[dict[str, Any]], variables: dict[str, Any], repeat: int = 30
) -> dict[str, Any]:
    """One request executed on these rows by graphql-core's executor and by the compiled path.

    Both must give the same answer; the figures are per request, in ms (parse, validate,
    plan and shape; the canned rows stand in for Neo4j).
    """
    figures: dict[str, Any] = {}
    schema = build_schema(settings)
    context: Any = _Context(_Canned(rows), settings)
    result = await schema.execute(QUERY, variables, context_value=context)  # warm the caches
    assert not result.errors, result.errors
    started = time.perf_counter()
    for _ in range(repeat):
        result = await schema.execute(QUERY, variables, context_value=context)
    figures["execute_ms"] = (time.perf_counter() - started) / repeat * 1000
    compiled = CompiledReads(schema.documents, settings)

    async def once() -> Any:
        document = schema.documents.compile(QUERY)
        bound, errors = bind_errors(document, schema.documents, variables, settings)
        assert not errors, errors
        plan = compiled.bind(document, bound)
        assert plan is not None, "the compiled path declined the benchmark's query"
        return await compiled.run(plan, context)

    answer = await once()
    started = time.perf_counter()
    for _ in range(repeat):
        answer = await once()
    figures["fast_ms"] = (time.perf_counter() - started) / repeat * 1000
    answers = [result.data, answer.data]
    assert orjson.dumps(answers[0]) == orjson.dumps(answers[1]), "the compiled path answered differently"
    data = answers[0]
    figures["nodes"] = len(data["neighbourhood"]["nodes"]) if data else 0
    figures["fields"] = _leaves(data)
    figures["us_per_field"] = figures["execute_ms"] * 1000 / figures["fields"]
    figures["orjson_ms"] = _timed(repeat, lambda: orjson.dumps(data)) * 1000
    return figures


def roomy(settings: Settings) -> Settings:
    """Limits that let a 2,000-node neighbourhood through."""
    return settings.model_copy(update={"max_neighbourhood_limit": 2000, "max_query_cost": 1_000_000})


def describe(figures: dict[str, Any]) -> str:
    return (
        f"executor: {figures['nodes']} nodes, {figures['fields']} fields: "
        f"{figures['execute_ms']:.2f} ms per request, compiled path {figures['fast_ms']:.2f} ms, "
        f"orjson {figures['orjson_ms']:.3f} ms"
    )


async def measure_executor(
    settings: Settings, location: GraphLocation, key: str, repeat: int = 30
) -> list[dict[str, Any]]:
    settings = roomy(settings)
    schema = build_schema(settings)
    graph = Graph.connect(location, timeout=120)
    figures = []
    try:
        for limit, depth in SIZES:
            recorder = _Recording(graph)
            variables = {"key": key, "depth": depth, "limit": limit}
            first = await schema.execute(QUERY, variables, context_value=_Context(recorder, settings))
            assert not first.errors, first.errors
            assert recorder.rows is not None
            measured = await time_executors(settings, recorder.rows, variables, repeat)
            figures.append(measured)
            print(describe(measured), flush=True)
    finally:
        await graph.close()
    return figures
