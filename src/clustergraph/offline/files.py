"""An accepted import plan written as neo4j-admin's input: one CSV file per group.

What is written is what the online import (`importer.loader.write_plan`) leaves in an
empty database, in the same order: entities with `key`, `sources` and `searchText`, a
`SOURCED_FROM` edge per source, the relationships, and with history one `Change` per
row (numbered as the online import numbers them), its `ChangeKey`s and the `ChangeLog`
counter. Entities share one ID space, `Entity`, keyed by `key` (unique across kinds).
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clustergraph.importer.changes import node_change, relationship_change
from clustergraph.importer.loader import IMPORT_ROLE, KIND_ORDER, Plan, node_params
from clustergraph.importer.rows import NodeRow, RelationshipRow
from clustergraph.model import (
    CHANGE_KEY_LABEL,
    CHANGE_LABEL,
    ENTITY_LABEL,
    Kind,
    properties_of,
    rel_properties_of,
)
from clustergraph.offline.cells import ABSENT, ARRAY_DELIMITER_OPTION, cell, expressible, header, multiline

PROVENANCE = "SOURCED_FROM"
CHANGE_LOG_LABEL = "ChangeLog"
_START, _END = f":START_ID({ENTITY_LABEL})", f":END_ID({ENTITY_LABEL})"
# Besides the kind's own properties, what the online import stores on every entity.
_STORED: dict[str, type] = {"sources": list, "searchText": str}
_CHANGE_COLUMNS: list[tuple[str, type | str]] = [
    ("id", str),
    ("seq", int),
    ("at", "datetime"),
    ("actor", str),
    ("actorRole", str),
    ("action", str),
    ("key", str),
    ("keys", list),
    ("kind", str),
    ("before", str),
    ("after", str),
    ("sources", list),
]


@dataclass
class BulkInput:
    """The files of one import and what neo4j-admin needs to be told about them."""

    folder: Path
    nodes: list[tuple[str, Path]] = field(default_factory=list)  # (labels, file)
    relationships: list[tuple[str, Path]] = field(default_factory=list)  # (type, file)
    multiline: bool = False
    # Lists a cell cannot hold (`cells.expressible`), set with Cypher after the import.
    entity_lists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # property -> {key, value}
    change_sources: list[dict[str, Any]] = field(default_factory=list)  # {seq, value}
    entities: int = 0
    relationship_rows: int = 0
    provenance: int = 0
    changes: int = 0

    def arguments(self) -> list[str]:
        return [
            *(f"--nodes={labels}={file}" for labels, file in self.nodes),
            *(f"--relationships={rel}={file}" for rel, file in self.relationships),
            f"--array-delimiter={ARRAY_DELIMITER_OPTION}",
            f"--multiline-fields={'true' if self.multiline else 'false'}",
        ]


@contextmanager
def _csv(path: Path, columns: list[str]) -> Iterator[Any]:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(columns) + "\n")
        yield csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")


def write_input(plan: Plan, folder: Path, history: bool = True, actor: str = "import") -> BulkInput:
    """Write `plan` (validated against an empty graph) into `folder`."""
    out = BulkInput(folder)
    kinds = {row.key: kind for kind, rows in plan.nodes.items() for row in rows}
    explicit = {(r.start, r.end) for r in plan.relationships.get(PROVENANCE, [])}
    with _change_log(folder, out, actor, history) as changes:
        with _csv(folder / f"rel-{PROVENANCE}-sources.csv", [_START, _END]) as provenance:
            for kind in KIND_ORDER:
                if plan.nodes.get(kind):
                    _write_nodes(kind, plan.nodes[kind], out, changes, provenance, explicit)
        out.relationships.append((PROVENANCE, folder / f"rel-{PROVENANCE}-sources.csv"))
        for rel_type, rows in sorted(plan.relationships.items()):
            _write_relationships(rel_type, rows, kinds, out, changes)
    return out


def _write_nodes(
    kind: Kind,
    rows: list[NodeRow],
    out: BulkInput,
    changes: _Changes,
    provenance: Any,
    explicit: set[tuple[str, str]],
) -> None:
    types = {**properties_of(kind), **_STORED}
    stored = [node_params(row) for row in rows]
    names = sorted({name for params in stored for name in params} - {"key"})
    file = out.folder / f"nodes-{kind.value}.csv"
    with _csv(file, [f"key:ID({ENTITY_LABEL})", *(header(n, types[n]) for n in names)]) as writer:
        for row, params in zip(rows, stored, strict=True):
            writer.writerow([row.key, *(_node_cell(out, row.key, n, params.get(n)) for n in names)])
            # MERGE in the online import: a source named twice is one edge; an explicit
            # SOURCED_FROM row is that edge (with its properties), written with the relationships.
            for source in dict.fromkeys(row.sources):
                if (row.key, source) not in explicit:
                    provenance.writerow([row.key, source])
                    out.provenance += 1
            changes.node(kind, row.key, params)
    out.nodes.append((f"{ENTITY_LABEL}:{kind.value}", file))
    out.entities += len(rows)


def _node_cell(out: BulkInput, key: str, name: str, value: Any) -> Any:
    if isinstance(value, list) and not expressible(value):
        out.entity_lists.setdefault(name, []).append({"key": key, "value": value})
        return ABSENT
    out.multiline = out.multiline or multiline(value)
    return cell(value)


def _write_relationships(
    rel_type: str, rows: list[RelationshipRow], kinds: dict[str, Kind], out: BulkInput, changes: _Changes
) -> None:
    types = rel_properties_of(rel_type)
    names = sorted({name for row in rows for name in row.properties})
    # Which columns may span lines (strings); `sources`, last, are keys (never empty: validation).
    texts = [n for n in names if types[n] is str]
    file = out.folder / f"rel-{rel_type}.csv"
    columns = [_START, _END, *(header(n, types[n]) for n in names), header("sources", list)]
    with _csv(file, columns) as writer:
        for row in rows:
            props = row.properties
            out.multiline = out.multiline or any(multiline(props.get(n)) for n in texts)
            writer.writerow([row.start, row.end, *[cell(props.get(n)) for n in names], cell(row.sources)])
            changes.relationship(rel_type, row, kinds[row.start])
    out.relationships.append((rel_type, file))
    out.relationship_rows += len(rows)


@contextmanager
def _change_log(folder: Path, out: BulkInput, actor: str, history: bool) -> Iterator[_Changes]:
    """The Change and ChangeKey files (with history), then the ChangeLog's counter."""
    with ExitStack() as files:
        changes = keys = None
        if history:
            changes = files.enter_context(
                _csv(folder / "changes.csv", [header_of(c) for c in _CHANGE_COLUMNS])
            )
            keys = files.enter_context(_csv(folder / "change-keys.csv", ["key:string", "seq:long"]))
        log = _Changes(out, actor, changes, keys)
        yield log
    if history:
        out.nodes += [(CHANGE_LABEL, folder / "changes.csv"), (CHANGE_KEY_LABEL, folder / "change-keys.csv")]
    # The counter exists without history too: migration 0007 creates it at 0.
    with _csv(folder / "change-log.csv", ["id:string", "last:long"]) as counter:
        counter.writerow(["changes", log.seq])
    out.nodes.append((CHANGE_LOG_LABEL, folder / "change-log.csv"))
    out.changes = log.seq


class _Changes:
    """The change log as `RECORD_CHANGES` numbers it: one Change per row, in the order
    written, with a ChangeKey per distinct key. Without writers (no history), nothing."""

    def __init__(self, out: BulkInput, actor: str, changes: Any, keys: Any) -> None:
        self.out, self.actor, self._changes, self._keys = out, actor, changes, keys
        # One time for the whole import: its rows are written together.
        self.at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        self.seq = 0

    def node(self, kind: Kind, key: str, params: dict[str, Any]) -> None:
        if self._changes is not None:
            self._record(node_change(kind, {"created": True, "key": key, "before": None, "after": params}))

    def relationship(self, rel_type: str, row: RelationshipRow, start: Kind) -> None:
        if self._changes is not None:
            props = {**row.properties, "sources": list(row.sources)}  # as upsert_relationships sets them
            record = {"created": True, "start": row.start, "end": row.end, "before": None, "after": props}
            # RECORD_CHANGES gives a relationship's change the kind of its first key's entity.
            self._record({**relationship_change(rel_type, record), "kind": start.value})

    def _record(self, change: dict[str, Any]) -> None:
        self.seq += 1
        keys, sources = change["keys"], change["sources"]
        if not expressible(sources):
            self.out.change_sources.append({"seq": self.seq, "value": sources})
        self._changes.writerow(
            [
                str(uuid.uuid4()),
                self.seq,
                self.at,
                self.actor,
                IMPORT_ROLE,
                change["action"],
                keys[0],
                cell(keys),
                change["kind"],
                cell(change["before"]),
                cell(change["after"]),
                cell(sources) if expressible(sources) else ABSENT,
            ]
        )
        for key in dict.fromkeys(keys):
            self._keys.writerow([key, self.seq])


def header_of(column: tuple[str, type | str]) -> str:
    name, kind = column
    return f"{name}:{kind}" if isinstance(kind, str) else header(name, kind)
