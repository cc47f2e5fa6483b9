"""What every curation write does inside its transaction: read state, check sources, record the change."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from clustergraph.curation.validate import InvalidInput
from clustergraph.cypher import history, writes
from clustergraph.model import Kind

# Stored on every entity but derived from other properties: not part of what a curator changes.
DERIVED_PROPERTIES = frozenset({"key", "sources", "searchText"})


async def run(tx: AsyncManagedTransaction, cypher: LiteralString, **params: Any) -> list[dict[str, Any]]:
    result = await tx.run(cypher, params)
    return [record.data() async for record in result]


@dataclass(frozen=True)
class EntityState:
    key: str
    kind: Kind
    properties: dict[str, Any]

    @property
    def sources(self) -> list[str]:
        return list(self.properties.get("sources") or [])

    @property
    def editable(self) -> dict[str, Any]:
        return {k: v for k, v in self.properties.items() if k not in DERIVED_PROPERTIES}

    @property
    def visible(self) -> dict[str, Any]:
        """What history shows: every property but the search index's text."""
        return {k: v for k, v in sorted(self.properties.items()) if k != "searchText"}


async def entity_state(tx: AsyncManagedTransaction, key: str) -> EntityState | None:
    rows = await run(tx, writes.ENTITY_STATE, key=key)
    if not rows:
        return None
    row = rows[0]
    return EntityState(row["key"], Kind(row["kind"]), row["properties"])


async def require_entity(tx: AsyncManagedTransaction, key: str, field: str) -> EntityState:
    state = await entity_state(tx, key)
    if state is None:
        raise InvalidInput(field, f"no entity has the key {key!r}")
    return state


async def check_sources(tx: AsyncManagedTransaction, sources: list[str], field: str = "sources") -> None:
    found = {row["key"] for row in await run(tx, writes.SOURCE_KEYS, keys=sources)}
    missing = [s for s in sources if s not in found]
    if missing:
        raise InvalidInput(field, f"{missing[0]!r} is not the key of a Source in the graph")


def union(*lists: list[str]) -> list[str]:
    return list(dict.fromkeys(item for items in lists for item in items))


async def record_change(
    tx: AsyncManagedTransaction,
    actor: str,
    action: str,
    keys: list[str],
    before: Any,
    after: Any,
    sources: list[str],
) -> str:
    """One Change node, in the transaction of the change itself: both happen or neither."""
    rows = await run(
        tx,
        history.RECORD_CHANGE,
        actor=actor,
        action=action,
        key=keys[0],
        keys=keys,
        before=None if before is None else json.dumps(before, ensure_ascii=False, sort_keys=True),
        after=None if after is None else json.dumps(after, ensure_ascii=False, sort_keys=True),
        sources=sources,
    )
    return str(rows[0]["id"])
