"""Folding duplicates into one entity, in one transaction recorded in history.

Relationships move to the kept entity without duplicates (one per type, ends and
identity; their sources united), the duplicates' names become aliases, sources are
united, and the kept entity lists the merged keys so they keep resolving to it.
"""

from __future__ import annotations

from typing import Any

from neo4j import AsyncManagedTransaction

from clustergraph.curation.tx import (
    EntityState,
    check_sources,
    lock_entities,
    record_change,
    require,
    run,
    union,
)
from clustergraph.curation.validate import InvalidInput, node_row
from clustergraph.cypher import writes
from clustergraph.cypher.lookup import INDEX_MERGED_KEYS
from clustergraph.cypher.upsert import upsert_relationships
from clustergraph.graph.db import Graph
from clustergraph.importer.loader import node_params
from clustergraph.model import KEY_VALUED_REL_PROPERTIES, REL_TYPES, Kind

RelKey = tuple[str, str, str, tuple[Any, ...]]


async def merge_entities(graph: Graph, actor: str, keep: str, merge: list[str], sources: list[str]) -> str:
    if not merge:
        raise InvalidInput("merge", "name at least one entity to merge")

    async def work(tx: AsyncManagedTransaction) -> str:
        # Every entity involved is locked (in key order) before any is read: of two opposite
        # merges sent at once, the second waits, then finds its duplicate merged already.
        states = await lock_entities(tx, [keep, *merge, *sources])
        kept = require(states, keep, "keep")
        merged = _duplicates(states, keep, kept, merge)
        await check_sources(tx, sources)
        merged_keys = [m.key for m in merged]
        rows = await run(tx, writes.RELATIONSHIPS_OF, keys=[kept.key, *merged_keys])
        before = {
            "keep": kept.visible,
            "merged": {m.key: m.visible for m in merged},
            "relationships": rows,
        }
        props = _merged_properties(kept, merged)
        # The sources that back the merge state the kept entity too.
        all_sources = union(kept.sources, *(m.sources for m in merged), sources)
        row = node_row(kept.kind, kept.key, props, all_sources)
        new = node_params(row)
        await run(tx, writes.SET_ENTITY, key=kept.key, props=new)
        for rel, rel_rows in _moved_relationships(rows, kept.key, set(merged_keys)).items():
            await run(tx, upsert_relationships(rel), rows=rel_rows)
        await run(tx, writes.DELETE_ENTITIES, keys=merged_keys)
        await run(tx, INDEX_MERGED_KEYS, keys=[kept.key])
        for name in KEY_VALUED_REL_PROPERTIES:
            await run(tx, writes.rewrite_key_property(name), merged=merged_keys, keep=kept.key)
        after = {k: v for k, v in sorted(new.items()) if k != "searchText"}
        await record_change(tx, actor, "merge", [kept.key, *merged_keys], before, after, sources)
        return kept.key

    return await graph.transaction(work)


def _duplicates(
    states: dict[str, EntityState | None], keep: str, kept: EntityState, keys: list[str]
) -> list[EntityState]:
    merged: dict[str, EntityState] = {}
    for key in keys:
        state = require(states, key, "merge")
        if key == keep:
            raise InvalidInput("merge", f"{key!r} is the entity kept; it cannot be merged into itself")
        if state.key == kept.key:
            raise InvalidInput(
                "merge",
                f"{key!r} and {keep!r} are one entity already ({kept.key!r}): an earlier merge joined them",
            )
        if state.kind is not kept.kind:
            raise InvalidInput(
                "merge",
                f"{key!r} is a {state.kind.value}, the kept entity a {kept.kind.value}: merge one kind",
            )
        if state.kind is Kind.SOURCE:
            raise InvalidInput("merge", "sources are cited by key everywhere and cannot be merged")
        merged[state.key] = state
    return list(merged.values())


def _merged_properties(kept: EntityState, merged: list[EntityState]) -> dict[str, Any]:
    """The kept entity's properties win; the duplicates fill gaps and lend their names as aliases."""
    props = kept.editable
    own_names = {props["name"], *(n.split(":", 1)[1] for n in props.get("names", []))}
    aliases = list(props.get("aliases", []))
    merged_keys = list(props.get("mergedKeys", []))
    for other in merged:
        extra = other.editable
        names = [extra["name"], *(n.split(":", 1)[1] for n in extra.get("names", []))]
        aliases += [a for a in [*names, *extra.get("aliases", [])] if a not in own_names]
        merged_keys += [other.key, *extra.get("mergedKeys", [])]
        for name, value in extra.items():
            if name not in {"name", "names", "aliases", "mergedKeys"} and name not in props:
                props[name] = value
    props["aliases"] = union(aliases)
    props["mergedKeys"] = union(merged_keys)
    return props


def _moved_relationships(
    rows: list[dict[str, Any]], keep: str, merged: set[str]
) -> dict[str, list[dict[str, Any]]]:
    """Every relationship as it is to be after the merge, one per (type, ends, identity)."""

    def moved(key: str) -> str:
        return keep if key in merged else key

    target: dict[RelKey, dict[str, Any]] = {}
    # The kept entity's own relationships first, so their property values win.
    ordered = sorted(rows, key=lambda r: r["start"] in merged or r["end"] in merged)
    for row in ordered:
        rel, start, end = row["type"], moved(row["start"]), moved(row["end"])
        touched = row["start"] in merged or row["end"] in merged
        if touched and start == end == keep:
            continue  # a relationship between duplicates would become a loop
        props = dict(row["properties"])
        identity = tuple(props.get(p) for p in REL_TYPES[rel].identity)
        existing = target.get((rel, start, end, identity))
        if existing is None:
            target[(rel, start, end, identity)] = {"start": start, "end": end, "props": props}
            continue
        sources = union(existing["props"].get("sources") or [], props.get("sources") or [])
        existing["props"] = {**props, **existing["props"], "sources": sources}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for (rel, _, _, _), item in sorted(target.items(), key=lambda kv: str(kv[0])):
        grouped.setdefault(rel, []).append(item)
    return grouped
