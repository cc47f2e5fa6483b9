"""The issue-11 benchmark: a native load generator (wrk), service and @neo4j/graphql side by side.

    bench/run [--graph seed|synthetic] [--scale 0.1] [--seconds 5] [--connections 8] [--skip-load]

Every request of `requests.py` (and `{ __typename }`) is asked by `wrk -t1 -cN` of the
service with one worker, with two workers, and of @neo4j/graphql, one after the other on
the same Neo4j. The raw Cypher of each request (what the service sends, captured) is
timed through the Python driver: wrk speaks HTTP, not Bolt, so that is the one figure
the Python loop (`loadgen.py`) still gives. Then py-spy samples the service under the
paths request and the report (`bench/REPORT.md`) marks each goal of issue 11 met or missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

import httpx
from neo4j import GraphDatabase

from bench.capture import capture
from bench.loadgen import measure
from bench.native_report import write_native_report
from bench.pick import pick
from bench.requests import Request, requests
from bench.targets import BENCH_DIR, HttpServer, Raw, _neo4j_env, free_port, reference
from clustergraph.graph import location as graph_location
from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from clustergraph.graph.migrations import migrate
from clustergraph.settings import Settings

DATA = BENCH_DIR / "data"
WRK_SCRIPT = BENCH_DIR / "wrk.lua"
TYPENAME = Request(
    "typename", "the smallest request: `{ __typename }`", "{ __typename }", {}, "{ __typename }"
)
# Keys of the seed graph with the same roles as `pick.py` chooses in the synthetic network.
SEED_KEYS = {
    "cluster": "cluster:euroregion-beskidy",
    "search": "agency",
    "organisation": "organisation:rda-bielsko-biala",
    "far": "organisation:rda-usti-region",
    "sector": "sector:ict",
}


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def wrk(url: str, body: dict[str, Any], seconds: float, connections: int) -> dict[str, Any]:
    """One wrk run: its requests/s and latency percentiles (ms), from the Lua script's summary."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(body, handle)
    try:
        done = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{seconds:g}s",
                "--timeout",
                "30s",
                "-s",
                str(WRK_SCRIPT),
                url,
            ],
            env={**os.environ, "BENCH_BODY_FILE": handle.name},
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        )
    finally:
        os.unlink(handle.name)
    summary = json.loads([line for line in done.stdout.splitlines() if line.startswith("{")][-1])
    seconds_run = summary["duration_us"] / 1e6
    return {
        "requests": summary["requests"],
        "rps": summary["requests"] / seconds_run,
        "median_ms": summary["p50_us"] / 1000,
        "p95_ms": summary["p95_us"] / 1000,
        "p99_ms": summary["p99_us"] / 1000,
        "errors": summary["errors"] + summary["non2xx"],
        "load": load_average(),
    }


def _answers(url: str, body: dict[str, Any]) -> None:
    answer = httpx.post(url, json=body, timeout=120)
    data = answer.json()
    if answer.status_code != 200 or data.get("errors"):
        raise RuntimeError(f"{url}: {answer.status_code} {answer.text[:300]}")


def service(location: GraphLocation, workers: int, profile: Path | None = None) -> HttpServer:
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("clustergraph")),
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    if profile is not None:  # py-spy samples the service (one worker: the process itself)
        spy = str(Path(sys.executable).with_name("py-spy"))
        command = [spy, "record", "-r", "100", "-f", "raw", "-o", str(profile), "--", *command]
    env = {
        **_neo4j_env(location),
        "CLUSTERGRAPH_QUERY_TIMEOUT": "120",
        # One client on loopback asking as fast as it can: no rate limit.
        "CLUSTERGRAPH_RATE_LIMIT_PER_ADDRESS": "off",
        "CLUSTERGRAPH_RATE_LIMIT_PER_KEY": "off",
    }
    return HttpServer(f"service-{workers}w", command, env, port)


def ask_http(
    server: HttpServer, target: str, chosen: list[Request], seconds: float, connections: int
) -> dict[str, Any]:
    server.wait(timeout=180)
    figures = {}
    for request in chosen:
        query = request.service if target == "service" else request.reference
        body = {"query": query, "variables": request.variables}
        _answers(server.url, body)
        wrk(server.url, body, 1, connections)  # warm up: caches, JIT, connection pools
        figures[request.name] = wrk(server.url, body, seconds, connections)
        f = figures[request.name]
        print(
            f"{server.name:14} {request.name:14} {f['rps']:8.1f} req/s  median {f['median_ms']:7.2f} ms  "
            f"p95 {f['p95_ms']:7.2f} ms  errors {f['errors']}  load {f['load']}",
            flush=True,
        )
    return figures


async def ask_raw(location: GraphLocation, cypher: dict[str, tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    raw = Raw(location)
    figures = {}
    try:
        for name, (text, params) in cypher.items():
            send = raw.sender(text, params)
            measured = await measure(send, 1, 200, warmup=5)
            figures[name] = {**asdict(measured), "load": load_average()}
            print(f"raw            {name:14} median {measured.median_ms:7.2f} ms", flush=True)
    finally:
        await raw.stop()
    return figures


def profile_service(
    location: GraphLocation, request: Request, seconds: float, connections: int
) -> dict[str, Any]:
    """py-spy's samples of a running worker while wrk asks one request, summed by where they fall."""
    path = DATA / "service-profile.txt"
    path.unlink(missing_ok=True)
    server = service(location, 1)
    try:
        server.wait(timeout=180)
        body = {"query": request.service, "variables": request.variables}
        wrk(server.url, body, 2, connections)  # warm: the profile is of the steady state
        spy = str(Path(sys.executable).with_name("py-spy"))
        sampler = subprocess.Popen(
            [
                spy,
                "record",
                "-p",
                str(server.process.pid),
                "-r",
                "100",
                "-d",
                f"{seconds:g}",
                "-f",
                "raw",
                "-o",
                str(path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wrk(server.url, body, seconds, connections)
        sampler.wait(timeout=60)
    finally:
        asyncio.run(server.stop())
    return summarise_profile(path)


# Where a sample's innermost frames fall, first match wins (by file path).
AREAS = (
    ("neo4j driver", ("(neo4j/", "/neo4j/")),
    ("graphql-core", ("(graphql/", "/graphql/")),
    ("strawberry", ("(strawberry/", "/strawberry/")),
    ("clustergraph: shape", ("clustergraph/execution/shape.py",)),
    ("clustergraph: compile, bind, plan, cypher", ("clustergraph/translate/", "clustergraph/cypher/")),
    ("clustergraph: other", ("clustergraph/",)),
    ("starlette, uvicorn, HTTP", ("starlette/", "uvicorn/", "httptools", "h11/", "cross_web/", "httpx/")),
    ("asyncio, event loop", ("(asyncio/", "/asyncio/", "uvloop", "selectors.py", "(socket.py")),
    ("orjson, json", ("orjson", "(json/")),
)


def summarise_profile(path: Path) -> dict[str, Any]:
    """Shares of the samples per area (by the innermost frame that names one) and the top functions."""
    if not path.exists():
        return {}
    areas: Counter[str] = Counter()
    functions: Counter[str] = Counter()
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = stack.split(";")
        functions[frames[-1][:120]] += count
        for frame in reversed(frames):
            area = next((name for name, marks in AREAS if any(m in frame for m in marks)), None)
            if area is not None:
                areas[area] += count
                break
        else:
            areas["other (interpreter, idle)"] += count
    return {
        "samples": total,
        "areas": {name: count / total for name, count in areas.most_common()} if total else {},
        "functions": [(name, count / total) for name, count in functions.most_common(12)] if total else [],
    }


async def load_seed(settings: Settings) -> None:
    from clustergraph.importer.loader import load
    from clustergraph.paths import PROJECT_ROOT

    graph = Graph.connect(graph_location.resolve(settings), timeout=600)
    try:
        # Relationships first: a batch of hub nodes (countries, sectors) with all their
        # relationships of the synthetic network exceeds Neo4j's transaction memory.
        await graph.autocommit("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS")
        await graph.autocommit("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS")
        await migrate(graph)
        report = await load(graph, PROJECT_ROOT / "seed")
        assert report.ok, report.rejected[:3]
    finally:
        await graph.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="bench/run", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--graph", choices=("seed", "synthetic"), default="seed")
    parser.add_argument("--scale", type=float, default=0.1, help="of the synthetic network")
    parser.add_argument("--seconds", type=float, default=5.0, help="of wrk per request and target")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--skip-load", action="store_true", help="ask the graph already loaded")
    parser.add_argument("--report-only", action="store_true", help="rewrite REPORT.md from bench/data")
    parser.add_argument(
        "--add-single",
        action="store_true",
        help="only measure one request in flight, added to the graph's saved figures (graph already loaded)",
    )
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    out = DATA / f"native-{args.graph}.json"
    if args.add_single:
        add_single(Settings(), args, out)
    elif not args.report_only:
        if shutil.which("wrk") is None:
            raise SystemExit("wrk is not installed (bench/run installs it through apt)")
        settings = Settings()
        if not args.skip_load:
            if args.graph == "seed":
                asyncio.run(load_seed(settings))
            else:
                from bench.run import load_network

                asyncio.run(load_network(settings, args.scale, seed=1))
        run(settings, args, out)
    results = [json.loads(p.read_text()) for p in sorted(DATA.glob("native-*.json"))]
    write_native_report(results, BENCH_DIR / "REPORT.md")
    print(f"wrote {BENCH_DIR / 'REPORT.md'}")


def add_single(settings: Settings, args: argparse.Namespace, out: Path) -> None:
    """One request in flight, added to a run's saved figures (the graph it measured, still loaded)."""
    where = graph_location.resolve(settings)
    results = json.loads(out.read_text())
    chosen = [TYPENAME, *requests(results["keys"])]  # the keys the run asked (SEED_KEYS on the seed)
    for label, factory in (("service_1", lambda: service(where, 1)), ("reference", lambda: reference(where))):
        server = factory()
        target = "reference" if label == "reference" else "service"
        try:
            results[f"{label}_single"] = ask_http(server, target, chosen, args.seconds, 1)
        finally:
            asyncio.run(server.stop())
    cypher = asyncio.run(capture(settings, where, chosen[1:]))
    results["raw"] = asyncio.run(ask_raw(where, cypher))  # again, as warm as the passes just made
    results["single_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results["single_load"] = load_average()
    out.write_text(json.dumps(results, indent=2))


def run(settings: Settings, args: argparse.Namespace, out: Path) -> None:
    where = graph_location.resolve(settings)
    if args.graph == "seed":
        keys = SEED_KEYS
    else:
        with GraphDatabase.driver(where.uri, auth=(where.user, where.password)) as driver:
            keys = pick(driver, where.database)
    chosen = [TYPENAME, *requests(keys)]
    cypher = asyncio.run(capture(settings, where, chosen[1:]))
    results: dict[str, Any] = {
        "graph": args.graph,
        "scale": args.scale if args.graph == "synthetic" else None,
        "keys": keys,
        "connections": args.connections,
        "seconds": args.seconds,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_start": load_average(),
        },
        "requests": [{"name": r.name, "what": r.what} for r in chosen],
    }
    for label, factory in (
        ("service_1", lambda: service(where, 1)),
        ("service_2", lambda: service(where, 2)),
        ("reference", lambda: reference(where)),
    ):
        server = factory()
        target = "reference" if label == "reference" else "service"
        try:
            results[label] = ask_http(server, target, chosen, args.seconds, args.connections)
            if label != "service_2":
                results[f"{label}_single"] = ask_http(server, target, chosen, args.seconds, 1)
        finally:
            asyncio.run(server.stop())
    # After the HTTP passes, so that Neo4j's caches are as warm for the raw queries as for them.
    results["raw"] = asyncio.run(ask_raw(where, cypher))
    paths = next(r for r in chosen if r.name == "paths")
    results["profile"] = profile_service(where, paths, 15, args.connections)
    results["machine"]["load_end"] = load_average()
    results["at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    main()
