"""The benchmark, end to end: generate, load, ask, report.

    bench/run [--scale 1.0] [--concurrency 4] [--skip-import] [--only service,raw,reference]

Runs against the Neo4j named by the usual settings (bench/run points them at a
dedicated server under .bench-home/ with a bigger heap and page cache). Figures go to
bench/data/*.json, the report to bench/REPORT.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from neo4j import GraphDatabase

from bench.capture import capture
from bench.executor import measure_executor
from bench.import_speed import empty, empty_store, timed_import
from bench.loadgen import Figures, measure
from bench.pick import pick
from bench.report import write_report
from bench.requests import Request, requests
from bench.targets import BENCH_DIR, Raw, reference, service
from clustergraph.graph import location as graph_location
from clustergraph.graph.db import Graph
from clustergraph.graph.migrations import migrate
from clustergraph.settings import Settings
from clustergraph_tools.synth.network import generate

DATA = BENCH_DIR / "data"


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _save(name: str, data: Any) -> None:
    (DATA / f"{name}.json").write_text(json.dumps(data, indent=2, default=str))


def _load(name: str) -> Any:
    path = DATA / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


async def load_network(settings: Settings, scale: float, seed: int) -> None:
    folder = DATA / "synth"
    started = time.perf_counter()
    summary = generate(folder, seed=seed, scale=scale)
    synth_s = time.perf_counter() - started
    fresh = empty_store(settings)
    graph = Graph.connect(graph_location.resolve(settings), timeout=3600)
    try:
        if fresh:
            await migrate(graph)
        else:
            await empty(graph)
        load_before = load_average()
        figures = await timed_import(graph, folder)
    finally:
        await graph.close()
    _save(
        "import",
        {
            **asdict(figures),
            "nodes_per_s": figures.nodes_per_s,
            "relationships_per_s": figures.relationships_per_s,
            "total_s": figures.total_s,
            "synth_s": synth_s,
            "synth_nodes": summary.nodes,
            "synth_relationships": summary.relationships,
            "scale": scale,
            "seed": seed,
            "load_before": load_before,
            "load_after": load_average(),
        },
    )
    print(
        f"imported {figures.nodes:,} nodes at {figures.nodes_per_s:,.0f}/s, "
        f"{figures.relationships:,} relationships at {figures.relationships_per_s:,.0f}/s"
    )


def _budget(latency_s: float, seconds: float) -> int:
    """How many requests fit in `seconds` at one request's latency (within bounds)."""
    return max(20, min(400, int(seconds / max(latency_s, 1e-4))))


async def _bench_target(
    name: str, senders: dict[str, Any], concurrency: int, seconds: float
) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    for request_name, send in senders.items():
        started = time.perf_counter()
        ok = await send()
        first = time.perf_counter() - started
        if not ok:
            raise RuntimeError(f"{name}/{request_name}: the answer has errors")
        figures: Figures = await measure(
            send, concurrency, _budget(first, seconds) * concurrency // 2, warmup=3
        )
        results[request_name] = {**asdict(figures), "load": load_average()}
        print(
            f"{name:14} {request_name:14} median {figures.median_ms:8.1f} ms  p95 {figures.p95_ms:8.1f} ms  "
            f"{figures.rps:7.1f} req/s  errors {figures.errors}  load {load_average()}",
            flush=True,
        )
    return results


async def ask(settings: Settings, targets: list[str], concurrency: int, seconds: float) -> None:
    where = graph_location.resolve(settings)
    with GraphDatabase.driver(where.uri, auth=(where.user, where.password)) as driver:
        keys = pick(driver, where.database)
    chosen = requests(keys)
    cypher = await capture(settings, where, chosen)
    results: dict[str, Any] = _load("requests") or {}
    results["keys"] = keys
    results["cypher"] = {name: {"text": text, "params": params} for name, (text, params) in cypher.items()}
    results["concurrency"] = concurrency
    if "raw" in targets:
        raw = Raw(where)
        try:
            senders = {name: raw.sender(text, params) for name, (text, params) in cypher.items()}
            results["raw"] = await _bench_target("raw", senders, concurrency, seconds)
        finally:
            await raw.stop()
    for target_name, factory in (("service", service), ("reference", reference)):
        if target_name not in targets:
            continue
        server = factory(where)
        try:
            server.wait(timeout=120)
            senders = {r.name: server.sender(_query(r, target_name), r.variables) for r in chosen}
            results[target_name] = await _bench_target(target_name, senders, concurrency, seconds)
            results[f"{target_name}_peak_mb"] = server.peak_mb()
        finally:
            await server.stop()
    if "executor" in targets:
        _save("executor", await measure_executor(settings, where, keys["organisation"]))
    results["requests"] = [
        {
            "name": r.name,
            "what": r.what,
            "service": r.service,
            "reference": r.reference,
            "variables": r.variables,
        }
        for r in chosen
    ]
    results["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_end": load_average(),
    }
    _save("requests", results)


def _query(request: Request, target: str) -> str:
    return request.service if target == "service" else request.reference


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="bench/run", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=6.0, help="about how long to ask each request")
    parser.add_argument("--skip-import", action="store_true", help="ask the graph already loaded")
    parser.add_argument("--only", default="raw,service,reference,executor", help="which targets to ask")
    parser.add_argument("--report-only", action="store_true", help="rewrite REPORT.md from bench/data")
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    settings = Settings()
    if not args.report_only:
        if not args.skip_import:
            asyncio.run(load_network(settings, args.scale, args.seed))
        asyncio.run(ask(settings, args.only.split(","), args.concurrency, args.seconds))
    write_report(_load("import"), _load("requests"), _load("executor"), BENCH_DIR / "REPORT-issue6.md")
    print(f"wrote {BENCH_DIR / 'REPORT-issue6.md'}")
