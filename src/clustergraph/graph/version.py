"""Reading and bumping the graph's version (see `cypher/version.py`).

Every path that writes to the graph calls `bump` after its writes have committed: a
reader that saw the old version then saw at most the new data under the old tag, and
its next request gets the new tag, so no answer stays stale after a write.
"""

from __future__ import annotations

from clustergraph.cypher.version import BUMP_VERSION, READ_VERSION
from clustergraph.graph.db import Graph

# The version of a graph no writer has marked yet (an empty or hand-filled database).
UNMARKED = "unmarked"


async def current(graph: Graph) -> str:
    rows = await graph.read(READ_VERSION)
    return str(rows[0]["version"] or UNMARKED) if rows else UNMARKED


async def bump(graph: Graph) -> str:
    rows = await graph.write(BUMP_VERSION)
    return str(rows[0]["version"])
