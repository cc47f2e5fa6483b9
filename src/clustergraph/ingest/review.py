"""Reviewing proposals: list, edit, accept (through the ordinary curation path), reject.

An accepted proposal becomes a fact by the steps of `create_entity` or `link`, exactly as a
curator's own mutation would: validated, recorded in history, its source the article, in the
same transaction that marks the proposal accepted. The proposal then keeps the change's id
beside the sentence and span it came from.
"""

from __future__ import annotations

import json
from typing import Any

from neo4j import AsyncManagedTransaction

from clustergraph.curation import entities, links
from clustergraph.curation.tx import run
from clustergraph.curation.validate import InvalidInput, relationship_row
from clustergraph.cypher import proposals as cypher
from clustergraph.graph.db import Graph
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


async def _claim(tx: AsyncManagedTransaction, id: str) -> dict[str, Any]:
    """The proposal under this transaction's write lock, still open (else the error that says why).

    Accepting, editing and rejecting all take the lock first, so two curators deciding one
    proposal at once are put in order: the second finds it decided.
    """
    if not await run(tx, cypher.LOCK, id=id):
        raise InvalidInput("id", f"no proposal has the id {id!r}")
    rows = await run(tx, cypher.ONE, id=id)
    if rows[0]["status"] != "OPEN":
        raise InvalidInput("id", f"the proposal {id!r} is {rows[0]['status']} already")
    return decoded(rows[0])


async def _edited(
    tx: AsyncManagedTransaction, actor: str, id: str, edit: dict[str, Any] | None
) -> dict[str, Any]:
    proposal = await _claim(tx, id)
    if not edit:
        return proposal
    rows = await run(tx, cypher.EDIT, id=id, changes=_changes(proposal, edit), actor=actor)
    return decoded(rows[0])


async def edit_proposal(graph: Graph, actor: str, id: str, edit: dict[str, Any]) -> dict[str, Any]:
    async def work(tx: AsyncManagedTransaction) -> dict[str, Any]:
        return await _edited(tx, actor, id, edit)

    return await graph.transaction(work)


async def _make_fact(tx: AsyncManagedTransaction, actor: str, proposal: dict[str, Any]) -> tuple[str, str]:
    """The proposal as a fact, by the curation path's own steps: the entity's key and the change's id."""
    sources = [proposal["article"]]
    props = proposal["properties"]
    if proposal["kind"] == "entity":
        kind = Kind(proposal["entityKind"])
        change = await entities.create_in(
            tx, actor, kind, entities.creation(kind, proposal["key"], props, sources)
        )
        return proposal["key"], change
    row = relationship_row(proposal["rel"], proposal["from"], proposal["to"], props, sources)
    after, change = await links.link_in(tx, actor, row)
    return after["from"], change


async def accept(graph: Graph, actor: str, id: str, edit: dict[str, Any] | None = None) -> dict[str, Any]:
    """Make the proposal a fact; with `edit`, as edited. One transaction: the edit, the fact, the
    decision and its history all happen, or none does (a refused fact leaves the proposal open, unedited)."""

    async def work(tx: AsyncManagedTransaction) -> dict[str, Any]:
        proposal = await _edited(tx, actor, id, edit)
        result, change = await _make_fact(tx, actor, proposal)
        return await _decide(tx, actor, id, "ACCEPTED", None, result, change)

    return await graph.transaction(work)


async def reject(graph: Graph, actor: str, id: str, reason: str | None) -> dict[str, Any]:
    async def work(tx: AsyncManagedTransaction) -> dict[str, Any]:
        await _claim(tx, id)
        return await _decide(tx, actor, id, "REJECTED", reason, None, None)

    return await graph.transaction(work)


async def _decide(
    tx: AsyncManagedTransaction,
    actor: str,
    id: str,
    status: str,
    reason: str | None,
    result: str | None,
    change: str | None,
) -> dict[str, Any]:
    rows = await run(
        tx, cypher.DECIDE, id=id, status=status, actor=actor, reason=reason, result=result, changeId=change
    )
    return decoded(rows[0])


async def article(graph: Graph, key: str) -> dict[str, Any] | None:
    rows = await graph.read(cypher.ARTICLE, {"key": key})
    if not rows:
        return None
    return {**rows[0], "links": json.loads(rows[0]["links"] or "[]")}
