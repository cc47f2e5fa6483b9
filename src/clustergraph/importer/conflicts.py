"""Rows valid alone that cannot be written into this graph as it is: conflicts.

They are found before anything is written, so an import into a non-empty graph is either
written or refused with one row per conflict (file, line, what, which key, why). A row equal
to what the graph holds is no conflict: it changes nothing, so importing the same files
again is idempotent. The conflicts are those a write would break: a key retired by a merge
(writing it would bring the duplicate back), and a value of a unique property (a Country's
`code`) that another entity holds, in the graph or earlier in the import.
"""

from __future__ import annotations

from collections.abc import Iterable

from clustergraph.cypher.upsert import RETIRED_KEYS, unique_holders
from clustergraph.graph.db import Graph
from clustergraph.importer.reader import Located, Rejected
from clustergraph.importer.rows import NodeRow
from clustergraph.model import UNIQUE_PROPERTIES, UniqueProperty


def subject(row: NodeRow) -> str:
    return f"{row.kind.value} {row.key}"


async def retired_keys(graph: Graph, keys: Iterable[str]) -> dict[str, str]:
    """Each of `keys` that a merge retired, with the key of the entity it names now."""
    rows = await graph.read(RETIRED_KEYS, {"keys": sorted(set(keys))})
    return {row["key"]: row["holder"] for row in rows}


def retired_rows(nodes: list[Located], retired: dict[str, str]) -> list[Rejected]:
    return [
        conflict(
            item,
            f"key was merged into {retired[item.row.key]!r}; importing it would bring the duplicate back",
        )
        for item in nodes
        if isinstance(item.row, NodeRow) and item.row.key in retired
    ]


async def unique_value_rows(graph: Graph | None, nodes: list[Located]) -> list[Rejected]:
    found: list[Rejected] = []
    for unique in UNIQUE_PROPERTIES:
        found += await _unique_values(graph, unique, nodes)
    return found


async def _unique_values(graph: Graph | None, unique: UniqueProperty, nodes: list[Located]) -> list[Rejected]:
    """Values held in the graph (None: an empty one) or given twice in the import."""
    rows = [(i, i.row) for i in nodes if isinstance(i.row, NodeRow) and i.row.kind is unique.kind]
    values = {row.properties[unique.name] for _, row in rows if unique.name in row.properties}
    held = (
        await graph.read(unique_holders(unique.kind, unique.name), {"values": sorted(values)})
        if graph
        else []
    )
    holders = {row["value"]: row["key"] for row in held}
    first: dict[object, tuple[Located, NodeRow]] = {}
    found: list[Rejected] = []
    for item, row in rows:
        value = row.properties.get(unique.name)
        if value is None:
            continue
        what = f"constraint {unique.constraint}: {unique.name} {value!r}"
        holder = holders.get(value)
        if holder is not None and holder != row.key:
            found.append(conflict(item, f"{what} already belongs to {holder!r} in the graph"))
        elif value in first:
            seen, seen_row = first[value]
            earlier = f"{subject(seen_row)} at {seen.file.name}:{seen.line}"
            found.append(conflict(item, f"{what} is already given to {earlier}"))
        else:
            first[value] = (item, row)
    return found


def conflict(item: Located, reason: str) -> Rejected:
    row = item.row
    assert isinstance(row, NodeRow)
    return Rejected(item.file, item.line, reason, subject(row), conflict=True)
