"""Bulk-loading speed: the functions `clustergraph import` runs, timed phase by phase,
into an emptied database.

Validation (reading, checking every row, looking up existing keys), writing the nodes
and writing the relationships are timed apart; nodes/s and relationships/s are the
rows of each kind over the time spent writing them, and the end-to-end figure is
everything over the whole import.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from clustergraph.graph import location as graph_location
from clustergraph.graph.db import Graph
from clustergraph.graph.migrations import migrate
from clustergraph.importer.loader import ImportReport, plan_import, write_plan
from clustergraph.settings import Settings


@dataclass(frozen=True)
class ImportFigures:
    nodes: int
    relationships: int
    validate_s: float
    nodes_s: float
    relationships_s: float
    rejected: int

    @property
    def total_s(self) -> float:
        return self.validate_s + self.nodes_s + self.relationships_s

    @property
    def nodes_per_s(self) -> float:
        return self.nodes / self.nodes_s

    @property
    def relationships_per_s(self) -> float:
        return self.relationships / self.relationships_s


def empty_store(settings: Settings) -> bool:
    """A managed server gets a fresh store (stop, remove the database's files, start):
    the honest empty database, and much faster than deleting a million relationships."""
    if graph_location.choose_origin(settings) != "local":
        return False
    server = graph_location.local_server(settings)
    server.stop()
    for sub in ("databases/neo4j", "transactions/neo4j"):
        shutil.rmtree(server.home / "data" / sub, ignore_errors=True)
    server.start(timeout=settings.neo4j_start_timeout)
    return True


async def empty(graph: Graph) -> None:
    """Delete everything (relationships first: one node can hold 200,000 of them), then migrate."""
    await graph.autocommit("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS")
    await graph.autocommit("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 20000 ROWS")
    await migrate(graph)


async def timed_import(graph: Graph, folder: Path) -> ImportFigures:
    started = time.perf_counter()
    plan = await plan_import(graph, folder)
    validated = time.perf_counter()
    if plan.rejected:
        raise RuntimeError(f"{len(plan.rejected)} rows rejected, first: {plan.rejected[0]}")
    node_rows = sum(map(len, plan.nodes.values()))
    done = 0
    nodes_done_at = validated

    def progress(n: int) -> None:
        nonlocal done, nodes_done_at
        done += n
        if done == node_rows:
            nodes_done_at = time.perf_counter()

    report = ImportReport()
    # Synthetic data needs no audit trail: as `clustergraph import --no-history`.
    await write_plan(graph, plan, report, progress, history=False)
    finished = time.perf_counter()
    return ImportFigures(
        nodes=report.nodes,
        relationships=report.relationships,
        validate_s=validated - started,
        nodes_s=nodes_done_at - validated,
        relationships_s=finished - nodes_done_at,
        rejected=len(plan.rejected),
    )
