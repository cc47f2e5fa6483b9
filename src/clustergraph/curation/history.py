"""Reading an entity's history: its changes, newest first, under its key and every key merged into it."""

from __future__ import annotations

import json
from typing import Any

from clustergraph.cypher import history, writes
from clustergraph.db import Graph


async def entity_history(graph: Graph, key: str, first: int) -> list[dict[str, Any]]:
    found = await graph.read(writes.ENTITY_STATE, {"key": key})
    # A deleted entity has no node any more, but its changes still name its key.
    keys = [found[0]["key"], *(found[0]["properties"].get("mergedKeys") or [])] if found else [key]
    rows = await graph.read(history.HISTORY, {"keys": keys, "first": first})
    for row in rows:
        for side in ("before", "after"):
            row[side] = None if row[side] is None else json.loads(row[side])
    return rows
