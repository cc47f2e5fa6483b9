"""Neo4j time of each kind of root field by its bounds, beside the cost the service charges.

    CLUSTERGRAPH_HOME=... CLUSTERGRAPH_BOLT_PORT=... .venv/bin/python -m bench.calibrate [--hubs 3]

Runs against the graph the settings name (the synthetic network at scale 1.0 for the
figures of `execution/cost.py`); prints one row per request: its cost, and the slowest
Neo4j time over the best-connected start nodes (each timed twice, the second kept: warm).
A report, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from neo4j import GraphDatabase

from bench.probe import Prober
from clustergraph.graph import location as graph_location
from clustergraph.settings import Settings

PARTNERS = (
    "{{ crossBorderPartners(key: {key!r}, maxHops: {h}, limit: 100) "
    "{{ countryCode distance partner {{ key name }} path {{ nodes {{ key }} }} }} }}"
)
PATHS = (
    "{{ cooperationPaths(from: {key!r}, to: {to!r}, maxHops: {h}, limit: 20, crossBorderOnly: {cb}) "
    "{{ length nodes {{ key name }} edges {{ type from to }} }} }}"
)
AROUND = (
    "{{ neighbourhood(key: {key!r}, depth: {h}, limit: 500) {{ truncated nodes {{ key name kind }} "
    "edges {{ type from to }} }} }}"
)
MATRIX = "{ cooperationMatrix { countries totalLinks } }"
LIST = "{{ clusters(first: {n}) {{ nodes {{ key name members(first: {m}) {{ nodes {{ key name }} }} }} }} }}"
SEARCH = '{{ search(query: "cluster", first: {n}) {{ totalCount edges {{ node {{ key name }} }} }} }}'


def _doc(template: str, **values: object) -> str:
    return template.format(**values).replace("'", '"')


def requests(coop: list[str], any_hubs: list[str]) -> Iterator[tuple[str, str, str]]:
    """(family, label, document)."""
    for h in range(1, 7):
        for key in coop:
            yield "partners", f"maxHops {h}", _doc(PARTNERS, key=key, h=h)
    for h in range(1, 7):
        for key in coop[1:]:
            for cb in ("false", "true"):
                yield (
                    "paths",
                    f"maxHops {h} crossBorderOnly {cb}",
                    _doc(PATHS, key=coop[0], to=key, h=h, cb=cb),
                )
    for h in range(1, 4):
        for key in any_hubs + coop:
            yield "neighbourhood", f"depth {h}", _doc(AROUND, key=key, h=h)
    yield "matrix", "no filter", MATRIX
    for n, m in ((100, 1), (100, 20), (20, 100), (100, 40)):
        yield "list", f"clusters {n} x members {m}", _doc(LIST, n=n, m=m)
    for n in (20, 100):
        yield "search", f"first {n}", _doc(SEARCH, n=n)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--hubs", type=int, default=3, help="start nodes per request, best-connected first")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--only", default="", help="comma-separated families (partners,paths,...)")
    args = parser.parse_args()
    settings = Settings()
    where = graph_location.resolve(settings)
    with GraphDatabase.driver(
        where.uri, auth=(where.user, where.password), notifications_min_severity="OFF"
    ) as driver:
        prober = Prober(driver, where.database, settings)
        coop = prober.hubs(args.hubs + 1)
        any_hubs = prober.hubs(args.hubs, cooperation=False)
        print("cooperation hubs:", coop)
        print("hubs of any relationship:", any_hubs)
        worst: dict[tuple[str, str], tuple[float, int, str, bool]] = {}
        only = set(filter(None, args.only.split(",")))
        for family, label, doc in requests([k for k, _ in coop], [k for k, _ in any_hubs]):
            if only and family not in only:
                continue
            queries = prober.cypher(doc)
            timed = prober.time(queries, args.timeout)  # cold: its timeout is enough to know
            if not timed.timed_out:
                timed = prober.time(queries, args.timeout)
            cost = prober.cost(doc)
            seen = worst.get((family, label))
            if seen is None or timed.seconds > seen[0]:
                worst[(family, label)] = (timed.seconds, cost, doc, timed.timed_out)
            print(f"  {family:13} {label:32} cost {cost:>7,} {timed.seconds * 1000:>9.1f} ms", flush=True)
    print("\n| request | bounds | cost | slowest Neo4j ms |\n|---|---|---:|---:|")
    for (family, label), (seconds, cost, _doc_text, timed_out) in worst.items():
        mark = " (timed out)" if timed_out else ""
        print(f"| {family} | {label} | {cost:,} | {seconds * 1000:,.1f}{mark} |")


if __name__ == "__main__":
    main()
