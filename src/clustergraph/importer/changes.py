"""The history records of an import batch: one per row that created or changed something.

Rows that changed nothing leave no record, so importing the same file again adds none.
"""

from __future__ import annotations

import json
from typing import Any

from clustergraph.model import Kind


def _json(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _visible(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k != "searchText"}


def _relationship(rel: str, start: str, end: str, props: dict[str, Any] | None) -> dict[str, Any] | None:
    if props is None:
        return None
    return {
        "type": rel,
        "from": start,
        "to": end,
        "properties": {k: v for k, v in props.items() if k != "sources"},
        "sources": list(props.get("sources") or []),
    }


def changed(record: dict[str, Any]) -> bool:
    return bool(record["created"]) or record["before"] != record["after"]


def node_change(kind: Kind, record: dict[str, Any]) -> dict[str, Any]:
    before = None if record["created"] else _visible(record["before"])
    return {
        "action": "create" if record["created"] else "update",
        "keys": [record["key"]],
        "kind": kind.value,
        "before": _json(before),
        "after": _json(_visible(record["after"])),
        "sources": list(record["after"].get("sources") or []),
    }


def relationship_change(rel: str, record: dict[str, Any]) -> dict[str, Any]:
    start, end = record["start"], record["end"]
    return {
        "action": "link",
        "keys": [start, end],
        "kind": None,
        "before": _json(_relationship(rel, start, end, None if record["created"] else record["before"])),
        "after": _json(_relationship(rel, start, end, record["after"])),
        "sources": list(record["after"].get("sources") or []),
    }
