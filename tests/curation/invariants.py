"""What must hold after concurrent curation, and a ledger of what the service acknowledged.

Shared by the concurrency tests and `tests/curation/test_integrity_run.py`: random
mutations on a few hot entities are sent at once; the ledger keeps every acknowledged
one; the checks then read the graph and its history and compare.
"""

from __future__ import annotations

import json
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from clustergraph.graph.db import Graph

HOT_CLUSTERS = 6
ACTIONS = ("update", "link", "unlink", "merge", "delete")
# Merges and deletes are rare: each takes an entity out of the hot set for good.
ACTION_WEIGHTS = (46, 28, 15, 8, 3)

CREATE = "mutation($input: EntityInput!) { createEntity(input: $input) { key } }"
UPDATE = """
mutation($key: String!, $properties: JSON!, $sources: [String!]!) {
  updateEntity(key: $key, properties: $properties, sources: $sources) { key }
}"""
LINK = "mutation($input: RelationshipInput!) { linkEntities(input: $input) { from to sources } }"
UNLINK = "mutation($input: RelationshipInput!) { unlinkEntities(input: $input) { from to } }"
MERGE = "mutation($keep: String!, $merge: [String!]!) { mergeEntities(keep: $keep, merge: $merge) { key } }"
DELETE = "mutation($key: String!) { deleteEntity(key: $key) { key } }"
ENTITY = "query($key: String!) { entity(key: $key) { key sources { key } } }"


async def create_sources(send: Any, token: str, count: int) -> list[str]:
    run = uuid.uuid4().hex[:8]
    keys = [f"source:concurrency-{run}-{i}" for i in range(count)]
    for key in keys:
        answer = await send(
            CREATE,
            {"input": {"kind": "SOURCE", "key": key, "properties": {"name": key}, "sources": []}},
            token,
        )
        assert answer.get("errors") is None, answer
    return keys


async def create_hot_entities(send: Any, token: str, count: int) -> list[str]:
    run = uuid.uuid4().hex[:8]
    keys = [f"cluster:hot-{run}-{i}" for i in range(count)]
    for key in keys:
        props = {"name": f"Hot cluster {key[-10:]}", "country": "PL"}
        answer = await send(
            CREATE,
            {"input": {"kind": "CLUSTER", "key": key, "properties": props, "sources": ["source:s1"]}},
            token,
        )
        assert answer.get("errors") is None, answer
    return keys


class Groups:
    """Which keys acknowledged merges joined (a union-find): they resolve to one entity."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        while self.parent.get(key, key) != key:
            key = self.parent[key]
        return key

    def join(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


@dataclass
class Ledger:
    hot: list[str]
    sources: list[str]
    updates: list[tuple[str, str]] = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)
    unlinked: list[tuple[str, str]] = field(default_factory=list)
    deleted: set[str] = field(default_factory=set)
    groups: Groups = field(default_factory=Groups)
    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def acknowledged(self) -> int:
        return sum(n for name, n in self.outcomes.items() if name.endswith(":ok"))

    def summary(self) -> dict[str, int]:
        return dict(sorted(self.outcomes.items()))

    async def random_mutation(self, rng: random.Random, send: Any, editor: str, admin: str) -> None:
        a, b = rng.sample(self.hot, 2)
        source = rng.choice(self.sources)
        [action] = rng.choices(ACTIONS, weights=ACTION_WEIGHTS)
        link = {"type": "MEMBER_OF", "from": a, "to": b, "sources": [source]}
        if action == "update":
            description = f"d{rng.random()}"
            variables = {"key": a, "properties": {"description": description}, "sources": [source]}
            await self._send(action, send, UPDATE, variables, editor)
        elif action == "link":
            if await self._send(action, send, LINK, {"input": link}, editor):
                self.links.append((a, b, source))
        elif action == "unlink":
            if await self._send(action, send, UNLINK, {"input": link}, editor):
                self.unlinked.append((a, b))
        elif action == "merge":
            if await self._send(action, send, MERGE, {"keep": a, "merge": [b]}, admin):
                self.groups.join(b, a)
        elif await self._send(action, send, DELETE, {"key": a}, admin):
            self.deleted.add(a)

    async def _send(self, name: str, send: Any, query: str, variables: dict[str, Any], token: str) -> bool:
        answer = await send(query, variables, token)
        errors = answer.get("errors") or []
        if not errors:
            self.outcomes[f"{name}:ok"] += 1
            if name == "update":
                self.updates.append((variables["key"], variables["sources"][0]))
            return True
        codes = {e.get("extensions", {}).get("code") for e in errors}
        # A refused write names a key that a merge or delete already took: a clear refusal.
        assert codes == {"BAD_USER_INPUT"}, (name, variables, errors)
        self.outcomes[f"{name}:refused"] += 1
        return False

    def gone(self, key: str) -> bool:
        """Whether an acknowledged delete took the entity this key resolves to."""
        group = self.groups.find(key)
        return any(self.groups.find(d) == group for d in self.deleted)


async def check_invariants(graph: Graph, send: Any, ledger: Ledger) -> None:
    resolved = {key: (await send(ENTITY, {"key": key}))["data"]["entity"] for key in ledger.hot}
    # Every key resolves, or an acknowledged delete took its entity.
    for key, entity in resolved.items():
        assert entity is not None or ledger.gone(key), f"{key} vanished without an acknowledged delete"
    # Every acknowledged update's source is on the entity it resolves to.
    for key, source in ledger.updates:
        entity = resolved[key]
        if entity is not None:
            assert source in {s["key"] for s in entity["sources"]}, (
                f"the update of {key} with {source} was lost"
            )
    await _check_links(graph, ledger, resolved)
    await _check_history(graph, ledger.hot)
    await _check_provenance(graph)


async def _check_links(graph: Graph, ledger: Ledger, resolved: dict[str, Any]) -> None:
    unlinked = {(ledger.groups.find(a), ledger.groups.find(b)) for a, b in ledger.unlinked}
    for a, b, source in ledger.links:
        ends = (ledger.groups.find(a), ledger.groups.find(b))
        if resolved[a] is None or resolved[b] is None or ends[0] == ends[1] or ends in unlinked:
            continue  # deleted, folded into a loop by a merge, or removed by an acknowledged unlink
        rows = await graph.read(
            "MATCH (:Entity {key: $a})-[r:MEMBER_OF]->(:Entity {key: $b}) RETURN r.sources AS sources",
            {"a": resolved[a]["key"], "b": resolved[b]["key"]},
        )
        assert rows and source in rows[0]["sources"], f"the link {a} -> {b} with {source} was lost"


async def _check_history(graph: Graph, hot: list[str]) -> None:
    """Replayed in commit order, each record's `before` is what the previous one left."""
    changes = await graph.read(
        "MATCH (c:Change) WHERE any(k IN c.keys WHERE k IN $keys) "
        "RETURN c.action AS action, c.keys AS keys, c.before AS before, c.after AS after ORDER BY c.at, c.id",
        {"keys": hot},
    )
    state: dict[str, Any] = {}
    broken: list[str] = []

    def expect(key: str, before: Any, action: str) -> None:
        if key in state and state[key] != before:
            broken.append(f"{action} of {key}")

    for change in changes:
        before = json.loads(change["before"]) if change["before"] else None
        after = json.loads(change["after"]) if change["after"] else None
        key = change["keys"][0]
        if change["action"] == "create":
            state[key] = after
        elif change["action"] == "update":
            expect(key, before, "update")
            state[key] = after
        elif change["action"] == "merge":
            expect(key, before["keep"], "merge")
            for merged, merged_before in before["merged"].items():
                expect(merged, merged_before, "merge")
                state.pop(merged, None)
            state[key] = after
        elif change["action"] == "delete":
            expect(key, before["properties"], "delete")
            state.pop(key, None)
    assert not broken, f"{len(broken)} broken history chains: {broken[:5]}"


async def _check_provenance(graph: Graph) -> None:
    """No entity names a source it has no SOURCED_FROM edge to, and no key-valued property dangles."""
    rows = await graph.read(
        "MATCH (n:Entity) WHERE n.sources IS NOT NULL "
        "AND size(n.sources) <> COUNT { (n)-[:SOURCED_FROM]->(:Source) } RETURN n.key AS key"
    )
    assert not rows, f"sources out of step with provenance edges: {rows[:5]}"
    rows = await graph.read(
        "MATCH ()-[r]->() WHERE (r.via IS NOT NULL AND NOT EXISTS { (:Entity {key: r.via}) }) "
        "OR (r.project IS NOT NULL AND NOT EXISTS { (:Entity {key: r.project}) }) RETURN type(r) AS type"
    )
    assert not rows, f"relationships name entities that do not exist: {rows[:5]}"
