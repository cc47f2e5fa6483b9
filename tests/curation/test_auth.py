"""Who may write: anonymous and under-privileged writes are refused and write nothing."""

from __future__ import annotations

from typing import Any

from clustergraph.app import create_app
from clustergraph.auth.identity import Role
from clustergraph.auth.keys import create_key, revoke_key
from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from clustergraph.settings import Settings
from tests.support import codes, serve, snapshot

CREATE = """
mutation($input: EntityInput!) { createEntity(input: $input) { key name } }
"""
NEW_CLUSTER = {
    "kind": "CLUSTER",
    "key": "cluster:auth-test",
    "properties": {"name": "Auth Test Cluster", "country": "PL"},
    "sources": ["source:s1"],
}
MERGE = """
mutation { mergeEntities(keep: "organisation:central-transdanubian-rda", merge: ["organisation:mid-pannon"]) { key } }
"""


async def test_anonymous_write_is_unauthenticated_and_writes_nothing(restore: Graph, send: Any) -> None:
    before = await snapshot(restore)
    body = await send(CREATE, {"input": NEW_CLUSTER})
    assert codes(body) == ["UNAUTHENTICATED"], body
    assert await snapshot(restore) == before


async def test_too_small_a_role_is_forbidden_and_writes_nothing(
    restore: Graph, send: Any, tokens: dict[Role, str]
) -> None:
    before = await snapshot(restore)
    body = await send(CREATE, {"input": NEW_CLUSTER}, token=tokens[Role.READER])
    assert codes(body) == ["FORBIDDEN"], body
    assert "editor" in body["errors"][0]["message"]
    # Merging is an admin's: an editor may not.
    body = await send(MERGE, token=tokens[Role.EDITOR])
    assert codes(body) == ["FORBIDDEN"], body
    assert await snapshot(restore) == before


async def test_an_editor_writes_and_history_names_the_key(
    restore: Graph, send: Any, tokens: dict[Role, str]
) -> None:
    body = await send(CREATE, {"input": NEW_CLUSTER}, token=tokens[Role.EDITOR])
    assert body["data"]["createEntity"] == {"key": "cluster:auth-test", "name": "Auth Test Cluster"}
    history = await send(
        '{ history(key: "cluster:auth-test") { nodes { action actor } } }', token=tokens[Role.READER]
    )
    [change] = history["data"]["history"]["nodes"]
    assert change["action"] == "create" and change["actor"].endswith(":test-editor")


async def test_unknown_and_revoked_keys_are_unauthenticated(restore: Graph, send: Any) -> None:
    new = await create_key(restore, "short-lived", Role.ADMIN)
    assert await revoke_key(restore, new.id)
    before = await snapshot(restore)
    for token in (new.token, "cg_not-a-key", "not even a bearer token"):
        body = await send(CREATE, {"input": NEW_CLUSTER}, token=token)
        assert codes(body) == ["UNAUTHENTICATED"], (token, body)
    assert await snapshot(restore) == before


async def test_keys_are_stored_only_as_hashes(restore: Graph) -> None:
    new = await create_key(restore, "hash-check", Role.EDITOR)
    rows = await restore.read("MATCH (k:ApiKey {id: $id}) RETURN properties(k) AS p", {"id": new.id})
    stored = rows[0]["p"]
    assert new.token not in [str(v) for v in stored.values()]
    assert stored["role"] == "editor" and len(stored["hash"]) == 64


async def test_reads_can_be_closed_to_anonymous_callers(
    settings: Settings, location: GraphLocation, restore: Graph
) -> None:
    import httpx

    reader = await create_key(restore, "reader", Role.READER)
    private = settings.model_copy(update={"public_reads": False})
    query = {"query": '{ entity(key: "organisation:mid-pannon") { name } }'}
    with serve(create_app(private, location)) as url:
        async with httpx.AsyncClient(base_url=url) as client:
            anonymous = (await client.post("/graphql", json=query)).json()
            allowed = (
                await client.post("/graphql", json=query, headers={"Authorization": f"Bearer {reader.token}"})
            ).json()
    assert codes(anonymous) == ["UNAUTHENTICATED"]
    assert allowed["data"]["entity"]["name"] == "Mid-Pannon Regional Development Company"
