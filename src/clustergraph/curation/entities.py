"""Creating, updating and deleting one entity: each call is one transaction, recorded in history."""

from __future__ import annotations

from typing import Any

from neo4j import AsyncManagedTransaction

from clustergraph.curation.tx import check_sources, lock_entities, record_change, require, run, union
from clustergraph.curation.validate import InvalidInput, node_row
from clustergraph.cypher import writes
from clustergraph.graph.db import Graph
from clustergraph.importer.loader import node_params
from clustergraph.importer.rows import NodeRow
from clustergraph.model import KEY_VALUED_REL_PROPERTIES, Kind

# Kept by the service itself: `mergeEntities` writes merged keys, and a key never changes.
MANAGED_PROPERTIES = ("key", "mergedKeys")


def _refuse_managed(properties: dict[str, Any]) -> None:
    for name in MANAGED_PROPERTIES:
        if name in properties:
            raise InvalidInput(
                f"properties.{name}", f"{name!r} is kept by the service (merge entities instead)"
            )


def creation(kind: Kind, key: str, properties: dict[str, Any], sources: list[str]) -> NodeRow:
    """The entity to create, validated: a wrong value is refused before any transaction."""
    _refuse_managed(properties)
    row = node_row(kind, key, properties, sources)
    prefix = Kind(kind).value.lower()
    if not key.startswith(f"{prefix}:"):
        raise InvalidInput("key", f"a {Kind(kind).value}'s key starts with {prefix + ':'!r}, not {key!r}")
    return row


async def create_in(tx: AsyncManagedTransaction, actor: str, kind: Kind, row: NodeRow) -> str:
    """Create the entity inside the caller's transaction; the id of its history record."""
    states = await lock_entities(tx, [row.key, *row.sources])
    if states[row.key] is not None:
        raise InvalidInput("key", f"an entity with the key {row.key!r} exists already")
    await check_sources(tx, row.sources)
    props = node_params(row)
    await run(tx, writes.create_entity(kind), props=props)
    after = {k: v for k, v in sorted(props.items()) if k != "searchText"}
    return await record_change(tx, actor, "create", [row.key], None, after, row.sources)


async def create_entity(
    graph: Graph, actor: str, kind: Kind, key: str, properties: dict[str, Any], sources: list[str]
) -> str:
    row = creation(kind, key, properties, sources)

    async def work(tx: AsyncManagedTransaction) -> str:
        await create_in(tx, actor, kind, row)
        return key

    return await graph.transaction(work)


async def update_entity(
    graph: Graph, actor: str, key: str, changes: dict[str, Any], sources: list[str]
) -> str:
    """Set the given properties (null removes one) and add `sources` to the entity's sources."""
    if not sources:
        raise InvalidInput("sources", "an update needs at least one source that backs it")
    _refuse_managed(changes)

    async def work(tx: AsyncManagedTransaction) -> str:
        state = require(await lock_entities(tx, [key, *sources]), key, "key")
        props = state.editable
        for name, value in changes.items():
            if value is None:
                props.pop(name, None)
            else:
                props[name] = value
        row = node_row(state.kind, state.key, props, union(state.sources, sources))
        await check_sources(tx, sources)
        new = node_params(row)
        await run(tx, writes.SET_ENTITY, key=state.key, props=new)
        after = {k: v for k, v in sorted(new.items()) if k != "searchText"}
        await record_change(tx, actor, "update", [state.key], state.visible, after, sources)
        return state.key

    return await graph.transaction(work)


async def delete_entity(graph: Graph, actor: str, key: str, sources: list[str]) -> str:
    """Delete an entity with its relationships; history keeps both, so the deletion can be undone by hand."""

    async def work(tx: AsyncManagedTransaction) -> str:
        state = require(await lock_entities(tx, [key, *sources]), key, "key")
        await check_sources(tx, sources)
        if state.kind is Kind.SOURCE:
            cited = (await run(tx, writes.CITATIONS, key=state.key))[0]["cited"]
            if cited:
                raise InvalidInput(
                    "key", f"{state.key!r} is still cited by {cited} facts; it cannot be deleted"
                )
        relationships = await run(tx, writes.RELATIONSHIPS_OF, keys=[state.key])
        await run(tx, writes.DELETE_ENTITIES, keys=[state.key])
        # Relationships elsewhere that name the entity (`via`, `project`) no longer do.
        references = [
            row
            for name in KEY_VALUED_REL_PROPERTIES
            for row in await run(tx, writes.clear_key_property(name), key=state.key)
        ]
        before = {
            "kind": state.kind.value,
            "properties": state.visible,
            "relationships": relationships,
            "references": references,
        }
        return await record_change(tx, actor, "delete", [state.key], before, None, sources, state.kind)

    return await graph.transaction(work)
