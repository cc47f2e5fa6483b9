"""Cross-cutting behaviour of the schema, kept out of resolvers (the request policies: `execution/policies.py`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from clustergraph.graph import version as graph_version
from clustergraph.graph.db import current_bookmarks


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
