"""`clustergraph import --offline`: validate, write neo4j-admin's input, stop, import, start.

Only into an empty database of the managed local server: neo4j-admin writes the store
files itself (replacing the database), which needs the server stopped and its files here.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, LiteralString, TypeVar

from clustergraph.cypher.lookup import INDEX_MERGED_KEYS
from clustergraph.cypher.offline import HELD_NODES, SET_CHANGE_SOURCES, set_entity_list
from clustergraph.errors import OperatorError
from clustergraph.graph import location as graph_location
from clustergraph.graph import version as graph_version
from clustergraph.graph.db import Graph
from clustergraph.graph.migrations import migrate
from clustergraph.graph.neo4j_local import LocalServer, Neo4jLocalError
from clustergraph.importer.loader import ImportReport, Plan, plan_import
from clustergraph.offline.files import BulkInput, write_input
from clustergraph.offline.schema import apply_schema
from clustergraph.settings import Settings

DATABASE = "neo4j"  # the managed server's one user database
ADMIN_TIMEOUT = 4 * 3600.0

Say = Callable[[str], None]
T = TypeVar("T")
PATCH_BATCH = 10_000


class OfflineImportRefused(OperatorError):
    """The offline import cannot run here; the message says why and what to do instead."""


@dataclass
class OfflineReport:
    report: ImportReport
    files: BulkInput | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # per phase, in order

    @property
    def total_s(self) -> float:
        return sum(self.seconds.values())


def _quiet(_: str) -> None:
    return None


def offline_import(
    settings: Settings,
    path: Path,
    dry_run: bool = False,
    skip_invalid: bool = False,
    history: bool = True,
    actor: str = "import",
    say: Say = _quiet,
) -> OfflineReport:
    if graph_location.choose_origin(settings) != "local":
        raise OfflineImportRefused(
            "the offline import writes the database files of the Neo4j that clustergraph runs "
            "itself, and this Neo4j is not (NEO4J_URI is set or Docker runs it): use `clustergraph import`"
        )
    server = graph_location.local_server(settings)
    location = graph_location.resolve(settings, start=True)
    clock = _Clock()
    plan = asyncio.run(_with(Graph.connect(location, timeout=600), lambda g: _checked_plan(g, path)))
    result = OfflineReport(ImportReport(rejected=sorted(plan.rejected, key=lambda r: (str(r.file), r.line))))
    result.seconds["validate"] = clock.lap()
    if dry_run or (plan.rejected and not skip_invalid):
        return result
    server.home.joinpath("import").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="offline-", dir=server.home / "import") as folder:
        files = write_input(plan, Path(folder), history=history, actor=actor)
        result.files = files
        result.seconds["write files"] = clock.lap()
        say(
            f"wrote neo4j-admin's input: {files.entities:,} entities, {files.relationship_rows:,} relationships"
        )
        server.stop()
        result.seconds["stop Neo4j"] = clock.lap()
        _run_importer(server, settings, files, say)
        result.seconds["neo4j-admin import"] = clock.lap()
    server.start(timeout=settings.neo4j_start_timeout)
    result.seconds["start Neo4j"] = clock.lap()
    say("Neo4j started: creating constraints and indexes")
    asyncio.run(_with(Graph.connect(location, timeout=3600), lambda g: _finish(g, files)))
    result.seconds["schema"] = clock.lap()
    _count(result.report, files)
    return result


class _Clock:
    def __init__(self) -> None:
        self.last = time.perf_counter()

    def lap(self) -> float:
        now = time.perf_counter()
        lap, self.last = now - self.last, now
        return lap


async def _with(graph: Graph, work: Callable[[Graph], Awaitable[T]]) -> T:
    try:
        return await work(graph)
    finally:
        await graph.close()


async def _checked_plan(graph: Graph, path: Path) -> Plan:
    await refuse_unless_empty(graph)
    # Empty: no key, retired key or unique value to look up in it.
    return await plan_import(None, path)


async def refuse_unless_empty(graph: Graph) -> None:
    [row] = await graph.read(HELD_NODES)
    if row["held"]:
        labels = sorted({label for labels in row["held"] for label in labels})
        raise OfflineImportRefused(
            f"the database is not empty: it holds {row['nodes']:,} nodes ({', '.join(labels) or 'unlabelled'}"
            f"{', ...' if len(row['held']) == 100 else ''}). The offline import loads only into an empty "
            "database, which it replaces whole; use `clustergraph import PATH` to add to this one"
        )


def _run_importer(server: LocalServer, settings: Settings, files: BulkInput, say: Say) -> None:
    say("Neo4j stopped: running neo4j-admin database import full")
    try:
        server.admin(
            "database",
            "import",
            "full",
            # The database exists (the server created it) but was found empty above.
            "--overwrite-destination=true",
            f"--report-file={files.folder / 'import.report'}",
            *files.arguments(),
            DATABASE,
            timeout=ADMIN_TIMEOUT,
        )
    except Neo4jLocalError:
        # What neo4j-admin left may be half a store: start again from an empty database.
        for sub in (f"databases/{DATABASE}", f"transactions/{DATABASE}"):
            shutil.rmtree(server.home / "data" / sub, ignore_errors=True)
        server.start(timeout=settings.neo4j_start_timeout)
        location = graph_location.resolve(settings)
        asyncio.run(_with(Graph.connect(location, timeout=600), migrate))
        raise


async def _finish(graph: Graph, files: BulkInput) -> None:
    """What follows the importer: the schema, the lists no cell could hold, merged keys, version."""
    await apply_schema(graph)
    for name, rows in sorted(files.entity_lists.items()):
        await _in_batches(graph, set_entity_list(name), rows)
    await _in_batches(graph, SET_CHANGE_SOURCES, files.change_sources)
    if files.entities or files.relationship_rows:
        # As the online import does after its writes (see importer.loader.write_plan).
        await graph.autocommit(INDEX_MERGED_KEYS, {"keys": None})
        await graph_version.bump(graph)


async def _in_batches(graph: Graph, cypher: LiteralString, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), PATCH_BATCH):
        await graph.write(cypher, {"rows": rows[start : start + PATCH_BATCH]})


def _count(report: ImportReport, files: BulkInput) -> None:
    report.created = files.entities + files.relationship_rows
    report.nodes = files.entities
    report.relationships = files.relationship_rows
    report.written = True
