"""Live changes on the real stack: the ordered log, subscriptions over WebSocket and SSE, resuming
with `since`, two service processes on one Neo4j, and the bounds a subscriber lives within."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from clustergraph.auth.identity import Role
from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from clustergraph.importer.loader import load
from clustergraph.settings import Settings
from tests.live_clients import sse_events, ws_client
from tests.support import free_port, neo4j_env, running_service

ORG = "organisation:steinbeis-europa-zentrum"
RENAME = """mutation($key: String!, $name: String!) {
  updateEntity(key: $key, properties: {name: $name}, sources: ["source:s6"]) { key name }
}"""
ENTITY_CHANGED = """subscription($keys: [String!], $since: Int) {
  entityChanged(keys: $keys, since: $since) { sequence action actorRole actor key kind before after sources }
}"""


@pytest.fixture
def live_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"live_poll_interval": 0.2})


@pytest.fixture
def service(live_settings: Settings, location: GraphLocation, restore: Graph) -> Iterator[str]:
    """A service of its own, started on the graph as the test finds it."""
    with running_service(live_settings, location) as url:
        yield url


async def rename(url: str, token: str, names: list[str], key: str = ORG) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        for name in names:
            response = await client.post(
                "/graphql",
                json={"query": RENAME, "variables": {"key": key, "name": name}},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert response.json()["data"]["updateEntity"]["key"] == key, response.text


async def log_of(graph: Graph) -> list[dict[str, Any]]:
    return await graph.read("MATCH (c:Change) RETURN c.seq AS seq, c.at AS at, c.key AS key ORDER BY c.seq")


async def test_concurrent_writes_number_the_log_without_gap_in_commit_order(
    service: str, restore: Graph, tokens: dict[Role, str]
) -> None:
    before = await log_of(restore)
    keys = [ORG, "organisation:clusterland-upper-austria"]
    await asyncio.gather(
        *(rename(service, tokens[Role.EDITOR], [f"Name {i}"], keys[i % 2]) for i in range(12))
    )
    log = await log_of(restore)
    seqs = [row["seq"] for row in log]
    assert seqs == list(range(1, len(log) + 1))
    assert len(log) == len(before) + 12
    # Numbered under the log's lock, held to commit: later numbers were recorded later.
    assert [row["at"] for row in log] == sorted(row["at"] for row in log)


async def test_websocket_subscriber_gets_every_change_in_order(
    service: str, restore: Graph, tokens: dict[Role, str]
) -> None:
    async with ws_client(service) as client:
        await client.subscribe(ENTITY_CHANGED, {"keys": [ORG]})
        await asyncio.sleep(0.5)  # the subscription is live before the first write
        names = [f"Steinbeis {i}" for i in range(20)]
        await rename(service, tokens[Role.EDITOR], names)
        events = await client.events(20)
    expected = [row["seq"] for row in await log_of(restore) if row["key"] == ORG][-20:]
    assert [e["sequence"] for e in events] == expected
    assert [e["after"]["name"] for e in events] == names
    assert [e["before"]["name"] for e in events[1:]] == names[:-1]
    first = events[0]
    assert (first["action"], first["actorRole"], first["kind"], first["sources"]) == (
        "update",
        "editor",
        "ORGANISATION",
        ["source:s6"],
    )
    # An anonymous subscriber learns the writer's role, not the key's name.
    assert first["actor"] is None


async def test_subscriber_with_a_credential_sees_who_wrote(service: str, tokens: dict[Role, str]) -> None:
    async with ws_client(service, tokens[Role.READER]) as client:
        await client.subscribe(ENTITY_CHANGED, {"keys": [ORG]})
        await asyncio.sleep(0.5)
        await rename(service, tokens[Role.EDITOR], ["Named"])
        (event,) = await client.events(1)
    assert event["actor"].startswith("key:") and event["actor"].endswith(":test-editor")


async def test_a_client_cut_off_during_50_writes_resumes_with_since(
    service: str, tokens: dict[Role, str]
) -> None:
    async with ws_client(service) as client:
        await client.subscribe(ENTITY_CHANGED, {"keys": [ORG]})
        await asyncio.sleep(0.5)
        await rename(service, tokens[Role.EDITOR], ["Before the cut"])
        (seen,) = await client.events(1)
    names = [f"While away {i}" for i in range(50)]
    await rename(service, tokens[Role.EDITOR], names)
    async with ws_client(service) as client:
        await client.subscribe(ENTITY_CHANGED, {"keys": [ORG], "since": seen["sequence"]})
        replayed = await client.events(50)
        await rename(service, tokens[Role.EDITOR], ["Live again"])
        (live,) = await client.events(1)
    assert [e["after"]["name"] for e in replayed] == names
    assert [e["sequence"] for e in replayed] == list(range(seen["sequence"] + 1, seen["sequence"] + 51))
    assert live["after"]["name"] == "Live again" and live["sequence"] == replayed[-1]["sequence"] + 1


async def test_sse_subscriber_gets_every_change_in_order(service: str, tokens: dict[Role, str]) -> None:
    names = [f"Over SSE {i}" for i in range(10)]
    async with sse_events(service, ENTITY_CHANGED, {"keys": [ORG], "since": 0}) as payloads:
        # `since: 0` replays the whole log first: the seed's import and then these writes.
        writer = asyncio.create_task(rename(service, tokens[Role.EDITOR], names))
        events: list[dict[str, Any]] = []
        async for payload in payloads:
            assert "errors" not in payload, payload
            events.append(payload["data"]["entityChanged"])
            if events[-1]["after"]["name"] == names[-1]:
                break
        await writer
    seqs = [e["sequence"] for e in events]
    assert seqs == sorted(set(seqs))
    assert events[0]["action"] == "create" and events[0]["actorRole"] == "system"
    assert [e["after"]["name"] for e in events[-10:]] == names


@pytest.fixture
def second_process(live_settings: Settings, location: GraphLocation, restore: Graph) -> Iterator[str]:
    """Another `clustergraph serve`, a process of its own, on the same Neo4j."""
    port = free_port()
    env = neo4j_env(location, CLUSTERGRAPH_LIVE_POLL_INTERVAL="0.2")
    command = [
        str(Path(sys.executable).with_name("clustergraph")),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "the second process did not start"
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


async def test_a_write_through_one_process_reaches_a_subscriber_of_another(
    service: str, second_process: str, tokens: dict[Role, str]
) -> None:
    async with ws_client(second_process) as client:
        await client.subscribe(ENTITY_CHANGED, {"keys": [ORG]})
        await asyncio.sleep(0.5)
        await rename(service, tokens[Role.EDITOR], ["Across processes 1", "Across processes 2"])
        events = await client.events(2)
    assert [e["after"]["name"] for e in events] == ["Across processes 1", "Across processes 2"]
    assert events[1]["sequence"] == events[0]["sequence"] + 1


async def test_relationship_changes_are_filtered_by_type(service: str, tokens: dict[Role, str]) -> None:
    query = """subscription { relationshipChanged(keys: ["organisation:steinbeis-europa-zentrum"], types: [MEMBER_OF]) {
      sequence action before after } }"""
    link = """mutation($input: RelationshipInput!) { linkEntities(input: $input) { type } }"""
    unlink = """mutation($input: RelationshipInput!) { unlinkEntities(input: $input) { type } }"""
    edge = {
        "type": "MEMBER_OF",
        "from": ORG,
        "to": "organisation:clusterland-upper-austria",
        "sources": ["source:s6"],
    }
    async with ws_client(service) as client, httpx.AsyncClient(base_url=service, timeout=60) as http:
        await client.subscribe(query)
        await asyncio.sleep(0.5)
        headers = {"Authorization": f"Bearer {tokens[Role.EDITOR]}"}
        for mutation in (link, unlink):
            body = (
                await http.post(
                    "/graphql", json={"query": mutation, "variables": {"input": edge}}, headers=headers
                )
            ).json()
            assert "errors" not in body, body
        events = await client.events(2)
    assert [e["action"] for e in events] == ["link", "unlink"]
    assert events[0]["after"]["type"] == "MEMBER_OF" and events[1]["after"] is None


async def test_subscriptions_follow_the_read_access_rules(
    live_settings: Settings, location: GraphLocation, tokens: dict[Role, str]
) -> None:
    private = live_settings.model_copy(update={"public_reads": False})
    with running_service(private, location) as url:
        async with ws_client(url) as client:
            await client.subscribe(ENTITY_CHANGED)
            message = await client.message()
        async with ws_client(url, tokens[Role.READER]) as client:
            await client.subscribe(ENTITY_CHANGED, {"keys": [ORG]})
            await asyncio.sleep(0.5)
            await rename(url, tokens[Role.EDITOR], ["Private"])
            (event,) = await client.events(1)
    assert message["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", message
    assert event["after"]["name"] == "Private"


async def test_bounds_per_connection_and_per_address(
    live_settings: Settings, location: GraphLocation, restore: Graph
) -> None:
    bounded = live_settings.model_copy(update={"live_per_connection": 2, "live_per_address": 3})
    with running_service(bounded, location) as url:
        async with ws_client(url) as first, ws_client(url) as second:
            for _ in range(2):
                await first.subscribe(ENTITY_CHANGED)
            await first.subscribe(ENTITY_CHANGED)
            refused = await first.message()
            await second.subscribe(ENTITY_CHANGED)
            await asyncio.sleep(0.5)
            await second.subscribe(ENTITY_CHANGED)
            over_address = await second.message()
    assert refused["type"] == "error", refused
    assert refused["payload"][0]["extensions"] == {"code": "TOO_MANY_SUBSCRIPTIONS", "per": "connection"}
    assert "2 operations, the most it may (per connection)" in refused["payload"][0]["message"], refused
    assert over_address["payload"]["errors"][0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS", (
        over_address
    )


@pytest.mark.parametrize(
    "query",
    [
        "subscription { entityChanged { noSuchField } }",
        "subscription { entityChanged(since: -1) { sequence } }",
        "subscription { entityChanged { sequence } relationshipChanged { sequence } }",
        "query { lastChange ... @defer { lastChange } }",
        "subscription($keys: [String!]!) { entityChanged(keys: $keys) { sequence } }",
    ],
)
async def test_every_subscription_error_carries_a_code(service: str, query: str) -> None:
    async with ws_client(service) as client:
        await client.subscribe(query)
        message = await client.message()
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert errors and all(error["extensions"]["code"] for error in errors), message


async def test_idle_connections_are_closed(
    live_settings: Settings, location: GraphLocation, restore: Graph
) -> None:
    idle = live_settings.model_copy(update={"live_idle_timeout": 1.0})
    with running_service(idle, location) as url:
        async with ws_client(url) as client:
            with pytest.raises(ConnectionClosed) as closed:
                await client.message(timeout=20)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4000


def _import_rows(directory: Path, count: int) -> Path:
    rows = [
        f'{{"type": "node", "kind": "Organisation", "key": "organisation:live-test-{i}", '
        f'"properties": {{"name": "Live test {i}", "country": "DE"}}, "sources": ["source:s6"]}}'
        for i in range(count)
    ]
    (directory / "rows.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return directory


async def test_a_slow_consumer_is_closed_with_a_code_and_resumes_with_since(
    live_settings: Settings, location: GraphLocation, restore: Graph, tmp_path: Path
) -> None:
    small = live_settings.model_copy(update={"live_queue_limit": 5})
    with running_service(small, location) as url:
        async with ws_client(url) as client:
            await client.subscribe('subscription { entityChanged(countries: ["DE"]) { sequence key } }')
            await asyncio.sleep(0.5)
            start = (await log_of(restore))[-1]["seq"]
            # One import batch of 40 changes reaches the feed at once: more than the subscriber's bound.
            report = await load(restore, _import_rows(tmp_path, 40))
            assert report.ok, report.rejected
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    await client.message()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4008
        async with ws_client(url) as client:
            query = 'subscription($since: Int) { entityChanged(countries: ["DE"], since: $since) { sequence key } }'
            await client.subscribe(query, {"since": start})
            events = await client.events(40)
    assert [e["key"] for e in events] == [f"organisation:live-test-{i}" for i in range(40)]
    assert [e["sequence"] for e in events] == list(range(start + 1, start + 41))


async def test_pages_of_origins_off_the_allow_list_cannot_open_a_subscription(service: str) -> None:
    ws_url = service.replace("http://", "ws://") + "/graphql"
    with pytest.raises(InvalidStatus):
        async with connect(ws_url, subprotocols=["graphql-transport-ws"], origin="http://127.0.0.1:9"):  # type: ignore[list-item, arg-type]
            pass


async def test_a_websocket_outlives_the_deadline_for_request_headers(
    live_settings: Settings, location: GraphLocation, tokens: dict[Role, str]
) -> None:
    short = live_settings.model_copy(update={"header_timeout": 1.0})
    with running_service(short, location) as url:
        async with ws_client(url) as client:
            await client.subscribe(ENTITY_CHANGED, {"keys": [ORG]})
            await asyncio.sleep(2.5)
            await rename(url, tokens[Role.EDITOR], ["Still connected"])
            (event,) = await client.events(1)
    assert event["after"]["name"] == "Still connected"
