"""Several service processes on one Neo4j, with a Redis they share: the multi-replica test bed.

`redis_server()` starts Debian's `redis-server` on a free loopback port (no persistence,
in a temporary folder) and stops it after; `replicas()` starts N `clustergraph serve`
processes, each as an operator would run it, all on the test suite's Neo4j through the
routing `neo4j://` scheme; `proxy()` puts Debian's nginx with the deployment's own
`deploy/nginx.conf` in front of them. Both are context managers, so tests (and later features:
anything that must hold across replicas) can combine them freely.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from clustergraph.graph.location import GraphLocation
from clustergraph.paths import PROJECT_ROOT
from tests.support import free_port


def routing_uri(location: GraphLocation) -> str:
    """The same server through the routing scheme (what a cluster or Aura is reached by)."""
    scheme, _, rest = location.uri.partition("://")
    return f"{scheme.replace('bolt', 'neo4j', 1)}://{rest}"


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextmanager
def redis_server() -> Iterator[str]:
    """A throwaway Redis on loopback; yields its URI (redis://127.0.0.1:PORT/0)."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).exists():
        raise RuntimeError("redis-server is not installed: scripts/test installs it (Debian's redis-server)")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="clustergraph-redis-") as folder:
        command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        process = subprocess.Popen(
            [*command, "--dir", folder], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        with _running(process, lambda: _redis_answers(port), f"redis-server on port {port}"):
            yield f"redis://127.0.0.1:{port}/0"


@dataclass
class Replica:
    """One `clustergraph serve` process."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM, as an orchestrator sends it; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def service_env(location: GraphLocation, **settings: str) -> dict[str, str]:
    """The environment of a service process on the test Neo4j (through `neo4j://`), plus `settings`."""
    return {
        **os.environ,
        "NEO4J_URI": routing_uri(location),
        "NEO4J_USER": location.user,
        "NEO4J_PASSWORD": location.password,
        "NEO4J_DATABASE": location.database,
        **settings,
    }


def start_replica(env: dict[str, str], folder: Path, workers: int = 1) -> Replica:
    """One `clustergraph serve` on a free port, returned once each of its workers has started."""
    port = free_port()
    log = folder / f"replica-{port}.log"
    command = [str(Path(sys.executable).with_name("clustergraph")), "serve", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--workers", str(workers)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    replica = Replica(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 90
    # /readyz answers as soon as one worker does: the others are counted in the log.
    while replica.log_text().count("Application startup complete") < workers or not _ready(replica.url):
        if process.poll() is not None or time.monotonic() > deadline:
            replica.stop()
            raise RuntimeError(f"a replica did not start:\n{replica.log_text()}")
        time.sleep(0.2)
    return replica


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@contextmanager
def replicas(
    location: GraphLocation, count: int, workers: int = 1, **settings: str
) -> Iterator[list[Replica]]:
    """`count` service processes on one Neo4j, each with `workers` workers and these settings
    (environment names); stopped with SIGTERM after, so their workers exit too."""
    with tempfile.TemporaryDirectory(prefix="clustergraph-replicas-") as folder:
        env = service_env(location, **settings)
        started: list[Replica] = []
        try:
            for _ in range(count):
                started.append(start_replica(env, Path(folder), workers))
            yield started
        finally:
            for replica in started:
                try:
                    replica.stop(timeout=30)
                except subprocess.TimeoutExpired:
                    replica.process.kill()
                    replica.process.wait(timeout=10)


def proxy_config(text: str, upstreams: list[str], port: int, folder: Path) -> str:
    """deploy/nginx.conf as it runs here: these replicas instead of Docker's service name,
    this port, and its files in `folder` (nginx's built-in paths need root)."""
    servers = "".join(
        f"    server {url.removeprefix('http://')} max_fails=1 fail_timeout=5s;\n" for url in upstreams
    )
    text, found = re.subn(r"^ *server clustergraph:8000[^;]*;\n", servers, text, flags=re.M)
    assert found == 1, "deploy/nginx.conf no longer names the replicas as `server clustergraph:8000`"
    text = text.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    files = "".join(
        f"  {name}_temp_path {folder / name};\n"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return text.replace("http {\n", f"http {{\n  access_log {folder / 'access.log'};\n{files}", 1)


@contextmanager
def proxy(upstreams: list[str]) -> Iterator[str]:
    """nginx with deploy/nginx.conf in front of these replicas; yields its URL."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        raise RuntimeError("nginx is not installed: scripts/test installs it (Debian's nginx)")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="clustergraph-proxy-") as name:
        folder = Path(name)
        conf = folder / "nginx.conf"
        conf.write_text(
            proxy_config((PROJECT_ROOT / "deploy/nginx.conf").read_text(), upstreams, port, folder)
        )
        directives = f"daemon off; pid {folder / 'nginx.pid'}; error_log {folder / 'error.log'};"
        process = subprocess.Popen(
            [binary, "-p", str(folder), "-c", str(conf), "-g", directives],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        with _running(process, lambda: _listens(port), f"nginx on port {port}"):
            yield f"http://127.0.0.1:{port}"


@contextmanager
def _running(process: subprocess.Popen[bytes], ready: Callable[[], bool], what: str) -> Iterator[None]:
    """Waits (20 s at most) until `ready()`, failing with what the process said if it exits;
    stops the process after."""
    try:
        deadline = time.monotonic() + 20
        while not ready():
            if process.poll() is not None or time.monotonic() > deadline:
                said = process.stderr.read().decode() if process.stderr and process.poll() is not None else ""
                raise RuntimeError(f"{what} did not start" + (f": {said}" if said else ""))
            time.sleep(0.05)
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def _listens(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False
