"""History pages on a busy entity: time and index entries read per page, first and deep.

Loads the seed plus N link rows that all end at one project (one Change each, through the
import's own history path), then reads that project's history page by page to the end with
the cursors, as `history` does, and reports the median time of a page near the start and
near the end, and the most index entries one page read (PROFILE). For comparison it times
the query `history` ran before it was paged (every Change filtered by its keys, then sorted).

    python -m bench.history_pages [N]    # against the Neo4j `clustergraph` finds (CLUSTERGRAPH_*)
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from clustergraph.curation.history import entity_history
from clustergraph.cypher.history import HISTORY_PAGE
from clustergraph.graph import location as graph_location
from clustergraph.graph.db import Graph
from clustergraph.graph.migrations import migrate
from clustergraph.importer.loader import load
from clustergraph.paths import SEED_DIR
from clustergraph.settings import Settings

TARGET = "project:clustrat"
PAGE = 100

# What `history` ran before it was paged: every Change read and filtered by its keys.
UNPAGED = """
MATCH (c:Change) WHERE any(k IN c.keys WHERE k IN [$key])
RETURN c.id AS id ORDER BY c.at DESC, c.id DESC LIMIT $first
"""


def _rows(count: int) -> str:
    lines = []
    for i in range(count):
        node = {
            "type": "node",
            "kind": "Organisation",
            "key": f"organisation:history-bench-{i:06d}",
            "properties": {"name": f"History Bench {i}"},
            "sources": ["source:s6"],
        }
        link = {
            "type": "relationship",
            "rel": "PARTNER_IN",
            "from": node["key"],
            "to": TARGET,
            "properties": {"role": "partner"},
            "sources": ["source:s6"],
        }
        lines += [json.dumps(node), json.dumps(link)]
    return "\n".join(lines) + "\n"


async def _timed(work: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = await work
    return time.perf_counter() - started, result


async def _index_rows(graph: Graph, before: int) -> int:
    params = {"key": TARGET, "before": before, "limit": PAGE + 1}
    async with graph.driver.session(database=graph.database) as session:
        result = await session.run("PROFILE " + HISTORY_PAGE, params)  # type: ignore[arg-type]
        summary = await result.consume()

    def seeks(plan: dict[str, Any]) -> int:
        own = int(plan.get("rows", 0)) if str(plan.get("operatorType", "")).startswith("NodeIndexSeek") else 0
        return own + sum(seeks(child) for child in plan.get("children", []))

    assert summary.profile is not None
    return seeks(summary.profile)


async def main(count: int) -> None:
    graph = Graph.connect(graph_location.resolve(Settings()), timeout=600)
    try:
        await graph.autocommit("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
        await migrate(graph)
        await load(graph, SEED_DIR)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "busy.jsonl"
            path.write_text(_rows(count), encoding="utf-8")
            load_s, report = await _timed(load(graph, path))
        changes = (await graph.read("MATCH (c:Change) RETURN count(c) AS n"))[0]["n"]
        print(f"loaded {report.created} rows with history in {load_s:.1f} s; {changes} changes in the log")
        times, seen, before, reads = [], 0, None, []
        while True:
            elapsed, page = await _timed(entity_history(graph, TARGET, PAGE, before))
            times.append(elapsed)
            seen += len(page.changes)
            if not page.has_next:
                break
            before = int(page.changes[-1]["seq"])
            if len(times) in (1, count // PAGE // 2):
                reads.append(await _index_rows(graph, before))
        print(f"{TARGET}: {seen} changes in {len(times)} pages of {PAGE}")
        first, last = times[: max(len(times) // 10, 1)], times[-max(len(times) // 10, 1) :]
        print(
            f"page time: median {statistics.median(times) * 1000:.1f} ms; first tenth "
            f"{statistics.median(first) * 1000:.1f} ms, last tenth {statistics.median(last) * 1000:.1f} ms"
        )
        print(
            f"index entries read by one page (PROFILE, first and middle page): {reads} (bound {PAGE + 1} per key)"
        )
        old = [(await _timed(graph.read(UNPAGED, {"key": TARGET, "first": PAGE})))[0] for _ in range(5)]
        print(
            f"the unpaged query it replaces, first {PAGE} only: median {statistics.median(old) * 1000:.1f} ms"
        )
    finally:
        await graph.close()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000))
