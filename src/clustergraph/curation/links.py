"""Linking and unlinking two entities: one relationship per call, one transaction, recorded in history."""

from __future__ import annotations

from typing import Any

from neo4j import AsyncManagedTransaction

from clustergraph.curation.tx import check_sources, lock_entities, record_change, require, run, union
from clustergraph.curation.validate import InvalidInput, relationship_row
from clustergraph.cypher import writes
from clustergraph.cypher.upsert import upsert_relationships
from clustergraph.graph.db import Graph
from clustergraph.importer.rows import RelationshipRow
from clustergraph.model import KEY_VALUED_REL_PROPERTIES, REL_TYPES


def described(rel: str, start: str, end: str, props: dict[str, Any]) -> dict[str, Any]:
    """A relationship as the API and history show it: sources apart from the other properties."""
    return {
        "type": rel,
        "from": start,
        "to": end,
        "properties": {k: v for k, v in sorted(props.items()) if k != "sources"},
        "sources": list(props.get("sources") or []),
    }


def _identity(rel: str, props: dict[str, Any]) -> dict[str, Any]:
    return {p: props[p] for p in REL_TYPES[rel].identity}


async def link_in(
    tx: AsyncManagedTransaction, actor: str, row: RelationshipRow
) -> tuple[dict[str, Any], str]:
    """Make the relationship inside the caller's transaction: it as it is now, and its history record's id."""
    rel = row.rel
    named = {name: row.properties[name] for name in KEY_VALUED_REL_PROPERTIES if name in row.properties}
    states = await lock_entities(tx, [row.start, row.end, *named.values(), *row.sources])
    a = require(states, row.start, "from")
    b = require(states, row.end, "to")
    if a.key == b.key:
        raise InvalidInput("to", f"a relationship joins two entities; {row.end!r} is {a.key!r} itself")
    try:
        row.check_ends(a.kind, b.kind)
    except ValueError as error:
        raise InvalidInput("type", str(error)) from None
    await check_sources(tx, row.sources)
    for name, value in named.items():
        require(states, value, f"properties.{name}")
    found = await run(
        tx, writes.find_relationship(rel), start=a.key, end=b.key, identity=_identity(rel, row.properties)
    )
    old = found[0]["properties"] if found else None
    props = {**(old or {}), **row.properties}
    props["sources"] = union(list((old or {}).get("sources") or []), row.sources)
    await run(tx, upsert_relationships(rel), rows=[{"start": a.key, "end": b.key, "props": props}])
    after = described(rel, a.key, b.key, props)
    before = described(rel, a.key, b.key, old) if old else None
    change = await record_change(tx, actor, "link", [a.key, b.key], before, after, row.sources)
    return after, change


async def link(
    graph: Graph,
    actor: str,
    rel: str,
    start: str,
    end: str,
    properties: dict[str, Any],
    sources: list[str],
) -> dict[str, Any]:
    """Create the relationship, or add to the one of the same type and identity (sources are united)."""
    row = relationship_row(rel, start, end, properties, sources)

    async def work(tx: AsyncManagedTransaction) -> dict[str, Any]:
        after, _ = await link_in(tx, actor, row)
        return after

    return await graph.transaction(work)


async def unlink(
    graph: Graph,
    actor: str,
    rel: str,
    start: str,
    end: str,
    identity: dict[str, Any],
    sources: list[str],
) -> dict[str, Any]:
    """Delete the relationship of this type (and identity, e.g. a claim's `property`) between two entities."""
    missing = [p for p in REL_TYPES[rel].identity if p not in identity]
    if missing:
        raise InvalidInput(
            f"properties.{missing[0]}", f"{rel} relationships are told apart by {missing[0]!r}"
        )

    async def work(tx: AsyncManagedTransaction) -> dict[str, Any]:
        states = await lock_entities(tx, [start, end, *sources])
        a = require(states, start, "from")
        b = require(states, end, "to")
        await check_sources(tx, sources)
        params = {"start": a.key, "end": b.key, "identity": _identity(rel, identity)}
        found = await run(tx, writes.find_relationship(rel), **params)
        if not found:
            raise InvalidInput("to", f"no {rel} relationship leads from {a.key!r} to {b.key!r}")
        await run(tx, writes.delete_relationship(rel), **params)
        before = described(rel, a.key, b.key, found[0]["properties"])
        await record_change(tx, actor, "unlink", [a.key, b.key], before, None, sources)
        return before

    return await graph.transaction(work)
