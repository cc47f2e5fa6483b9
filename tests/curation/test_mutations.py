"""Mutations: validated, one transaction each, every change in history with who, when, before and after."""

from __future__ import annotations

from typing import Any

import pytest

from clustergraph.auth.identity import Role
from clustergraph.curation import entities
from clustergraph.graph.db import Graph
from clustergraph.model import Kind
from tests.support import codes, snapshot

CREATE = (
    "mutation($input: EntityInput!) { createEntity(input: $input) { key name countryCode sources { key } } }"
)
UPDATE = """
mutation($key: String!, $properties: JSON!, $sources: [String!]!) {
  updateEntity(key: $key, properties: $properties, sources: $sources) { key name description url sources { key } }
}"""
LINK = (
    "mutation($input: RelationshipInput!) { linkEntities(input: $input) { type from to properties sources } }"
)
UNLINK = "mutation($input: RelationshipInput!) { unlinkEntities(input: $input) { type from to } }"
DELETE = 'mutation($key: String!) { deleteEntity(key: $key, sources: ["source:s6"]) { key changeId } }'
HISTORY = (
    "query($key: String!) { history(key: $key) { nodes { action actor key keys before after sources at } } }"
)
CLUSTER = {
    "kind": "CLUSTER",
    "key": "cluster:silesian-test",
    "properties": {"name": "Śląski Klaster Testowy", "names": ["pl:Śląski Klaster Testowy"], "country": "PL"},
    "sources": ["source:s1"],
}


@pytest.fixture
def editor(tokens: dict[Role, str]) -> str:
    return tokens[Role.EDITOR]


async def test_create_update_and_history_newest_first(restore: Graph, send: Any, editor: str) -> None:
    created = await send(CREATE, {"input": CLUSTER}, token=editor)
    assert created["data"]["createEntity"] == {
        "key": "cluster:silesian-test",
        "name": "Śląski Klaster Testowy",
        "countryCode": "PL",
        "sources": [{"key": "source:s1"}],
    }
    updated = await send(
        UPDATE,
        {
            "key": "cluster:silesian-test",
            "properties": {"description": "A test cluster.", "url": "https://example.org/klaster"},
            "sources": ["source:s5"],
        },
        token=editor,
    )
    entity = updated["data"]["updateEntity"]
    # A partial update keeps what it does not name; sources are added, not replaced.
    assert entity["name"] == "Śląski Klaster Testowy" and entity["description"] == "A test cluster."
    assert [s["key"] for s in entity["sources"]] == ["source:s1", "source:s5"]
    removed = await send(
        UPDATE,
        {"key": "cluster:silesian-test", "properties": {"url": None}, "sources": ["source:s5"]},
        token=editor,
    )
    assert removed["data"]["updateEntity"]["url"] is None
    changes = (await send(HISTORY, {"key": "cluster:silesian-test"}, token=editor))["data"]["history"][
        "nodes"
    ]
    assert [c["action"] for c in changes] == ["update", "update", "create"]
    assert changes[0]["at"] >= changes[1]["at"] >= changes[2]["at"]
    assert changes[2]["before"] is None and changes[2]["after"]["name"] == "Śląski Klaster Testowy"
    assert changes[1]["before"].get("description") is None
    assert changes[1]["after"]["description"] == "A test cluster." and changes[1]["sources"] == ["source:s5"]
    assert changes[0]["before"]["url"] == "https://example.org/klaster" and "url" not in changes[0]["after"]
    assert all(c["actor"].endswith(":test-editor") for c in changes)


@pytest.mark.parametrize(
    ("query", "variables", "field"),
    [
        (
            CREATE,
            {"input": {**CLUSTER, "properties": {"name": "X", "country": "Poland"}}},
            "properties.country",
        ),
        (CREATE, {"input": {**CLUSTER, "properties": {"name": "X", "url": "not a url"}}}, "properties.url"),
        (CREATE, {"input": {**CLUSTER, "properties": {"name": "X", "colour": "red"}}}, "properties.colour"),
        (CREATE, {"input": {**CLUSTER, "properties": {"country": "PL"}}}, "properties.name"),
        (CREATE, {"input": {**CLUSTER, "key": "Not A Key"}}, "key"),
        (CREATE, {"input": {**CLUSTER, "key": "cluster:euroregion-beskidy"}}, "key"),
        (CREATE, {"input": {**CLUSTER, "sources": ["source:nowhere"]}}, "sources"),
        (CREATE, {"input": {**CLUSTER, "sources": []}}, "sources"),
        (CREATE, {"input": {**CLUSTER, "kind": "GALAXY"}}, "input.kind"),
        (CREATE, {"input": {**CLUSTER, "key": "organisation:silesian-test"}}, "key"),
        (
            LINK,
            {
                "input": {
                    "type": "ENGAGES",
                    "from": "organisation:mid-pannon",
                    "to": "cluster:euroregion-beskidy",
                    "properties": {"project": "project:nowhere"},
                    "sources": ["source:s1"],
                }
            },
            "properties.project",
        ),
        (
            UPDATE,
            {
                "key": "cluster:euroregion-beskidy",
                "properties": {"mergedKeys": ["cluster:x"]},
                "sources": ["source:s1"],
            },
            "properties.mergedKeys",
        ),
        (DELETE, {"key": "source:s6"}, "key"),
        (
            UPDATE,
            {
                "key": "project:clusters-cord",
                "properties": {"startDate": "March 2010"},
                "sources": ["source:s2"],
            },
            "properties.startDate",
        ),
        (UPDATE, {"key": "project:nowhere", "properties": {}, "sources": ["source:s2"]}, "key"),
        (
            LINK,
            {
                "input": {
                    "type": "PARTNER_IN",
                    "from": "person:kinga-skalacka",
                    "to": "project:clusters-cord",
                    "sources": ["source:s1"],
                }
            },
            "type",
        ),
        (
            LINK,
            {
                "input": {
                    "type": "MEMBER_OF",
                    "from": "cluster:euroregion-beskidy",
                    "to": "organisation:mid-pannon",
                    "properties": {"since": "last year"},
                    "sources": ["source:s1"],
                }
            },
            "properties.since",
        ),
        (
            LINK,
            {
                "input": {
                    "type": "PARTNER_IN",
                    "from": "cluster:nope",
                    "to": "project:clustrat",
                    "sources": ["source:s6"],
                }
            },
            "from",
        ),
        (
            UNLINK,
            {"input": {"type": "FUNDED_BY", "from": "project:clustrat", "to": "project:clusters-cord"}},
            "to",
        ),
    ],
)
async def test_invalid_input_is_bad_user_input_naming_the_field(
    restore: Graph, send: Any, tokens: dict[Role, str], query: str, variables: dict[str, Any], field: str
) -> None:
    before = await snapshot(restore)
    body = await send(query, variables, token=tokens[Role.ADMIN])
    assert codes(body) == ["BAD_USER_INPUT"], body
    assert body["errors"][0]["extensions"]["field"] == field
    assert field.rsplit(".", 1)[-1] in body["errors"][0]["message"]
    assert await snapshot(restore) == before


async def test_link_with_properties_unites_sources_and_unlink_removes(
    restore: Graph, send: Any, editor: str
) -> None:
    ends = {"type": "MEMBER_OF", "from": "cluster:euroregion-beskidy", "to": "organisation:mid-pannon"}
    first = await send(
        LINK, {"input": {**ends, "properties": {"since": "2012"}, "sources": ["source:s1"]}}, token=editor
    )
    assert first["data"]["linkEntities"] == {
        **ends,
        "properties": {"since": "2012"},
        "sources": ["source:s1"],
    }
    again = await send(LINK, {"input": {**ends, "sources": ["source:s2"]}}, token=editor)
    assert again["data"]["linkEntities"]["sources"] == ["source:s1", "source:s2"]
    assert again["data"]["linkEntities"]["properties"] == {"since": "2012"}
    rows = await restore.read(
        "MATCH (:Cluster {key: 'cluster:euroregion-beskidy'})-[r:MEMBER_OF]->(:Organisation {key: 'organisation:mid-pannon'}) "
        "RETURN r.sources AS sources"
    )
    assert rows == [{"sources": ["source:s1", "source:s2"]}]
    gone = await send(UNLINK, {"input": {**ends, "sources": ["source:s1"]}}, token=editor)
    assert gone["data"]["unlinkEntities"] == ends
    rows = await restore.read(
        "MATCH (:Cluster {key: 'cluster:euroregion-beskidy'})-[r:MEMBER_OF]->() RETURN count(r) AS n"
    )
    assert rows == [{"n": 0}]
    # Both ends see the link and unlink in their history.
    for key in ("cluster:euroregion-beskidy", "organisation:mid-pannon"):
        changes = (await send(HISTORY, {"key": key}, token=editor))["data"]["history"]["nodes"]
        assert [c["action"] for c in changes[:3]] == ["unlink", "link", "link"], (key, changes)
        # Further back: the seed's own import.
        assert {c["actor"] for c in changes[3:]} == {"import"}


async def test_delete_removes_the_entity_and_history_keeps_it(
    restore: Graph, send: Any, tokens: dict[Role, str]
) -> None:
    key = "organisation:central-transdanubian-rda"
    body = await send(DELETE, {"key": key}, token=tokens[Role.ADMIN])
    assert body["data"]["deleteEntity"]["key"] == key
    assert (await send('{ entity(key: "organisation:central-transdanubian-rda") { key } }'))["data"][
        "entity"
    ] is None
    assert await restore.read("MATCH (n:Entity {key: $key}) RETURN n", {"key": key}) == []
    change = (await send(HISTORY, {"key": key}, token=tokens[Role.READER]))["data"]["history"]["nodes"][0]
    assert change["action"] == "delete" and change["after"] is None
    assert change["before"]["properties"]["name"] == "Central Transdanubian Regional Development Agency"
    kept = {(r["type"], r["end"]) for r in change["before"]["relationships"]}
    assert {("PARTNER_IN", "project:clustrat"), ("LOCATED_IN", "country:hu")} <= kept


async def test_a_mutation_failing_halfway_leaves_no_trace(
    restore: Graph, send: Any, editor: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The entity is written, then recording its history fails: the transaction takes both back."""
    before = await snapshot(restore)

    async def broken_record(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("history store failed")

    monkeypatch.setattr(entities, "record_change", broken_record)
    with pytest.raises(RuntimeError):
        await entities.create_entity(
            restore, "test", Kind.CLUSTER, "cluster:halfway", {"name": "Halfway"}, ["source:s1"]
        )
    body = await send(CREATE, {"input": {**CLUSTER, "key": "cluster:halfway"}}, token=editor)
    assert codes(body) == ["INTERNAL_SERVER_ERROR"] and "history store" not in str(body)
    assert await snapshot(restore) == before


async def test_delete_leaves_no_relationship_naming_the_deleted_key(
    restore: Graph, send: Any, tokens: dict[Role, str]
) -> None:
    key = "organisation:rda-bielsko-biala"
    naming = "MATCH ()-[r]->() WHERE r.via = $key OR r.project = $key RETURN count(r) AS n"
    assert (await restore.read(naming, {"key": key}))[0]["n"] > 0, "the seed names it in `via`"
    body = await send(DELETE, {"key": key}, token=tokens[Role.ADMIN])
    assert body["data"]["deleteEntity"]["key"] == key, body
    assert (await restore.read(naming, {"key": key}))[0]["n"] == 0
    change = (await send(HISTORY, {"key": key}, token=tokens[Role.READER]))["data"]["history"]["nodes"][0]
    # History keeps what the references were, so the deletion can be undone by hand.
    assert change["before"]["references"] and all(
        r["properties"]["via"] == key for r in change["before"]["references"]
    )
