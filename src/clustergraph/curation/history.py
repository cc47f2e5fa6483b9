"""Reading an entity's history: its changes, newest first, under its key and every key merged into it."""

from __future__ import annotations

import json
from typing import Any

from clustergraph.cypher import history
from clustergraph.db import Graph


async def entity_history(graph: Graph, key: str, first: int) -> list[dict[str, Any]]:
    rows = await graph.read(history.HISTORY, {"key": key, "first": first})
    for row in rows:
        for side in ("before", "after"):
            row[side] = None if row[side] is None else json.loads(row[side])
    return rows
