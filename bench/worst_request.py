"""A search for the anonymous request within the published limits that costs Neo4j the most.

    CLUSTERGRAPH_HOME=... CLUSTERGRAPH_BOLT_PORT=... .venv/bin/python -m bench.worst_request \\
        [--examples 150] [--seed 24] [--budget 2]

Hypothesis draws requests over the limits (issue 24): root fields (partners, paths,
neighbourhoods, the matrix, search, nested lists), their hop, depth, `first` and `limit`
arguments up to their bounds, up to `max_aliases` aliases, batches of up to
`max_batch_operations` operations, start keys among the best-connected nodes. Requests the
service would refuse by a bound (cost, aliases) are left out (`assume`): they are outside
the limits. Each is sent over HTTP to the real service (its own process, anonymous, default
settings but for `--budget`) on the graph the settings name; the Neo4j time is the
service's own account of its reads (`Server-Timing: db;dur=`). `hypothesis.target` steers
the search towards the slowest. Prints the worst requests with their cost, Neo4j time,
wall time and errors, and the seed. A report, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, Phase, assume, given, seed, settings, target
from hypothesis import strategies as st
from neo4j import GraphDatabase

from bench.probe import Prober
from bench.targets import BENCH_DIR, HttpServer, free_port
from clustergraph.graph import location as graph_location
from clustergraph.settings import Settings

LIMITS = Settings()


@dataclass
class Sample:
    body: Any
    costs: list[int]
    status: int = 0
    db_ms: float = 0.0
    wall_ms: float = 0.0
    codes: list[str] = field(default_factory=list)
    bounds: list[str] = field(default_factory=list)


def _partners(keys: list[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda key, hops, limit, path: (
            f'crossBorderPartners(key: "{key}", maxHops: {hops}, limit: {limit}) '
            "{ countryCode distance partner { key name } " + ("path { nodes { key } } }" if path else "}")
        ),
        st.sampled_from(keys),
        st.integers(1, LIMITS.max_hops),
        st.integers(1, LIMITS.max_page_size),
        st.booleans(),
    )


def _paths(keys: list[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda ends, hops, limit, cross: (
            f'cooperationPaths(from: "{ends[0]}", to: "{ends[1]}", maxHops: {hops}, limit: {limit}, '
            f"crossBorderOnly: {str(cross).lower()}) {{ length countries nodes {{ key name }} edges {{ type from to }} }}"
        ),
        st.lists(st.sampled_from(keys), min_size=2, max_size=2, unique=True),
        st.integers(1, LIMITS.max_hops),
        st.integers(1, LIMITS.max_paths),
        st.booleans(),
    )


def _neighbourhood(keys: list[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda key, depth, limit, edges: (
            f'neighbourhood(key: "{key}", depth: {depth}, limit: {limit}) '
            "{ truncated nodes { key name kind } " + ("edges { type from to } }" if edges else "}")
        ),
        st.sampled_from(keys),
        st.integers(1, LIMITS.max_neighbourhood_depth),
        st.integers(1, LIMITS.max_neighbourhood_limit),
        st.booleans(),
    )


def _others() -> st.SearchStrategy[str]:
    return st.one_of(
        st.just("cooperationMatrix { countries totalLinks }"),
        st.builds(
            lambda n: (
                f'search(query: "cluster network", first: {n}) {{ totalCount edges {{ node {{ key name }} }} }}'
            ),
            st.integers(1, LIMITS.max_page_size),
        ),
        st.builds(
            lambda n, m: (
                f"clusters(first: {n}) {{ nodes {{ key name members(first: {m}) {{ nodes {{ key }} }} }} }}"
            ),
            st.integers(1, LIMITS.max_page_size),
            st.integers(1, LIMITS.max_page_size),
        ),
    )


def operations(coop: list[str], hubs: list[str]) -> st.SearchStrategy[str]:
    root = st.one_of(_partners(coop), _paths(coop), _neighbourhood(hubs + coop), _others())
    return st.lists(root, min_size=1, max_size=LIMITS.max_aliases).map(
        lambda fields: "{ " + " ".join(f"a{i}: {f}" for i, f in enumerate(fields)) + " }"
    )


def _send(client: httpx.Client, url: str, body: Any) -> Sample:
    docs = body if isinstance(body, list) else [body]
    sample = Sample(body, [])
    started = time.monotonic()
    answer = client.post(url, json=body)
    sample.wall_ms = (time.monotonic() - started) * 1000
    sample.status = answer.status_code
    timing = re.search(r"db;dur=([0-9.]+)", answer.headers.get("server-timing", ""))
    sample.db_ms = float(timing.group(1)) if timing else float("nan")
    decoded = answer.json()
    for result in decoded if isinstance(decoded, list) else [decoded]:
        for error in result.get("errors") or []:
            extensions = error.get("extensions") or {}
            sample.codes.append(str(extensions.get("code")))
            if "bound" in extensions:
                sample.bounds.append(str(extensions["bound"]))
    del docs
    return sample


def search(
    url: str, prober: Prober, coop: list[str], hubs: list[str], examples: int, seed_value: int
) -> list[Sample]:
    samples: list[Sample] = []
    client = httpx.Client(timeout=600)
    batch = st.lists(operations(coop, hubs), min_size=1, max_size=LIMITS.max_batch_operations)

    @seed(seed_value)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=(Phase.generate, Phase.target),
        suppress_health_check=list(HealthCheck),
    )
    @given(batch)
    def probe(documents: list[str]) -> None:
        costs = [prober.cost(d) for d in documents]
        assume(all(c <= LIMITS.max_query_cost for c in costs))  # within the published limits
        body: Any = [{"query": d} for d in documents] if len(documents) > 1 else {"query": documents[0]}
        sample = _send(client, url, body)
        sample.costs = costs
        samples.append(sample)
        target(sample.db_ms if sample.db_ms == sample.db_ms else 0.0, label="Neo4j ms")
        print(
            f"  {len(samples):>4} ops {len(documents)} cost {max(costs):>5} status {sample.status} "
            f"db {sample.db_ms:>8.1f} ms wall {sample.wall_ms:>8.1f} ms {sorted(set(sample.codes))}",
            flush=True,
        )

    probe()
    client.close()
    return samples


def _describe(body: Any) -> str:
    docs = [b["query"] for b in (body if isinstance(body, list) else [body])]
    text = " | ".join(docs)
    return text if len(text) < 600 else text[:600] + f"... ({len(text):,} characters)"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--examples", type=int, default=150)
    parser.add_argument("--seed", type=int, default=24)
    parser.add_argument(
        "--budget", type=float, default=LIMITS.request_db_budget, help="CLUSTERGRAPH_REQUEST_DB_BUDGET"
    )
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    where = graph_location.resolve(LIMITS)
    port = free_port()
    env = {
        "NEO4J_URI": where.uri,
        "NEO4J_USER": where.user,
        "NEO4J_PASSWORD": where.password,
        "NEO4J_DATABASE": where.database,
        "CLUSTERGRAPH_REQUEST_DB_BUDGET": str(args.budget),
        "CLUSTERGRAPH_RATE_LIMIT_PER_ADDRESS": "100000/minute",
    }
    command = [str(Path(sys.executable).with_name("clustergraph")), "serve", "--port", str(port)]
    (BENCH_DIR / "data").mkdir(exist_ok=True)
    server = HttpServer("worst-request-service", command, env, port)
    try:
        server.wait()
        with GraphDatabase.driver(
            where.uri, auth=(where.user, where.password), notifications_min_severity="OFF"
        ) as driver:
            prober = Prober(driver, where.database, LIMITS)
            coop = [k for k, _ in prober.hubs(8)]
            hubs = [k for k, _ in prober.hubs(4, cooperation=False)]
            print(f"start keys: {coop} and {hubs}")
            started = time.monotonic()
            samples = search(server.url, prober, coop, hubs, args.examples, args.seed)
    finally:
        server.process.terminate()
        server.process.wait(timeout=30)
    samples.sort(key=lambda s: -s.db_ms)
    over = [s for s in samples if s.db_ms > 2000]
    print(
        f"\n{len(samples)} requests within the limits in {time.monotonic() - started:.0f} s "
        f"(seed {args.seed}, budget {args.budget:g} s, pid {os.getpid()}); "
        f"worst Neo4j time {samples[0].db_ms:.1f} ms; over 2 s: {len(over)}"
    )
    print(
        "\n| # | ops | aliases | cost (max op) | status | Neo4j ms | wall ms | errors (bound) |\n|---|---:|---:|---:|---:|---:|---:|---|"
    )
    for i, s in enumerate(samples[: args.top], 1):
        docs = s.body if isinstance(s.body, list) else [s.body]
        aliases = sum(len(re.findall(r"\ba[0-9]+: ", d["query"])) for d in docs)
        errors = ", ".join(sorted({f"{c}" for c in s.codes})) + (
            f" ({', '.join(sorted(set(s.bounds)))})" if s.bounds else ""
        )
        print(
            f"| {i} | {len(docs)} | {aliases} | {max(s.costs):,} | {s.status} | {s.db_ms:,.1f} | {s.wall_ms:,.1f} | {errors} |"
        )
    print("\nThe worst requests:")
    for i, s in enumerate(samples[:3], 1):
        print(f"{i}. {_describe(s.body)}")
    out = BENCH_DIR / "data" / f"worst-request-{args.seed}-{args.budget:g}.json"
    out.write_text(json.dumps([s.__dict__ for s in samples], indent=1, default=str))
    print(f"\nall samples: {out}")


if __name__ == "__main__":
    main()
