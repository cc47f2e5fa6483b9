"""Live changes, measured: `python -m bench.live` (against the suite's local Neo4j; see docs/subscriptions.md).

Starts two `clustergraph serve` processes on one Neo4j and measures, from the outside:
commit-to-delivery latency on one process and across two, the memory of N idle
subscribers, and lost or repeated events over many writes with subscribers reconnecting
at random (each resumes with `since`). Targets 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from contextlib import AsyncExitStack
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import connect

from clustergraph.auth.identity import Role
from clustergraph.auth.keys import create_key
from clustergraph.graph import location as graph_location
from clustergraph.graph.db import Graph
from clustergraph.paths import PROJECT_ROOT
from clustergraph.settings import Settings

ORG = "organisation:steinbeis-europa-zentrum"
RENAME = 'mutation($n: String!) { updateEntity(key: "%s", properties: {name: $n}, sources: ["source:s6"]) { key } }'
SUBSCRIBE = "subscription($since: Int) { entityChanged(since: $since) { sequence at } }"


def serve(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        str(Path(sys.executable).with_name("clustergraph")),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    log = open(f"/tmp/bench-live-{port}.log", "wb")  # noqa: SIM115
    return subprocess.Popen(command, env=env, stdout=log, stderr=log)


def wait_up(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not start")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def open_ws(url: str, since: int | None = None, count: int = 1) -> Any:
    socket = await connect(
        url.replace("http://", "ws://") + "/graphql", subprotocols=["graphql-transport-ws"], max_queue=None
    )  # type: ignore[list-item]
    await socket.send(json.dumps({"type": "connection_init"}))
    await socket.recv()
    for op in range(count):
        payload = {"query": SUBSCRIBE, "variables": {"since": since}}
        await socket.send(json.dumps({"id": str(op), "type": "subscribe", "payload": payload}))
    return socket


async def writes(url: str, token: str, count: int, writers: int = 2) -> None:
    async def one(worker: int) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:
            for i in range(worker, count, writers):
                response = await client.post(
                    "/graphql",
                    json={"query": RENAME % ORG, "variables": {"n": f"Bench {i}"}},
                    headers={"Authorization": f"Bearer {token}"},
                )
                # Every write must be acknowledged, or "nothing lost" would count too few.
                if "errors" in response.json():
                    raise SystemExit(f"write {i} refused: {response.text}")

    await asyncio.gather(*(one(w) for w in range(writers)))


async def latency(subscribe_url: str, write_url: str, token: str, count: int) -> list[float]:
    socket = await open_ws(subscribe_url)
    await asyncio.sleep(1)
    delays: list[float] = []

    async def read() -> None:
        while len(delays) < count:
            message = json.loads(await socket.recv())
            if message.get("type") == "next":
                at = datetime.fromisoformat(message["payload"]["data"]["entityChanged"]["at"])
                delays.append((time.time() - at.timestamp()) * 1000)

    reader = asyncio.create_task(read())
    await writes(write_url, token, count, writers=1)
    await asyncio.wait_for(reader, 120)
    await socket.close()
    return delays


async def idle_memory(url: str, pid: int, subscribers: int, per_connection: int) -> tuple[float, float]:
    await asyncio.sleep(1)
    before = rss_mb(pid)
    sockets = [await open_ws(url, count=per_connection) for _ in range(subscribers // per_connection)]
    await asyncio.sleep(3)
    after = rss_mb(pid)
    for socket in sockets:
        await socket.close()
    return before, after


async def idle_sse_memory(url: str, pid: int, subscribers: int) -> tuple[float, float]:
    """RSS before and after `subscribers` idle GraphQL-over-SSE streams, one connection each."""
    await asyncio.sleep(1)
    before = rss_mb(pid)
    limits = httpx.Limits(max_connections=subscribers + 1)
    async with (
        httpx.AsyncClient(timeout=httpx.Timeout(60), limits=limits) as client,
        AsyncExitStack() as streams,
    ):
        for _ in range(subscribers):
            response = await streams.enter_async_context(
                client.stream(
                    "POST",
                    url + "/graphql",
                    json={"query": SUBSCRIBE, "variables": {}},
                    headers={"Accept": "text/event-stream"},
                )
            )
            if response.status_code != 200:
                raise SystemExit(f"SSE subscription refused: {response.status_code}")
        await asyncio.sleep(3)
        after = rss_mb(pid)
    return before, after


async def no_loss(urls: list[str], token: str, graph: Graph, count: int, subscribers: int) -> dict[str, int]:
    start = int((await graph.read("MATCH (l:ChangeLog) RETURN l.last AS last"))[0]["last"])
    seen: list[list[int]] = [[] for _ in range(subscribers)]
    reconnects = 0

    async def subscriber(index: int) -> None:
        nonlocal reconnects
        url = urls[index % len(urls)]
        while not seen[index] or seen[index][-1] < start + count:
            last = seen[index][-1] if seen[index] else start
            socket = await open_ws(url, since=last)
            cut = time.monotonic() + random.uniform(0.2, 3.0)
            try:
                while time.monotonic() < cut:
                    try:
                        raw = await asyncio.wait_for(socket.recv(), max(cut - time.monotonic(), 0.01))
                    except TimeoutError:
                        break
                    message = json.loads(raw)
                    if message.get("type") == "next":
                        seen[index].append(message["payload"]["data"]["entityChanged"]["sequence"])
                    if seen[index] and seen[index][-1] >= start + count:
                        return
            finally:
                await socket.close()
                reconnects += 1

    tasks = [asyncio.create_task(subscriber(i)) for i in range(subscribers)]
    await writes(urls[0], token, count, writers=2)
    await asyncio.wait_for(asyncio.gather(*tasks), 300)
    expected = list(range(start + 1, start + count + 1))
    lost = sum(len(set(expected) - set(s)) for s in seen)
    repeated = sum(len(s) - len(set(s)) for s in seen)
    return {
        "writes": count,
        "subscribers": subscribers,
        "reconnects": reconnects,
        "lost": lost,
        "repeated": repeated,
    }


def idle_figures(count: int, before: float, after: float) -> dict[str, float]:
    return {
        "count": count,
        "rss_before_mb": round(before, 1),
        "rss_after_mb": round(after, 1),
        "extra_mb": round(after - before, 1),
    }


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--bolt-port", type=int, default=int(os.environ.get("CLUSTERGRAPH_TEST_BOLT_PORT", "17687"))
    )
    parser.add_argument("--latency-writes", type=int, default=200)
    parser.add_argument("--idle", type=int, default=5000)
    parser.add_argument("--idle-ws-connections", type=int, default=1000, help="one subscription each")
    parser.add_argument("--idle-sse", type=int, default=1000)
    parser.add_argument("--writes", type=int, default=1000)
    parser.add_argument("--subscribers", type=int, default=20)
    args = parser.parse_args()
    settings = Settings(CLUSTERGRAPH_HOME=PROJECT_ROOT / ".test-neo4j", CLUSTERGRAPH_BOLT_PORT=args.bolt_port)  # type: ignore[call-arg]
    where = graph_location.resolve(settings)
    graph = Graph.connect(where, timeout=60)
    token = (await create_key(graph, "bench-live", Role.EDITOR)).token
    env = {
        **os.environ,
        "NEO4J_URI": where.uri,
        "NEO4J_USER": where.user,
        "NEO4J_PASSWORD": where.password,
        "NEO4J_DATABASE": where.database,
        "CLUSTERGRAPH_LIVE_PER_ADDRESS": "100000",
        "CLUSTERGRAPH_LIVE_PER_CONNECTION": "100",
        "CLUSTERGRAPH_MAX_CONNECTIONS": "2000",
        # 1,000 idle WebSockets and 1,000 event streams from this one address, one after the other.
        "CLUSTERGRAPH_MAX_STREAMS": "1900",
        "CLUSTERGRAPH_MAX_STREAMS_PER_ADDRESS": "1900",
        "CLUSTERGRAPH_RATE_LIMIT_PER_ADDRESS": "1000000/minute",
        "CLUSTERGRAPH_RATE_LIMIT_PER_KEY": "1000000/minute",
    }
    a, b = "http://127.0.0.1:18781", "http://127.0.0.1:18782"
    processes = [serve(18781, env), serve(18782, env)]
    try:
        wait_up(a)
        wait_up(b)
        one = await latency(a, a, token, args.latency_writes)
        two = await latency(b, a, token, args.latency_writes)
        before, after = await idle_memory(a, processes[0].pid, args.idle, 100)
        ws_alone = await idle_memory(a, processes[0].pid, args.idle_ws_connections, 1)
        sse_alone = await idle_sse_memory(a, processes[0].pid, args.idle_sse)
        loss = await no_loss([a, b], token, graph, args.writes, args.subscribers)
        print(
            json.dumps(
                {
                    "latency_one_process_ms": {
                        "p50": round(pct(one, 50), 1),
                        "p95": round(pct(one, 95), 1),
                        "events": len(one),
                    },
                    "latency_across_two_ms": {
                        "p50": round(pct(two, 50), 1),
                        "p95": round(pct(two, 95), 1),
                        "events": len(two),
                    },
                    "idle_subscribers": {
                        "count": args.idle,
                        "rss_before_mb": round(before, 1),
                        "rss_after_mb": round(after, 1),
                        "extra_mb": round(after - before, 1),
                    },
                    "idle_websockets_one_subscription_each": idle_figures(
                        args.idle_ws_connections, *ws_alone
                    ),
                    "idle_sse_streams": idle_figures(args.idle_sse, *sse_alone),
                    "reconnecting": loss,
                },
                indent=2,
            )
        )
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)
        await graph.close()


if __name__ == "__main__":
    asyncio.run(main())
