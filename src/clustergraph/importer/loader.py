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
from neo4j.exceptions import ConstraintError

from clustergraph.cypher.changelog import RECORD_CHANGES
from clustergraph.cypher.lookup import INDEX_MERGED_KEYS
from clustergraph.cypher.upsert import EXISTING_KINDS, upsert_nodes, upsert_relationships
from clustergraph.errors import WriteConflict
from clustergraph.graph import version as graph_version
from clustergraph.graph.db import Graph
from clustergraph.importer.changes import node_change, relationship_change
from clustergraph.importer.conflicts import retired_keys, retired_rows, subject, unique_value_rows
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


class BatchConflict(WriteConflict):
    """A batch the graph refused (a constraint broke) although the checks before writing found
    no conflict: another writer got there in between. The batch wrote nothing; earlier ones stay."""

    def __init__(
        self, what: str, batch: list[dict[str, Any]], error: ConstraintError, report: ImportReport
    ) -> None:
        ends = [row.get("key") or f"{row.get('start')} -> {row.get('end')}" for row in (batch[0], batch[-1])]
        done = report.created + report.updated + report.unchanged
        super().__init__(
            f"the graph refused a batch of {len(batch)} {what} rows ({ends[0]} … {ends[1]}): "
            f"{error.message or error}; that batch wrote nothing, the {done} rows of earlier batches "
            "were written (import again: rows already written change nothing)"
        )


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


async def plan_import(graph: Graph | None, path: Path) -> Plan:
    """The accepted rows of the files at `path` and the rejected ones, checked against
    `graph` (None: an empty graph, known to hold nothing to look up: the offline import)."""
    located: list[Located] = []
    plan = Plan()
    for item in read(path):
        if isinstance(item, Rejected):
            plan.rejected.append(item)
        else:
            located.append(item)
    node_kinds, nodes = _accept_nodes(located, plan)
    known = await _existing_kinds(graph, located, node_kinds) if graph else {}
    retired = await retired_keys(graph, _named_keys(located) - known.keys()) if graph else {}
    refused = _node_kind_rows(nodes, node_kinds, known)
    refused += retired_rows(nodes, retired)
    refused += await unique_value_rows(graph, nodes)
    dropped = _drop(plan, nodes, refused)
    kinds = {**known, **{k: v for k, v in node_kinds.items() if k not in dropped}}
    _accept_relationships(located, kinds, _Unwritable(retired, dropped), plan)
    return plan


def _named_keys(located: list[Located]) -> set[str]:
    keys: set[str] = set()
    for item in located:
        row = item.row
        keys.update(row.sources)
        keys.update((row.key,) if isinstance(row, NodeRow) else (row.start, row.end))
    return keys


def _drop(plan: Plan, nodes: list[Located], refused: list[Rejected]) -> dict[str, Located]:
    """Take the refused node rows out of the plan; their keys, with where each row was."""
    plan.rejected += refused
    lines = {(r.file, r.line) for r in refused}
    dropped = {i.row.key: i for i in nodes if (i.file, i.line) in lines and isinstance(i.row, NodeRow)}
    if dropped:
        for kind, rows in plan.nodes.items():
            plan.nodes[kind] = [r for r in rows if r.key not in dropped]
    return dropped


@dataclass(frozen=True)
class _Unwritable:
    """Keys a relationship row cannot end at: retired by a merge, or of a refused node row."""

    retired: dict[str, str]
    dropped: dict[str, Located]

    def reason(self, keys: tuple[str, str]) -> str | None:
        for key in keys:
            if key in self.retired:
                return f"key {key!r} was merged into {self.retired[key]!r}; name that entity instead"
            if key in self.dropped:
                seen = self.dropped[key]
                return f"its end {key!r} is refused ({seen.file.name}:{seen.line})"
        return None


def _accept_nodes(located: list[Located], plan: Plan) -> tuple[dict[str, Kind], list[Located]]:
    """The node rows whose keys do not repeat: their kinds by key, and the rows."""
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
    return kinds, list(first_line.values())


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


def _node_kind_rows(
    nodes: list[Located], node_kinds: dict[str, Kind], known: dict[str, Kind]
) -> list[Rejected]:
    """Node rows of a kind the graph holds their key under, or naming a source that is none."""
    kinds = {**known, **node_kinds}  # once, not per row: imports run to millions of rows
    refused = []
    for item in nodes:
        row = item.row
        assert isinstance(row, NodeRow)
        if row.key in known and known[row.key] is not row.kind:
            reason = f"key is a {known[row.key].value} in the graph, not a {row.kind.value}"
            refused.append(Rejected(item.file, item.line, reason, subject(row), conflict=True))
            continue
        for source in row.sources:
            if kinds.get(source) is not Kind.SOURCE:
                reason = f"source {source!r} is not a Source in this import or the graph"
                refused.append(Rejected(item.file, item.line, reason, subject(row)))
                break
    return refused


def _accept_relationships(
    located: list[Located], kinds: dict[str, Kind], unwritable: _Unwritable, plan: Plan
) -> None:
    seen: dict[tuple[Any, ...], Located] = {}
    for item in located:
        row = item.row
        if not isinstance(row, RelationshipRow):
            continue
        what = f"{row.rel} {row.start} -> {row.end}"
        conflict = unwritable.reason((row.start, row.end))
        reason = conflict or _relationship_problem(row, kinds, seen)
        if reason:
            plan.rejected.append(Rejected(item.file, item.line, reason, what, conflict=conflict is not None))
            continue
        seen[row.identity()] = item
        plan.relationships[row.rel].append(row)


def _relationship_problem(
    row: RelationshipRow, kinds: dict[str, Kind], seen: dict[tuple[Any, ...], Located]
) -> str | None:
    missing = [k for k in (row.start, row.end) if k not in kinds]
    bad_sources = [s for s in row.sources if kinds.get(s) is not Kind.SOURCE]
    if missing:
        return f"no entity with key {missing[0]!r} in this import or the graph"
    if bad_sources:
        return f"source {bad_sources[0]!r} is not a Source in this import or the graph"
    if row.identity() in seen:
        first = seen[row.identity()]
        return f"relationship repeats {first.file.name}:{first.line}"
    try:
        row.check_ends(kinds[row.start], kinds[row.end])
    except ValueError as error:
        return str(error)
    return None


def search_text(row: NodeRow) -> str:
    """Every name and alias of an entity, for the full-text index."""
    names = [v.split(":", 1)[1] for v in row.properties.get("names", [])]
    code = [row.properties["nutsCode"]] if "nutsCode" in row.properties else []  # a region is found by code
    return " | ".join(dict.fromkeys([*names, *row.properties.get("aliases", []), *code]))


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
            kind.value,
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
            rel_type,
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
    what: str,
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

        try:
            changed, created = await graph.transaction(work)
        except ConstraintError as error:
            raise BatchConflict(what, batch, error, report) from error
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
