"""Reviewing proposals: list, edit, accept (through the ordinary curation path), reject.

An accepted proposal becomes a fact by `create_entity` or `link`, exactly as a curator's own
mutation would: validated, in one transaction, recorded in history, its source the article. The
proposal then keeps the change's id beside the sentence and span it came from.
"""

from __future__ import annotations

import json
from typing import Any

from neo4j import AsyncManagedTransaction

from clustergraph.curation import entities, links
from clustergraph.curation.tx import run
from clustergraph.curation.validate import InvalidInput
from clustergraph.cypher import proposals as cypher
from clustergraph.db import Graph
from clustergraph.model import REL_TYPES, Kind

STATUSES = ("OPEN", "ACCEPTED", "REJECTED")
# What a curator may change in a proposal before accepting it.
EDITABLE = {
    "entity": ("name", "key", "entityKind", "properties"),
    "relationship": ("rel", "from", "to", "properties"),
}


def decoded(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "properties": json.loads(row["properties"] or "{}")}


async def list_proposals(
    graph: Graph, status: str | None, article: str | None, first: int
) -> list[dict[str, Any]]:
    rows = await graph.read(cypher.LIST, {"status": status, "article": article, "first": first})
    return [decoded(r) for r in rows]


async def _open(graph: Graph, id: str) -> dict[str, Any]:
    rows = await graph.read(cypher.ONE, {"id": id})
    if not rows:
        raise InvalidInput("id", f"no proposal has the id {id!r}")
    if rows[0]["status"] != "OPEN":
        raise InvalidInput("id", f"the proposal {id!r} is {rows[0]['status']} already")
    return decoded(rows[0])


def _changes(proposal: dict[str, Any], edit: dict[str, Any]) -> dict[str, Any]:
    allowed = EDITABLE[proposal["kind"]]
    changes: dict[str, Any] = {}
    for name, value in edit.items():
        if name not in allowed:
            raise InvalidInput(
                f"edit.{name}", f"a {proposal['kind']} proposal's editable fields are {', '.join(allowed)}"
            )
        if value is None:
            continue
        if name == "entityKind" and value not in Kind._value2member_map_:
            raise InvalidInput("edit.entityKind", f"{value!r} is not a kind of entity")
        if name == "rel" and value not in REL_TYPES:
            raise InvalidInput("edit.rel", f"{value!r} is not a relationship type")
        if name == "properties":
            if not isinstance(value, dict):
                raise InvalidInput("edit.properties", "must be a JSON object of property names and values")
            value = json.dumps(value, ensure_ascii=False, sort_keys=True)
        elif not isinstance(value, str):
            raise InvalidInput(f"edit.{name}", "must be a string")
        changes[name] = value
    return changes


async def edit_proposal(graph: Graph, actor: str, id: str, edit: dict[str, Any]) -> dict[str, Any]:
    proposal = await _open(graph, id)
    changes = _changes(proposal, edit)

    async def work(tx: AsyncManagedTransaction) -> dict[str, Any]:
        rows = await run(tx, cypher.EDIT, id=id, changes=changes, actor=actor)
        if not rows:
            raise InvalidInput("id", f"the proposal {id!r} was decided meanwhile")
        return decoded(rows[0])

    return await graph.transaction(work)


async def accept(graph: Graph, actor: str, id: str, edit: dict[str, Any] | None = None) -> dict[str, Any]:
    """Make the proposal a fact; with `edit`, as edited. A refused fact leaves the proposal open."""
    proposal = await edit_proposal(graph, actor, id, edit) if edit else await _open(graph, id)
    sources = [proposal["article"]]
    props = proposal["properties"]
    if proposal["kind"] == "entity":
        result = await entities.create_entity(
            graph, actor, Kind(proposal["entityKind"]), proposal["key"], props, sources
        )
    else:
        done = await links.link(
            graph, actor, proposal["rel"], proposal["from"], proposal["to"], props, sources
        )
        result = done["from"]
    change = await graph.read(cypher.LAST_CHANGE, {"actor": actor, "key": result})
    return await _decide(graph, actor, id, "ACCEPTED", None, result, change[0]["id"] if change else None)


async def reject(graph: Graph, actor: str, id: str, reason: str | None) -> dict[str, Any]:
    await _open(graph, id)
    return await _decide(graph, actor, id, "REJECTED", reason, None, None)


async def _decide(
    graph: Graph, actor: str, id: str, status: str, reason: str | None, result: str | None, change: str | None
) -> dict[str, Any]:
    async def work(tx: AsyncManagedTransaction) -> dict[str, Any]:
        rows = await run(
            tx,
            cypher.DECIDE,
            id=id,
            status=status,
            actor=actor,
            reason=reason,
            result=result,
            changeId=change,
        )
        if not rows:
            raise InvalidInput("id", f"the proposal {id!r} was decided meanwhile")
        return decoded(rows[0])

    return await graph.transaction(work)


async def article(graph: Graph, key: str) -> dict[str, Any] | None:
    rows = await graph.read(cypher.ARTICLE, {"key": key})
    if not rows:
        return None
    return {**rows[0], "links": json.loads(rows[0]["links"] or "[]")}
