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

from clustergraph.api.schema import build_schema
from clustergraph.db import Graph
from clustergraph.location import GraphLocation
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


async def measure_executor(
    settings: Settings, location: GraphLocation, key: str, repeat: int = 30
) -> list[dict[str, Any]]:
    settings = settings.model_copy(update={"max_neighbourhood_limit": 2000})
    schema = build_schema(settings)
    graph = Graph.connect(location, timeout=120)
    figures = []
    try:
        for limit, depth in SIZES:
            recorder = _Recording(graph)
            variables = {"key": key, "depth": depth, "limit": limit}
            first = await schema.execute(QUERY, variables, context_value=_Context(recorder, settings))
            assert not first.errors, first.errors
            context = _Context(_Canned(recorder.rows), settings)
            started = time.perf_counter()
            for _ in range(repeat):
                result = await schema.execute(QUERY, variables, context_value=context)
            executed = (time.perf_counter() - started) / repeat
            started = time.perf_counter()
            for _ in range(repeat):
                orjson.dumps(result.data)
            serialised = (time.perf_counter() - started) / repeat
            nodes = len(result.data["neighbourhood"]["nodes"]) if result.data else 0
            fields = _leaves(result.data)
            figures.append(
                {
                    "nodes": nodes,
                    "fields": fields,
                    "execute_ms": executed * 1000,
                    "us_per_field": executed * 1e6 / fields,
                    "orjson_ms": serialised * 1000,
                }
            )
            print(
                f"executor: {nodes} nodes, {fields} fields: {executed * 1000:.2f} ms per request, "
                f"orjson {serialised * 1000:.3f} ms",
                flush=True,
            )
    finally:
        await graph.close()
    return figures
