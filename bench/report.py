"""Writing bench/REPORT.md from the figures in bench/data, with the goals of issue 6 checked.

The figures are generated; the reading of them (why a goal is missed, what would close
it) is written by hand in bench/analysis.md and appended.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.targets import BENCH_DIR

GOAL_NODES_PER_S = 20_000
GOAL_RELS_PER_S = 50_000
GOAL_LATENCY_RATIO = 1.5
GOAL_PATHS_P95_MS = 100
GOAL_MEMORY_MB = 300


def _mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _import_section(figures: dict[str, Any] | None) -> list[str]:
    if not figures:
        return ["## Bulk loading", "", "_Not measured in this run._", ""]
    f = figures
    return [
        "## Bulk loading (`clustergraph import` into an empty database)",
        "",
        f"Synthetic network, seed {f['seed']}, scale {f['scale']}: {f['synth_nodes']:,} nodes and "
        f"{f['synth_relationships']:,} relationships in the files (generated in {f['synth_s']:.1f} s); "
        f"the import also writes one `SOURCED_FROM` edge per node, from the rows' `sources`.",
        "",
        "| phase | rows | seconds | rows/s | goal |",
        "| --- | ---: | ---: | ---: | --- |",
        f"| validate (read, check, look up keys) | {f['nodes'] + f['relationships']:,} | {f['validate_s']:.1f} | "
        f"{(f['nodes'] + f['relationships']) / f['validate_s']:,.0f} | |",
        f"| write nodes | {f['nodes']:,} | {f['nodes_s']:.1f} | {f['nodes_per_s']:,.0f} | "
        f"≥ {GOAL_NODES_PER_S:,}/s: {_mark(f['nodes_per_s'] >= GOAL_NODES_PER_S)} |",
        f"| write relationships | {f['relationships']:,} | {f['relationships_s']:.1f} | "
        f"{f['relationships_per_s']:,.0f} | ≥ {GOAL_RELS_PER_S:,}/s: "
        f"{_mark(f['relationships_per_s'] >= GOAL_RELS_PER_S)} |",
        f"| end to end | {f['nodes'] + f['relationships']:,} | {f['total_s']:.1f} | "
        f"{(f['nodes'] + f['relationships']) / f['total_s']:,.0f} | |",
        "",
        f"Load average (1, 5, 15 min) before: {f['load_before']}; after: {f['load_after']}.",
        "",
    ]


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a and b else "-"


def _cell(figures: dict[str, Any] | None, key: str) -> str:
    return f"{figures[key]:,.1f}" if figures else "-"


def _requests_section(data: dict[str, Any] | None) -> list[str]:
    if not data:
        return ["## Requests", "", "_Not measured in this run._", ""]
    raw, svc, ref = data.get("raw", {}), data.get("service", {}), data.get("reference", {})
    lines = [
        f"## Requests (closed loop, concurrency {data['concurrency']})",
        "",
        "Latency in ms (median / p95), throughput in requests/s. *raw* is the very Cypher the "
        "service sends for the request, through the async Python driver; *@neo4j/graphql* is "
        "`bench/neo4j-graphql/` on Node with equivalent type definitions.",
        "",
        "| request | service median | p95 | req/s | raw median | p95 | req/s | @neo4j/graphql median | p95 | req/s "
        "| service/raw (median) | service/@neo4j/graphql (median) | service/@neo4j/graphql (req/s) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for request in data["requests"]:
        name = request["name"]
        s, r, g = svc.get(name), raw.get(name), ref.get(name)
        lines.append(
            f"| {name} | {_cell(s, 'median_ms')} | {_cell(s, 'p95_ms')} | {_cell(s, 'rps')} "
            f"| {_cell(r, 'median_ms')} | {_cell(r, 'p95_ms')} | {_cell(r, 'rps')} "
            f"| {_cell(g, 'median_ms')} | {_cell(g, 'p95_ms')} | {_cell(g, 'rps')} "
            f"| {_ratio(s and s['median_ms'], r and r['median_ms'])} "
            f"| {_ratio(s and s['median_ms'], g and g['median_ms'])} "
            f"| {_ratio(s and s['rps'], g and g['rps'])} |"
        )
    lines += ["", "Load average (1, 5, 15 min) when each measurement ended:", ""]
    lines += ["| request | service | raw | @neo4j/graphql |", "| --- | --- | --- | --- |"]
    for request in data["requests"]:
        name = request["name"]
        lines.append(
            f"| {name} | {(svc.get(name) or {}).get('load', '-')} | {(raw.get(name) or {}).get('load', '-')} "
            f"| {(ref.get(name) or {}).get('load', '-')} |"
        )
    lines += [
        "",
        f"Peak resident memory: service {data.get('service_peak_mb', float('nan')):.0f} MiB "
        f"(goal < {GOAL_MEMORY_MB} MiB: {_mark(data.get('service_peak_mb', 1e9) < GOAL_MEMORY_MB)}), "
        f"@neo4j/graphql {data.get('reference_peak_mb', float('nan')):.0f} MiB.",
        "",
    ]
    lines += _goals(data)
    lines += ["### The requests", ""]
    for request in data["requests"]:
        lines += [f"- **{request['name']}**: {request['what']}; variables `{request['variables']}`."]
    lines += ["", "Keys picked from the graph (`bench/pick.py`): `" + str(data["keys"]) + "`.", ""]
    return lines


def _goals(data: dict[str, Any]) -> list[str]:
    raw, svc, ref = data.get("raw", {}), data.get("service", {}), data.get("reference", {})
    lines = [
        "### Goals",
        "",
        "| request | median ≤ 1.5x raw | req/s ≥ @neo4j/graphql |",
        "| --- | --- | --- |",
    ]
    for request in data["requests"]:
        name = request["name"]
        s, r, g = svc.get(name), raw.get(name), ref.get(name)
        latency = _mark(s["median_ms"] <= GOAL_LATENCY_RATIO * r["median_ms"]) if s and r else "-"
        throughput = _mark(s["rps"] >= g["rps"]) if s and g else "-"
        lines.append(f"| {name} | {latency} | {throughput} |")
    paths = svc.get("paths")
    if paths:
        lines += [
            "",
            f"Cooperation paths p95: {paths['p95_ms']:.1f} ms (goal < {GOAL_PATHS_P95_MS} ms: "
            f"{_mark(paths['p95_ms'] < GOAL_PATHS_P95_MS)}).",
        ]
    return [*lines, ""]


def _executor_section(figures: list[dict[str, Any]] | None) -> list[str]:
    if not figures:
        return []
    # Runs from before the fast path have no `fast_ms`.
    fast = all("fast_ms" in f for f in figures)
    lines = [
        "## The GraphQL executor's cost (no database: the rows are replayed)",
        "",
        "A neighbourhood request (`nodes { key name kind countryCode } edges { type from to }`) executed "
        "in-process against rows recorded from Neo4j: parsing, validation, planning and graphql-core's "
        "completion of every field, per request"
        + (", by graphql-core's executor and by the compiled path (`execution/run.py`)." if fast else "."),
        "",
        "| nodes | fields in the answer | execute (ms) | µs per field |"
        + (" compiled path (ms) | speed-up |" if fast else "")
        + " orjson of the same answer (ms) |",
        "| ---: | ---: | ---: | ---: |" + (" ---: | ---: |" if fast else "") + " ---: |",
    ]
    for f in figures:
        extra = f" {f['fast_ms']:.2f} | {f['execute_ms'] / f['fast_ms']:.1f}x |" if fast else ""
        lines.append(
            f"| {f['nodes']:,} | {f['fields']:,} | {f['execute_ms']:.2f} | {f['us_per_field']:.2f} |"
            f"{extra} {f['orjson_ms']:.3f} |"
        )
    return [*lines, ""]


def write_report(
    imported: dict[str, Any] | None, asked: dict[str, Any] | None, executor: dict[str, Any] | None, path: Path
) -> None:
    machine = (asked or {}).get("machine", {})
    lines = [
        "# Benchmark report",
        "",
        "Generated by `bench/run` (see `bench/README.md`); the analysis at the end is written by hand.",
        f"Machine: {machine.get('cpus', '?')} CPUs, Python {machine.get('python', '?')}; shared with other "
        "engineers' test suites, so the load average is given next to the figures.",
        "",
        *_import_section(imported),
        *_requests_section(asked),
    ]
    lines += _executor_section(executor)
    analysis = BENCH_DIR / "analysis.md"
    if analysis.exists():
        lines += [analysis.read_text().rstrip(), ""]
    path.write_text("\n".join(lines))
