"""The executor's cost by graphql-core and by the compiled path, on the seed graph's rows scaled up.

    .venv/bin/python -m bench.replay   # CLUSTERGRAPH_HOME / CLUSTERGRAPH_BOLT_PORT: a graph with the seed

No synthetic network is needed: one neighbourhood (about 20 nodes) is read from the seed
graph once, then copied, with fresh keys, into answers of about 10, 200 and 2,000 nodes
of the same shape; both executors execute the same request on those rows (no database
in the timing). `bench/run --only executor` measures the same on the synthetic network.
"""

from __future__ import annotations

import asyncio
import copy
import sys
from typing import Any

from bench.executor import QUERY, _Context, _Recording, describe, roomy, time_executors
from clustergraph.graph import location as graph_location
from clustergraph.graph.db import Graph
from clustergraph.schema.build import build_schema
from clustergraph.settings import Settings

SEED_KEY = "organisation:rda-usti-region"
NODES = (10, 200, 2000)


def scaled(template: list[dict[str, Any]], nodes: int) -> list[dict[str, Any]]:
    """The recorded answer with `nodes` nodes: copies of the template's, keys made unique."""
    result = template[0]["result"]
    base_nodes, base_edges = result["nodes"], result["edges"]
    edges_per_node = len(base_edges) / len(base_nodes)
    new_nodes, new_edges = [], []
    for index in range(nodes):
        copy_no, node = divmod(index, len(base_nodes))
        item = copy.deepcopy(base_nodes[node])
        item["key"] = f"{item['key']}-{copy_no}"
        new_nodes.append(item)
    for index in range(round(nodes * edges_per_node)):
        copy_no, edge = divmod(index, len(base_edges))
        item = copy.deepcopy(base_edges[edge])
        item["_from"], item["_to"] = f"{item['_from']}-{copy_no}", f"{item['_to']}-{copy_no}"
        item["_id"] = f"{item['_id']}-{copy_no}"
        new_edges.append(item)
    return [{**template[0], "result": {**result, "nodes": new_nodes, "edges": new_edges, "truncated": False}}]


async def main() -> None:
    settings = roomy(Settings())
    graph = Graph.connect(graph_location.resolve(settings), timeout=60)
    try:
        recorder = _Recording(graph)
        variables = {"key": SEED_KEY, "depth": 2, "limit": 2000}
        first = await build_schema(settings).execute(
            QUERY, variables, context_value=_Context(recorder, settings)
        )
        assert not first.errors and recorder.rows, first.errors
    finally:
        await graph.close()
    print("| nodes | fields | graphql-core executor (ms) | compiled path (ms) | speed-up | orjson (ms) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for nodes in NODES:
        figures = await time_executors(settings, scaled(recorder.rows, nodes), variables, repeat=30)
        print(describe(figures), file=sys.stderr)
        print(
            f"| {figures['nodes']:,} | {figures['fields']:,} | {figures['execute_ms']:.2f} | "
            f"{figures['fast_ms']:.2f} | {figures['execute_ms'] / figures['fast_ms']:.1f}x | "
            f"{figures['orjson_ms']:.3f} |"
        )


if __name__ == "__main__":
    asyncio.run(main())
