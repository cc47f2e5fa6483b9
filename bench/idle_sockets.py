"""Idle WebSockets, measured: `python -m bench.idle_sockets` (against the suite's local Neo4j).

Starts one `clustergraph serve` on loopback with bounds wide enough for the burst, then,
twice over: opens N WebSockets that each send `connection_init` (and get the ack) and
stay idle, and closes them all. It prints the service process's RSS (VmRSS, from
/proc) at the baseline, with the N open, and a few seconds after they closed, for each
configuration asked for (permessage-deflate on or off, CLUSTERGRAPH_WS_COMPRESSION;
glibc's free memory trimmed or not once the streams are gone, CLUSTERGRAPH_STREAM_TRIM).
A report, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
from tests.support import free_port
from websockets.asyncio.client import ClientConnection, connect

from clustergraph.graph import location as graph_location
from clustergraph.paths import PROJECT_ROOT
from clustergraph.settings import Settings


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [str(Path(sys.executable).with_name("clustergraph")), "serve", "--port", str(port)]
    log = open(f"/tmp/bench-idle-sockets-{port}.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the service did not start: see {log.name}")


async def open_idle(stack: AsyncExitStack, url: str) -> ClientConnection:
    socket = await stack.enter_async_context(
        connect(url.replace("http://", "ws://") + "/graphql", subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    )
    await socket.send(json.dumps({"type": "connection_init"}))
    ack = json.loads(await asyncio.wait_for(socket.recv(), 30))
    if ack["type"] != "connection_ack":
        raise SystemExit(f"not acknowledged: {ack}")
    return socket


async def burst(url: str, pid: int, count: int, settle: float) -> tuple[float, float]:
    """RSS with `count` idle WebSockets open, and `settle` seconds after they all closed."""
    async with AsyncExitStack() as stack:
        for start_at in range(0, count, 50):
            await asyncio.gather(*(open_idle(stack, url) for _ in range(min(50, count - start_at))))
        await asyncio.sleep(2)
        held = rss_mb(pid)
    await asyncio.sleep(settle)
    return held, rss_mb(pid)


async def measure(env: dict[str, str], count: int, rounds: int, settle: float) -> dict[str, Any]:
    process, url = start(env)
    try:
        # Warm up: the first request and socket import and build what every later one reuses.
        async with AsyncExitStack() as stack:
            await open_idle(stack, url)
        httpx.post(url + "/graphql", json={"query": "{ __typename }"}, timeout=10)
        await asyncio.sleep(2)
        baseline = rss_mb(process.pid)
        figures: dict[str, Any] = {"baseline_mb": round(baseline, 1), "rounds": []}
        for _ in range(rounds):
            held, after = await burst(url, process.pid, count, settle)
            figures["rounds"].append(
                {
                    "open_mb": round(held, 1),
                    "kb_per_socket": round((held - baseline) * 1024 / count, 1),
                    "after_close_mb": round(after, 1),
                    "kept_after_close_mb": round(after - baseline, 1),
                }
            )
        return figures
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sockets", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--settle", type=float, default=5.0, help="seconds after the close before reading RSS"
    )
    parser.add_argument(
        "--only", help="one configuration, by the start of its name (e.g. 'deflate on, trim')"
    )
    parser.add_argument(
        "--bolt-port", type=int, default=int(os.environ.get("CLUSTERGRAPH_TEST_BOLT_PORT", "17687"))
    )
    args = parser.parse_args()
    settings = Settings(CLUSTERGRAPH_HOME=PROJECT_ROOT / ".test-neo4j", CLUSTERGRAPH_BOLT_PORT=args.bolt_port)  # type: ignore[call-arg]
    where = graph_location.resolve(settings)
    wide = str(args.sockets + 100)
    env = {
        **os.environ,
        "NEO4J_URI": where.uri,
        "NEO4J_USER": where.user,
        "NEO4J_PASSWORD": where.password,
        "NEO4J_DATABASE": where.database,
        "CLUSTERGRAPH_MAX_CONNECTIONS": str(args.sockets + 200),
        "CLUSTERGRAPH_MAX_STREAMS": wide,
        "CLUSTERGRAPH_MAX_STREAMS_PER_ADDRESS": wide,
        "CLUSTERGRAPH_LIVE_IDLE_TIMEOUT": "600",
    }
    configurations = {
        "deflate on, no trim (the default)": {
            "CLUSTERGRAPH_WS_COMPRESSION": "true",
            "CLUSTERGRAPH_STREAM_TRIM": "false",
        },
        "deflate on, trim": {"CLUSTERGRAPH_WS_COMPRESSION": "true", "CLUSTERGRAPH_STREAM_TRIM": "true"},
        "deflate off, no trim": {"CLUSTERGRAPH_WS_COMPRESSION": "false", "CLUSTERGRAPH_STREAM_TRIM": "false"},
        "deflate off, trim": {"CLUSTERGRAPH_WS_COMPRESSION": "false", "CLUSTERGRAPH_STREAM_TRIM": "true"},
    }
    report: dict[str, Any] = {"sockets": args.sockets}
    for name, extra in configurations.items():
        if args.only and not name.startswith(args.only):
            continue
        report[name] = asyncio.run(measure({**env, **extra}, args.sockets, args.rounds, args.settle))
        print(name, json.dumps(report[name]), flush=True)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
