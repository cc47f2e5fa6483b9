"""Cross-cutting behaviour of the schema, kept out of resolvers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from clustergraph import graph_version
from clustergraph.db import query_counter


class CypherQueryCount(SchemaExtension):
    """Reports how many Cypher queries a request cost, as `extensions.cypherQueries`."""

    def on_execute(self) -> Iterator[None]:
        self._queries: list[str] = []
        token = query_counter.set(self._queries)
        try:
            yield
        finally:
            query_counter.reset(token)

    def get_results(self) -> dict[str, Any]:
        return {"cypherQueries": len(getattr(self, "_queries", []))}


class BumpGraphVersionAfterMutations(SchemaExtension):
    """After a mutation, mark the graph changed so cached GET answers (ETags) are not reused."""

    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context
        if context.operation_type is not OperationType.MUTATION or context.result is None:
            return
        # A mutation field answers null when it failed (and wrote nothing); any other
        # answer means its transaction committed.
        if any(value is not None for value in (context.result.data or {}).values()):
            await graph_version.bump(context.context.graph)
