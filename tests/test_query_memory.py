"""A read cannot run Neo4j out of heap (issue 24): one transaction may hold a share of the
heap (`db.memory.transaction.max`), all of them together half of it; a read past its share
is refused as QUERY_TOO_COMPLEX with `bound` memory, is not tried again, and the server
answers the next read as before."""

from __future__ import annotations

import re

import pytest

from clustergraph.errors import QueryOutOfMemory, to_graphql_error
from clustergraph.graph.db import Graph
from clustergraph.graph.neo4j_local.server import LocalServer, heap_share

# Tens of millions of integers held in one list: far more than a transaction's share.
HUNGRY = "UNWIND range(1, 20000000) AS x WITH collect(x) AS xs RETURN size(xs) AS n"


def _mib(size: str) -> float:
    """A size as Neo4j shows it (`64.00MiB`) or takes it (`512m`), in MiB."""
    found = re.fullmatch(r"([0-9.]+)\s*([kmg])(?:ib)?", size.strip().lower())
    assert found, size
    return float(found[1]) * {"k": 1 / 1024, "m": 1, "g": 1024}[found[2]]


async def _setting(graph: Graph, name: str) -> str:
    rows = await graph.read("SHOW SETTINGS YIELD name, value WHERE name = $name RETURN value", {"name": name})
    assert rows, f"{name} is not a setting of this Neo4j"
    return str(rows[0]["value"])


async def test_the_managed_server_bounds_each_transaction_below_the_heap(
    graph: Graph, local_server: LocalServer | None
) -> None:
    if local_server is None:
        pytest.skip("Neo4j is not run by the tests: its memory settings are its operator's")
    heap = await _setting(graph, "server.memory.heap.max_size")
    per_transaction = await _setting(graph, "db.memory.transaction.max")
    total = await _setting(graph, "dbms.memory.transaction.total.max")
    assert _mib(per_transaction) == _mib(heap_share(local_server.heap, 8)), (per_transaction, heap)
    assert 0 < _mib(per_transaction) < _mib(total) < _mib(heap)
    assert _mib(heap) == _mib(local_server.heap)


async def test_a_read_past_its_share_is_refused_once_and_the_server_stays_up(graph: Graph) -> None:
    with pytest.raises(QueryOutOfMemory) as refused:
        await graph.read(HUNGRY)
    error = to_graphql_error(refused.value)
    assert error.extensions == {"code": "QUERY_TOO_COMPLEX", "bound": "memory"}
    assert "memory" in error.message and "Neo4j" not in error.message
    # The same work within the share answers, and so does everything after it.
    small = await graph.read("UNWIND range(1, 1000) AS x WITH collect(x) AS xs RETURN size(xs) AS n")
    assert small == [{"n": 1000}]
