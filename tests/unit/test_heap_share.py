"""The managed Neo4j's memory bounds are shares of its heap (graph/neo4j_local/server.py)."""

from __future__ import annotations

import pytest

from clustergraph.graph.neo4j_local.server import Neo4jLocalError, heap_share


def test_a_heap_size_that_is_not_one_is_refused_with_what_was_wrong() -> None:
    assert heap_share("512m", 8) == "64m"
    assert heap_share("2g", 2) == "1024m"
    with pytest.raises(Neo4jLocalError, match="not a number followed by k, m or g"):
        heap_share("lots", 8)
