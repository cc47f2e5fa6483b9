"""The three ways of asking: the service over HTTP, raw Cypher, @neo4j/graphql over HTTP.

The two GraphQL servers run as their own processes (so their peak memory is theirs
alone) and are asked by the same HTTP client; raw Cypher goes through the async Python
driver, as the service itself sends it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
from neo4j import AsyncGraphDatabase, RoutingControl

from clustergraph.graph.location import GraphLocation

BENCH_DIR = Path(__file__).resolve().parent
Send = Callable[[], Awaitable[bool]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class HttpServer:
    """A GraphQL server process on a loopback port."""

    def __init__(
        self, name: str, command: list[str], env: dict[str, str], port: int, cwd: Path | None = None
    ) -> None:
        self.name, self.port = name, port
        self.log = (
            (BENCH_DIR / "data" / f"{name}.log").open("w")
            if (BENCH_DIR / "data").is_dir()
            else subprocess.DEVNULL
        )
        self.process = subprocess.Popen(
            command, env={**os.environ, **env}, cwd=cwd, stdout=self.log, stderr=self.log
        )
        self.url = f"http://127.0.0.1:{port}/graphql"
        self.client = httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=64))

    def wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}")
            try:
                httpx.post(self.url, json={"query": "{ __typename }"}, timeout=2).raise_for_status()
                return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not answer on {self.url}")

    def sender(self, query: str, variables: dict[str, Any]) -> Send:
        body = orjson.dumps({"query": query, "variables": variables})
        headers = {"content-type": "application/json"}

        async def send() -> bool:
            answer = await self.client.post(self.url, content=body, headers=headers)
            data = orjson.loads(answer.content)
            return answer.status_code == 200 and not data.get("errors")

        return send

    async def answer(self, query: str, variables: dict[str, Any]) -> Any:
        answer = await self.client.post(self.url, json={"query": query, "variables": variables})
        return answer.json()

    def peak_mb(self) -> float:
        return peak_rss_mb(self.process.pid)

    async def stop(self) -> None:
        await self.client.aclose()
        self.process.send_signal(signal.SIGINT)  # lets py-spy write its profile, uvicorn shut down
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            self.process.wait(timeout=20)


def _neo4j_env(location: GraphLocation) -> dict[str, str]:
    return {
        "NEO4J_URI": location.uri,
        "NEO4J_USER": location.user,
        "NEO4J_PASSWORD": location.password,
        "NEO4J_DATABASE": location.database,
    }


def service(location: GraphLocation) -> HttpServer:
    port = free_port()
    command = [str(Path(sys.executable).with_name("clustergraph")), "serve", "--port", str(port)]
    profile = os.environ.get("BENCH_PROFILE")
    if profile:  # a py-spy profile of the service (its peak memory is then py-spy's)
        spy = str(Path(sys.executable).with_name("py-spy"))
        command = [spy, "record", "-r", "200", "-f", "raw", "-o", profile, "--", *command]
    env = {
        **_neo4j_env(location),
        "CLUSTERGRAPH_QUERY_TIMEOUT": "120",
        # The benchmark is one client on loopback asking as fast as it can: no rate limit.
        "CLUSTERGRAPH_RATE_LIMIT_PER_ADDRESS": "off",
        "CLUSTERGRAPH_RATE_LIMIT_PER_KEY": "off",
    }
    return HttpServer("service", command, env, port)


def reference(location: GraphLocation) -> HttpServer:
    port = free_port()
    return HttpServer(
        "neo4j-graphql",
        ["node", "server.mjs"],
        {**_neo4j_env(location), "PORT": str(port)},
        port,
        cwd=BENCH_DIR / "neo4j-graphql",
    )


class Raw:
    """The captured Cypher, sent through the async driver as the service sends it."""

    def __init__(self, location: GraphLocation) -> None:
        # As the service's driver: no notifications (they cost a log line per query).
        self.driver = AsyncGraphDatabase.driver(
            location.uri, auth=(location.user, location.password), notifications_min_severity="OFF"
        )
        self.database = location.database

    def sender(self, cypher: str, params: dict[str, Any]) -> Send:
        async def send() -> bool:
            records, _, _ = await self.driver.execute_query(
                cypher,
                params,
                database_=self.database,
                routing_=RoutingControl.READ,  # type: ignore[arg-type]
            )
            rows = [r.data() for r in records]
            return rows is not None

        return send

    async def stop(self) -> None:
        await self.driver.close()
