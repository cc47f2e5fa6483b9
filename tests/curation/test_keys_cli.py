"""`clustergraph keys create|list|revoke`, run as a user runs it."""

from __future__ import annotations

from typing import Any

from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from tests.support import codes, run_cli

UPDATE = 'mutation { updateEntity(key: "sector:ict", properties: {description: "ICT"}, sources: ["source:s4"]) { key } }'


async def test_create_list_and_revoke_a_key(restore: Graph, location: GraphLocation, send: Any) -> None:
    created = run_cli(location, "keys", "create", "--name", "curator-anna", "--role", "editor")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert token.startswith("cg_") and "curator-anna" in created.stderr
    key_id = created.stderr.split("created key ", 1)[1].split()[0]

    listed = run_cli(location, "keys", "list")
    assert key_id in listed.stdout and "curator-anna" in listed.stdout and "editor" in listed.stdout
    assert token not in listed.stdout

    assert (await send(UPDATE, token=token))["data"] == {"updateEntity": {"key": "sector:ict"}}
    revoked = run_cli(location, "keys", "revoke", key_id)
    assert revoked.returncode == 0, revoked.stderr
    assert codes(await send(UPDATE, token=token)) == ["UNAUTHENTICATED"]
    assert run_cli(location, "keys", "revoke", "no-such-key").returncode == 1
