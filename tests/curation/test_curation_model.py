"""A stateful property test: random curation sequences against a plain in-memory model.

Hypothesis drives creates, updates, links, unlinks, merges and deletes through the HTTP
API; after every step the graph (read through the API, relationships over Bolt) must
equal what the model says. The model is deliberately naive: dictionaries and sets.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule
from neo4j import GraphDatabase

from clustergraph.auth.identity import Role
from clustergraph.auth.keys import create_key
from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from tests.curation.invariants import CREATE, DELETE, LINK, MERGE, UNLINK, UPDATE

SOURCES = ["source:s1", "source:s2", "source:s3", "source:s4", "source:s5"]


class CurationModel:
    """What the graph should hold: entities, merged keys, MEMBER_OF links and their sources."""

    def __init__(self) -> None:
        self.entities: dict[str, dict[str, Any]] = {}
        self.merged_into: dict[str, str] = {}
        self.links: dict[tuple[str, str], set[str]] = {}

    def resolve(self, key: str) -> str | None:
        while key in self.merged_into:
            key = self.merged_into[key]
        return key if key in self.entities else None

    def merge(self, keep: str, other: str) -> None:
        kept, gone = self.entities[keep], self.entities.pop(other)
        kept["sources"] |= gone["sources"]
        if kept["description"] is None:
            kept["description"] = gone["description"]
        self.merged_into[other] = keep
        moved: dict[tuple[str, str], set[str]] = {}
        for (a, b), sources in self.links.items():
            ends = (keep if a == other else a, keep if b == other else b)
            if ends[0] != ends[1]:
                moved.setdefault(ends, set()).update(sources)
        self.links = moved

    def delete(self, key: str) -> None:
        del self.entities[key]
        self.links = {ends: s for ends, s in self.links.items() if key not in ends}


class CurationMachine(RuleBasedStateMachine):
    client: httpx.Client
    tokens: dict[Role, str]
    bolt: Any

    keys = Bundle("keys")

    def __init__(self) -> None:
        super().__init__()
        self.model = CurationModel()
        self.run = uuid.uuid4().hex[:8]
        self.created: list[str] = []

    def send(self, query: str, variables: dict[str, Any], role: Role) -> bool:
        """Whether the service acknowledged the write; a refusal must be BAD_USER_INPUT."""
        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        body = self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        ).json()
        errors = body.get("errors") or []
        assert all(e["extensions"]["code"] == "BAD_USER_INPUT" for e in errors), errors
        return not errors

    @initialize(target=keys)
    def first(self) -> str:
        return self.create()

    @rule(target=keys)
    def create(self) -> str:
        key = f"cluster:model-{self.run}-{len(self.created)}"
        props = {"name": f"Model cluster {len(self.created)}", "country": "CZ"}
        variables = {"input": {"kind": "CLUSTER", "key": key, "properties": props, "sources": ["source:s1"]}}
        assert self.send(CREATE, variables, Role.EDITOR)
        self.model.entities[key] = {"description": None, "sources": {"source:s1"}}
        self.created.append(key)
        return key

    @rule(
        key=keys, description=st.sampled_from(["first", "second", "Śląsk"]), source=st.sampled_from(SOURCES)
    )
    def update(self, key: str, description: str, source: str) -> None:
        variables = {"key": key, "properties": {"description": description}, "sources": [source]}
        target = self.model.resolve(key)
        assert self.send(UPDATE, variables, Role.EDITOR) == (target is not None)
        if target is not None:
            self.model.entities[target]["description"] = description
            self.model.entities[target]["sources"].add(source)

    @rule(a=keys, b=keys, source=st.sampled_from(SOURCES))
    def link(self, a: str, b: str, source: str) -> None:
        ends = (self.model.resolve(a), self.model.resolve(b))
        ok = None not in ends and ends[0] != ends[1]
        variables = {"input": {"type": "MEMBER_OF", "from": a, "to": b, "sources": [source]}}
        assert self.send(LINK, variables, Role.EDITOR) == ok
        if ok:
            self.model.links.setdefault((ends[0], ends[1]), set()).add(source)  # type: ignore[arg-type]

    @rule(a=keys, b=keys)
    def unlink(self, a: str, b: str) -> None:
        ends = (self.model.resolve(a), self.model.resolve(b))
        ok = ends in self.model.links
        variables = {"input": {"type": "MEMBER_OF", "from": a, "to": b, "sources": ["source:s1"]}}
        assert self.send(UNLINK, variables, Role.EDITOR) == ok
        if ok:
            del self.model.links[ends]  # type: ignore[arg-type]

    @rule(keep=keys, other=keys)
    def merge(self, keep: str, other: str) -> None:
        kept, gone = self.model.resolve(keep), self.model.resolve(other)
        ok = None not in (kept, gone) and kept != gone
        assert self.send(MERGE, {"keep": keep, "merge": [other]}, Role.ADMIN) == ok
        if ok:
            self.model.merge(kept, gone)  # type: ignore[arg-type]

    @rule(key=keys)
    def delete(self, key: str) -> None:
        target = self.model.resolve(key)
        assert self.send(DELETE, {"key": key}, Role.ADMIN) == (target is not None)
        if target is not None:
            self.model.delete(target)

    @invariant()
    def graph_matches_model(self) -> None:
        if not self.created:
            return
        fields = " ".join(
            f'e{i}: entity(key: "{key}") {{ key description sources {{ key }} }}'
            for i, key in enumerate(self.created)
        )
        data = self.client.post("/graphql", json={"query": f"{{ {fields} }}"}).json()["data"]
        for i, key in enumerate(self.created):
            target, found = self.model.resolve(key), data[f"e{i}"]
            if target is None:
                assert found is None, key
                continue
            expected = self.model.entities[target]
            assert found["key"] == target
            assert found["description"] == expected["description"]
            assert {s["key"] for s in found["sources"]} == expected["sources"]
        records, _, _ = self.bolt.execute_query(
            "MATCH (a:Entity)-[r:MEMBER_OF]->(b:Entity) WHERE a.key STARTS WITH $prefix "
            "RETURN a.key AS a, b.key AS b, r.sources AS sources",
            prefix=f"cluster:model-{self.run}-",
        )
        assert {(r["a"], r["b"]): set(r["sources"]) for r in records} == self.model.links


async def test_random_curation_sequences_match_a_plain_model(
    restore: Graph, service_url: str, location: GraphLocation
) -> None:
    tokens = {role: (await create_key(restore, f"model-{role.value}", role)).token for role in Role}
    with (
        httpx.Client(base_url=service_url, timeout=60) as client,
        GraphDatabase.driver(location.uri, auth=(location.user, location.password)) as bolt,
    ):
        CurationMachine.client, CurationMachine.tokens, CurationMachine.bolt = client, tokens, bolt
        CurationMachine.TestCase.settings = settings(
            max_examples=12,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        )
        # The machine's HTTP calls block: run it in a thread, off this test's event loop.
        await asyncio.to_thread(CurationMachine.TestCase().runTest)


pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
