"""Cross-cutting behaviour of the schema, kept out of resolvers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from clustergraph import graph_version
from clustergraph.db import current_bookmarks, query_counter
from clustergraph.observe import record_operation


class OperationRecord(SchemaExtension):
    """Leaves each operation's name and outcome where the request log and metrics find them."""

    def on_operation(self) -> Iterator[None]:
        yield
        context = self.execution_context.context
        request = getattr(context, "request", None)
        if request is None:
            return
        result = self.execution_context.result
        errors = (result.errors if result is not None else None) or []
        codes = [str((e.extensions or {}).get("code")) for e in errors]
        outcome = codes[0] if codes else "ok"
        record_operation(request.scope, self.execution_context.operation_name, outcome, len(errors))


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
    """After a mutation, mark the graph changed so cached GET answers (ETags) are not reused,
    and answer the bookmark of that last write as `extensions.bookmark`: a read that sends
    it back (the `Clustergraph-Bookmark` header) sees the mutation on any replica."""

    async def on_execute(self) -> AsyncIterator[None]:
        self._bookmark: str | None = None
        yield
        context = self.execution_context
        if context.operation_type is not OperationType.MUTATION or context.result is None:
            return
        # A mutation field answers null when it failed (and wrote nothing); any other
        # answer means its transaction committed.
        if any(value is not None for value in (context.result.data or {}).values()):
            await graph_version.bump(context.context.graph)
            self._bookmark = ",".join(await current_bookmarks()) or None

    def get_results(self) -> dict[str, Any]:
        bookmark = getattr(self, "_bookmark", None)
        return {"bookmark": bookmark} if bookmark else {}
