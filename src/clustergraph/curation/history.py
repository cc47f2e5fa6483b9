"""Reading an entity's history: its changes, newest first, under its key and every key merged
into it, one page at a time (keyset on the change log's sequence number)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from clustergraph.cypher import history
from clustergraph.graph.db import Graph

# Above every sequence number: the first page starts below it.
_NEWEST = 2**63 - 1


@dataclass(frozen=True)
class HistoryPage:
    changes: list[dict[str, Any]]  # each with its `seq`, newest first
    has_next: bool  # older changes follow the last one


async def entity_history(graph: Graph, key: str, first: int, before: int | None = None) -> HistoryPage:
    """Up to `first` changes of the entity, newest first, older than change number `before`."""
    params = {"key": key, "before": _NEWEST if before is None else before, "limit": first + 1}
    rows = await graph.read(history.HISTORY_PAGE, params)
    for row in rows:
        for side in ("before", "after"):
            row[side] = None if row[side] is None else json.loads(row[side])
    return HistoryPage(rows[:first], len(rows) > first)
