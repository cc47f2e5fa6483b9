"""The service's Cypher against the `@cypher` statement of `neo4j-graphql/typeDefs.graphql`, per request.

For the requests @neo4j/graphql answers with a `@cypher` query field (neighbourhood, paths,
partners, matrix), both statements give the same answer; this times them in Neo4j alone,
through the same driver, one query at a time and interleaved (A, B, A, B...), so that a
busy machine slows both alike. What the service's query costs beyond its counterpart is
what its Cypher still has to lose.

    python -m bench.cypher_compare [--graph seed|synthetic] [--samples 200]

It asks the graph loaded in the benchmark's Neo4j (`bench/run` loads it) and writes
`bench/data/cypher-<graph>.json`, which `bench/native_report.py` puts in the report.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from pathlib import Path
from typing import Any

from graphql import FieldNode, OperationDefinitionNode, parse, value_from_ast_untyped
from graphql.language import StringValueNode
from neo4j import GraphDatabase

from bench.capture import capture
from bench.native import DATA, SEED_KEYS, load_average
from bench.pick import pick
from bench.requests import Request, requests
from bench.targets import Raw
from clustergraph.graph import location as graph_location
from clustergraph.settings import Settings

TYPE_DEFS = Path(__file__).with_name("neo4j-graphql") / "typeDefs.graphql"


def cypher_fields() -> dict[str, str]:
    """Each `@cypher` query field of the type definitions: its statement, by field name."""
    found = {}
    for definition in parse(TYPE_DEFS.read_text(encoding="utf-8")).definitions:
        if getattr(definition, "name", None) is None or definition.name.value != "Query":  # type: ignore[attr-defined]
            continue
        for field in definition.fields:  # type: ignore[attr-defined]
            for directive in field.directives:
                if directive.name.value != "cypher":
                    continue
                statement = next(a.value for a in directive.arguments if a.name.value == "statement")
                assert isinstance(statement, StringValueNode)
                found[field.name.value] = statement.value
    return found


def _root(document: str, variables: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The root field a reference document asks, with its arguments' values."""
    operation = next(d for d in parse(document).definitions if isinstance(d, OperationDefinitionNode))
    field = next(s for s in operation.selection_set.selections if isinstance(s, FieldNode))
    args = {a.name.value: value_from_ast_untyped(a.value, variables) for a in field.arguments}
    return field.name.value, args


async def _time(
    raw: Raw, pairs: dict[str, tuple[tuple[str, dict[str, Any]], ...]], samples: int
) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for name, statements in pairs.items():
        senders = [raw.sender(text, params) for text, params in statements]
        for send in senders:  # warm: plans cached, pages in memory
            for _ in range(5):
                await send()
        times: list[list[float]] = [[] for _ in senders]
        for _ in range(samples):
            for i, send in enumerate(senders):
                start = time.perf_counter()
                await send()
                times[i].append((time.perf_counter() - start) * 1000)
        service, reference = (statistics.median(t) for t in times)
        figures[name] = {"service_ms": service, "cypher_ms": reference, "ratio": service / reference}
        print(
            f"{name:14} service {service:7.2f} ms  @cypher {reference:7.2f} ms  ratio {service / reference:.2f}"
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--graph", choices=("seed", "synthetic"), default="synthetic")
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    settings = Settings()
    where = graph_location.resolve(settings)
    if args.graph == "seed":
        keys = SEED_KEYS
    else:
        with GraphDatabase.driver(where.uri, auth=(where.user, where.password)) as driver:
            keys = pick(driver, where.database)
    statements = cypher_fields()
    chosen: list[Request] = [r for r in requests(keys) if _root(r.reference, r.variables)[0] in statements]
    captured = asyncio.run(capture(settings, where, chosen))
    pairs = {}
    for request in chosen:
        field, arguments = _root(request.reference, request.variables)
        pairs[request.name] = (captured[request.name], (statements[field], arguments))

    async def measure() -> dict[str, Any]:
        raw = Raw(where)
        try:
            return await _time(raw, pairs, args.samples)
        finally:
            await raw.stop()

    figures = asyncio.run(measure())
    out = DATA / f"cypher-{args.graph}.json"
    DATA.mkdir(exist_ok=True)
    record = {
        "graph": args.graph,
        "samples": args.samples,
        "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load": load_average(),
        "requests": figures,
    }
    out.write_text(json.dumps(record, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
