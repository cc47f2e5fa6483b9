"""Cross-cutting behaviour of the schema, kept out of resolvers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from strawberry.extensions import SchemaExtension

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
