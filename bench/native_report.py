"""bench/REPORT.md from the figures of `native.py`: the tables, issue 11's goals met or missed, the profile.

The reasons for each miss are in the hand-written `analysis-native.md`, appended as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

ANALYSIS = Path(__file__).with_name("analysis-native.md")


def _rps(figures: dict[str, Any], target: str, name: str) -> float | None:
    value = figures.get(target, {}).get(name)
    return None if value is None else float(value["rps"])


def _fmt(value: float | None, digits: int = 0) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}"


def _table(results: dict[str, Any]) -> list[str]:
    lines = [
        "| request | service 1 worker req/s | service 2 workers req/s | @neo4j/graphql req/s | "
        "ratio 1w | ratio 2w | service median ms (1w) | @neo4j/graphql median ms | raw Cypher median ms | "
        "service p95 ms (1w) | service median ms, 1 in flight | @neo4j/graphql median ms, 1 in flight | "
        "service (1 in flight) / raw |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for request in results["requests"]:
        name = request["name"]
        one, two, ref = (_rps(results, t, name) for t in ("service_1", "service_2", "reference"))
        s1 = results.get("service_1", {}).get(name, {})
        rf = results.get("reference", {}).get(name, {})
        raw = results.get("raw", {}).get(name, {})
        single = results.get("service_1_single", {}).get(name, {})
        ref_single = results.get("reference_single", {}).get(name, {})
        lines.append(
            f"| {name} | {_fmt(one)} | {_fmt(two)} | {_fmt(ref)} | {_ratio(one, ref)} | {_ratio(two, ref)} | "
            f"{_fmt(s1.get('median_ms'), 2)} | {_fmt(rf.get('median_ms'), 2)} | {_fmt(raw.get('median_ms'), 2)} | "
            f"{_fmt(s1.get('p95_ms'), 2)} | {_fmt(single.get('median_ms'), 2)} | "
            f"{_fmt(ref_single.get('median_ms'), 2)} | {_ratio(single.get('median_ms'), raw.get('median_ms'))} |"
        )
    return lines


def _goals(all_results: list[dict[str, Any]]) -> list[str]:
    by_graph = {r["graph"]: r for r in all_results}
    lines = ["| goal | where | measured | verdict |", "|---|---|---|---|"]

    def throughput(results: dict[str, Any], where: str) -> None:
        names = [r["name"] for r in results["requests"] if r["name"] != "typename"]
        ones = {n: (_rps(results, "service_1", n), _rps(results, "reference", n)) for n in names}
        twos = {n: (_rps(results, "service_2", n), _rps(results, "reference", n)) for n in names}
        worst1 = min((s / r, n) for n, (s, r) in ones.items() if s and r)
        worst2 = min((s / r, n) for n, (s, r) in twos.items() if s and r)
        met1 = all(s is not None and r is not None and s >= r for s, r in ones.values())
        met2 = all(s is not None and r is not None and s >= 1.5 * r for s, r in twos.values())
        lines.append(
            f"| service ≥ @neo4j/graphql, 1 worker, every request | {where} | lowest ratio {worst1[0]:.2f} "
            f"({worst1[1]}) | {'met' if met1 else 'missed'} |"
        )
        lines.append(
            f"| service ≥ 1.5x @neo4j/graphql, 2 workers, every request | {where} | lowest ratio "
            f"{worst2[0]:.2f} ({worst2[1]}) | {'met' if met2 else 'missed'} |"
        )

    def raw_ratio(results: dict[str, Any], where: str, counts: bool) -> None:
        # Raw Cypher is timed one query at a time: the service is compared at one request in flight.
        ratios = []
        for name, raw in results.get("raw", {}).items():
            service = results.get("service_1_single", {}).get(name)
            if service and raw.get("median_ms"):
                ratios.append((service["median_ms"] / raw["median_ms"], name))
        if not ratios:
            return
        worst = max(ratios)
        verdict = ("met" if worst[0] <= 1.2 else "missed") if counts else "not the goal's scale"
        lines.append(
            f"| service median ≤ 1.2x raw Cypher, every request (1 in flight) | {where} | highest {worst[0]:.2f} "
            f"({worst[1]}) | {verdict} |"
        )

    def paths_p95(results: dict[str, Any], where: str, counts: bool) -> None:
        for label, how in (
            ("service_1", f"{results['connections']} in flight"),
            ("service_1_single", "1 in flight"),
        ):
            figure = results.get(label, {}).get("paths", {}).get("p95_ms")
            if figure is None:
                continue
            verdict = ("met" if figure < 50 else "missed") if counts else "not the goal's scale"
            lines.append(f"| cooperation paths p95 < 50 ms ({how}) | {where} | {figure:.1f} ms | {verdict} |")

    for graph, results in sorted(by_graph.items()):
        where = "seed graph" if graph == "seed" else f"synthetic, scale {results.get('scale')}"
        throughput(results, where)
        raw_ratio(results, where, counts=graph == "synthetic")
        paths_p95(results, where, counts=graph == "synthetic")
        typename = _rps(results, "service_1", "typename")
        if typename is not None:
            verdict = "met" if typename >= 3000 else "missed"
            lines.append(
                f"| `{{ __typename }}` ≥ 3,000 req/s, 1 worker | {where} | {typename:,.0f} req/s | {verdict} |"
            )
    if "synthetic" not in by_graph:
        lines.append(
            "| every goal at the synthetic scale | synthetic | not run in this report | not measured |"
        )
    profiled = any(r.get("profile", {}).get("samples") for r in all_results)
    lines.append(
        f"| a profile of the remaining per-request time | paths request | below | "
        f"{'met' if profiled else 'missed'} |"
    )
    return lines


def _profile(results: dict[str, Any]) -> list[str]:
    profile = results.get("profile") or {}
    if not profile.get("samples"):
        return ["No profile was recorded (py-spy missing or not permitted)."]
    lines = [
        f"py-spy, 100 samples/s for 15 s of wrk asking the paths request of one worker "
        f"({profile['samples']:,} samples). Share of samples by the innermost frame's library:",
        "",
        "| where | share |",
        "|---|---:|",
    ]
    lines += [f"| {name} | {share:.0%} |" for name, share in profile["areas"].items()]
    if results.get("profile_note"):
        lines += ["", f"Note: {results['profile_note']}."]
    lines += ["", "Innermost functions, most sampled first:", "", "| function | share |", "|---|---:|"]
    lines += [f"| `{name}` | {share:.1%} |" for name, share in profile["functions"]]
    return lines


def write_native_report(all_results: list[dict[str, Any]], path: Path) -> None:
    lines = [
        "# Benchmark report (issue 11)",
        "",
        "Written by `bench/run` (`bench/native.py`, `bench/native_report.py`): `wrk -t1 -cN` asks every",
        "request of `bench/requests.py` and `{ __typename }` of the service with one and with two",
        "uvicorn workers and of `@neo4j/graphql` (`bench/neo4j-graphql/`), one target after the other on",
        "the same Neo4j; the raw Cypher (the query the service sends, captured) is timed through the Python",
        "driver, one at a time. Throughput is wrk's; medians and p95 are wrk's latency percentiles.",
        "",
    ]
    for results in sorted(all_results, key=lambda r: r["graph"]):
        machine = results["machine"]
        where = (
            "the seed graph"
            if results["graph"] == "seed"
            else f"the synthetic network, scale {results['scale']}"
        )
        lines += [
            f"## On {where}",
            "",
            f"{results['at']}; {machine['cpus']} CPUs shared by Neo4j, the server and wrk; Python "
            f"{machine['python']}; {results['connections']} connections, {results['seconds']:g} s per request "
            f"and target; load average {machine['load_start']} at the start, {machine['load_end']} at the end."
            + (
                f" The one-in-flight columns: {results['single_at']}, load average {results['single_load']} after."
                if results.get("single_at")
                else ""
            ),
            "",
            *_table(results),
            "",
            "### Profile",
            "",
            *_profile(results),
            "",
        ]
    lines += ["## Goals of issue 11", "", *_goals(all_results), ""]
    if ANALYSIS.exists():
        lines += [ANALYSIS.read_text(encoding="utf-8").rstrip(), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
