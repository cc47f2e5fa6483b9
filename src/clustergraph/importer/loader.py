"""Validating a whole import, then writing it in batches of parameterised Cypher.

Rows are checked first, alone (reader) and against each other and the graph (here):
duplicate keys, relationship ends that exist and are of the kinds the type allows,
sources that are Source nodes. By default nothing is written when any row is rejected.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from neo4j import AsyncManagedTransaction

from clustergraph import graph_version
from clustergraph.cypher.changelog import RECORD_CHANGES
from clustergraph.cypher.lookup import INDEX_MERGED_KEYS
from clustergraph.cypher.upsert import EXISTING_KINDS, upsert_nodes, upsert_relationships
from clustergraph.db import Graph
from clustergraph.importer.changes import node_change, relationship_change
from clustergraph.importer.reader import Located, Rejected, read
from clustergraph.importer.rows import NodeRow, RelationshipRow
from clustergraph.model import Kind

BATCH_SIZE = 5000
# Sources first (every entity points to them), places next, then the rest.
KIND_ORDER = [Kind.SOURCE, Kind.COUNTRY, Kind.REGION, Kind.CITY] + [
    k for k in Kind if k not in {Kind.SOURCE, Kind.COUNTRY, Kind.REGION, Kind.CITY}
]

Progress = Callable[[int], None]

# Who the history records as the writer of an import: the operator running it, not a caller.
IMPORT_ROLE = "system"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    nodes: int = 0
    relationships: int = 0
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.rejected


@dataclass
class Plan:
    """The accepted rows of an import, grouped for batched writing."""

    nodes: dict[Kind, list[NodeRow]] = field(default_factory=lambda: defaultdict(list))
    relationships: dict[str, list[RelationshipRow]] = field(default_factory=lambda: defaultdict(list))
    rejected: list[Rejected] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(map(len, self.nodes.values())) + sum(map(len, self.relationships.values()))


async def plan_import(graph: Graph, path: Path) -> Plan:
    located: list[Located] = []
    plan = Plan()
    for item in read(path):
        if isinstance(item, Rejected):
            plan.rejected.append(item)
        else:
            located.append(item)
    node_kinds = _accept_nodes(located, plan)
    known = await _existing_kinds(graph, located, node_kinds)
    _check_node_kinds(located, node_kinds, known, plan)
    kinds = {**known, **node_kinds}
    _accept_relationships(located, kinds, plan)
    return plan


def _accept_nodes(located: list[Located], plan: Plan) -> dict[str, Kind]:
    kinds: dict[str, Kind] = {}
    first_line: dict[str, Located] = {}
    for item in located:
        row = item.row
        if not isinstance(row, NodeRow):
            continue
        if row.key in first_line:
            seen = first_line[row.key]
            plan.rejected.append(
                Rejected(item.file, item.line, f"key {row.key!r} repeats {seen.file.name}:{seen.line}")
            )
            continue
        first_line[row.key] = item
        kinds[row.key] = row.kind
        plan.nodes[row.kind].append(row)
    return kinds


async def _existing_kinds(
    graph: Graph, located: list[Located], node_kinds: dict[str, Kind]
) -> dict[str, Kind]:
    keys: set[str] = set(node_kinds)
    for item in located:
        row = item.row
        keys.update(row.sources)
        if isinstance(row, RelationshipRow):
            keys.update((row.start, row.end))
    found = await graph.read(EXISTING_KINDS, {"keys": sorted(keys)})
    return {r["key"]: Kind(r["kind"]) for r in found if r["kind"] in Kind._value2member_map_}


def _check_node_kinds(
    located: list[Located], node_kinds: dict[str, Kind], known: dict[str, Kind], plan: Plan
) -> None:
    kinds = {**known, **node_kinds}  # once, not per row: imports run to millions of rows
    dropped: set[str] = set()
    for item in located:
        row = item.row
        if not isinstance(row, NodeRow):
            continue
        reason = None
        if row.key in known and known[row.key] is not row.kind:
            reason = f"key {row.key!r} is a {known[row.key].value} in the graph, not a {row.kind.value}"
        for source in row.sources:
            if kinds.get(source) is not Kind.SOURCE:
                reason = f"source {source!r} is not a Source in this import or the graph"
        if reason:
            plan.rejected.append(Rejected(item.file, item.line, reason))
            dropped.add(row.key)
    if dropped:
        for kind, rows in plan.nodes.items():
            plan.nodes[kind] = [r for r in rows if r.key not in dropped]


def _accept_relationships(located: list[Located], kinds: dict[str, Kind], plan: Plan) -> None:
    seen: dict[tuple[Any, ...], Located] = {}
    for item in located:
        row = item.row
        if not isinstance(row, RelationshipRow):
            continue
        reason = None
        missing = [k for k in (row.start, row.end) if k not in kinds]
        bad_sources = [s for s in row.sources if kinds.get(s) is not Kind.SOURCE]
        if missing:
            reason = f"no entity with key {missing[0]!r} in this import or the graph"
        elif bad_sources:
            reason = f"source {bad_sources[0]!r} is not a Source in this import or the graph"
        elif row.identity() in seen:
            first = seen[row.identity()]
            reason = f"relationship repeats {first.file.name}:{first.line}"
        else:
            try:
                row.check_ends(kinds[row.start], kinds[row.end])
            except ValueError as error:
                reason = str(error)
        if reason:
            plan.rejected.append(Rejected(item.file, item.line, reason))
            continue
        seen[row.identity()] = item
        plan.relationships[row.rel].append(row)


def search_text(row: NodeRow) -> str:
    """Every name and alias of an entity, for the full-text index."""
    names = [v.split(":", 1)[1] for v in row.properties.get("names", [])]
    return " | ".join(dict.fromkeys([*names, *row.properties.get("aliases", [])]))


def node_params(row: NodeRow) -> dict[str, Any]:
    """The node's properties as stored: `key`, `sources` and the search text included."""
    return {**row.properties, "key": row.key, "sources": list(row.sources), "searchText": search_text(row)}


def relationship_params(row: RelationshipRow) -> dict[str, Any]:
    return {"start": row.start, "end": row.end, "props": {**row.properties, "sources": list(row.sources)}}


async def write_plan(
    graph: Graph,
    plan: Plan,
    report: ImportReport,
    progress: Progress | None = None,
    actor: str = "import",
    history: bool = True,
) -> None:
    """Write the plan in batches; with `history`, each changed row also leaves a Change."""
    for kind in KIND_ORDER:
        rows = [node_params(r) for r in plan.nodes.get(kind, [])]
        await _write_batches(
            graph,
            upsert_nodes(kind, rows=history),
            rows,
            report,
            progress,
            actor,
            partial(node_change, kind),
            history,
        )
        report.nodes += len(rows)
    for rel_type, rel_rows in sorted(plan.relationships.items()):
        rows = [relationship_params(r) for r in rel_rows]
        change = partial(relationship_change, rel_type)
        await _write_batches(
            graph,
            upsert_relationships(rel_type, rows=history),
            rows,
            report,
            progress,
            actor,
            change,
            history,
        )
        report.relationships += len(rows)
    report.written = True
    if report.created or report.updated:
        # Imported entities may carry merged keys (an export of a curated graph does).
        await graph.autocommit(INDEX_MERGED_KEYS, {"keys": None})
        # After the writes, never before: see graph_version.
        await graph_version.bump(graph)


async def _write_batches(
    graph: Graph,
    cypher: Any,
    rows: list[dict[str, Any]],
    report: ImportReport,
    progress: Progress | None,
    actor: str,
    change: Callable[[dict[str, Any]], dict[str, Any]],
    history: bool,
) -> None:
    for batch in _batches(rows, BATCH_SIZE):

        async def work(tx: AsyncManagedTransaction, batch: list[dict[str, Any]] = batch) -> tuple[int, int]:
            result = await tx.run(cypher, rows=batch)
            records = [record.data() async for record in result]
            if not history:
                return int(records[0]["changed"]), int(records[0]["created"] or 0)
            # Only the rows that changed something come back; their history records are
            # written in the batch's own transaction.
            if records:
                await tx.run(
                    RECORD_CHANGES, changes=[change(r) for r in records], actor=actor, actorRole=IMPORT_ROLE
                )
            return len(records), sum(1 for r in records if r["created"])

        changed, created = await graph.transaction(work)
        report.created += created
        report.updated += changed - created
        report.unchanged += len(batch) - changed
        if progress:
            progress(len(batch))


def _batches(rows: list[dict[str, Any]], size: int) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


async def load(
    graph: Graph,
    path: Path,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Callable[[int], Progress] | None = None,
    actor: str = "import",
    history: bool = True,
) -> ImportReport:
    """Validate the files at `path`; unless told otherwise, write them only when every row is valid."""
    plan = await plan_import(graph, path)
    report = ImportReport(rejected=sorted(plan.rejected, key=lambda r: (str(r.file), r.line)))
    if dry_run or (plan.rejected and not skip_invalid):
        return report
    await write_plan(graph, plan, report, progress(plan.size) if progress else None, actor, history)
    return report
