"""What every curation write does inside its transaction: read state, check sources, record the change."""

from __future__ import annotations

import json
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from clustergraph.curation.validate import InvalidInput
from clustergraph.cypher import changelog, writes
from clustergraph.errors import WriteConflict
from clustergraph.model import Kind

# The writer's role, recorded with each change (what anonymous subscribers see instead of a
# key's name). The API sets it per request; writes from the CLI are the operator's own.
actor_role: ContextVar[str] = ContextVar("actor_role", default="system")

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
    if row["key"] is None or row["kind"] is None:
        # Read before this transaction holds the lock, a node another one is deleting can be
        # found by its key yet hold no labels or properties any more: it is gone.
        return None
    return EntityState(row["key"], Kind(row["kind"]), row["properties"])


# A key resolves to another entity only when a merge folded it in while the write waited;
# each round locks the entities the keys now resolve to. Two rounds are the ordinary case.
_LOCK_ROUNDS = 5


async def lock_entities(tx: AsyncManagedTransaction, keys: list[str]) -> dict[str, EntityState | None]:
    """Each key's entity as it is once this transaction holds its write lock (None: no entity).

    Read, modify, write then happen under the lock, so a concurrent write to the same
    entity waits for this one to commit and reads what it wrote: no update is lost and
    each history record's `before` is the previous record's `after`. A key whose entity
    was merged away while this write waited resolves to the entity it was merged into,
    which is then locked too.
    """
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return {}
    locked: set[str] = set()
    for _ in range(_LOCK_ROUNDS):
        states = {key: await entity_state(tx, key) for key in wanted}
        found = {state.key for state in states.values() if state is not None}
        if locked and found <= locked:
            return states
        await run(tx, writes.LOCK_ENTITIES, keys=sorted(found - locked | (set(wanted) - locked)))
        locked |= found | set(wanted)
    # The entities the write names kept changing under it (merged again and again).
    raise WriteConflict(
        "`keys`: the entities kept changing while this write waited for them; try again", "keys"
    )


def require(states: dict[str, EntityState | None], key: str, field: str) -> EntityState:
    """The locked entity of `key`, or the error that names the field whose key is unknown."""
    state = states.get(key)
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
    kind: Kind | None = None,
) -> str:
    """One Change node, in the transaction of the change itself: both happen or neither.

    It takes the next number of the change log (cypher/changelog.py), which locks the log's
    counter until this transaction commits: call it last, once the write's entities are locked.
    `kind` is needed only where the entity is gone (a deletion).
    """
    rows = await run(
        tx,
        changelog.RECORD_CHANGE,
        actor=actor,
        actorRole=actor_role.get(),
        kind=None if kind is None else kind.value,
        action=action,
        key=keys[0],
        keys=keys,
        before=None if before is None else json.dumps(before, ensure_ascii=False, sort_keys=True),
        after=None if after is None else json.dumps(after, ensure_ascii=False, sort_keys=True),
        sources=sources,
    )
    return str(rows[0]["id"])
