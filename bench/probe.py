"""What a GraphQL request costs Neo4j: the service's own Cypher for it, timed through the driver.

Shared by the cost calibration (`bench/calibrate.py`) and the worst-request search
(`bench/worst_request.py`). The Cypher is the compiled path's (`execution/run.py`): one
query per root field, the very text and parameters the service sends.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from neo4j import Driver, Query

from clustergraph.execution.bind import coerce_variables
from clustergraph.execution.run import CompiledReads
from clustergraph.model import COOPERATION_TYPES
from clustergraph.schema.build import build_schema, query_cost
from clustergraph.settings import Settings

# The best-connected actors, by their cooperation relationships (what paths and partners walk)
# and by all their relationships (what a neighbourhood walks by default).
HUBS = f"""
MATCH (n:Entity) WHERE n:Cluster OR n:Organisation
WITH n, COUNT {{ (n)-[:{"|".join(COOPERATION_TYPES)}]-() }} AS degree ORDER BY degree DESC, n.key LIMIT $n
RETURN n.key AS key, degree
"""
ANY_HUBS = """
MATCH (n:Entity)
WITH n, COUNT { (n)--() } AS degree ORDER BY degree DESC, n.key LIMIT $n
RETURN n.key AS key, degree
"""


@dataclass(frozen=True)
class Timed:
    seconds: float  # wall time of the request's Cypher, one query after the other
    queries: int
    timed_out: bool


class Prober:
    """Compiles documents as the service does and times their Cypher on one driver."""

    def __init__(self, driver: Driver, database: str = "neo4j", settings: Settings | None = None) -> None:
        self.driver, self.database = driver, database
        self.settings = settings or Settings()
        self.schema = build_schema(self.settings)
        self.reads = CompiledReads(self.schema.documents, self.settings)

    def cypher(self, text: str, variables: dict[str, Any] | None = None) -> list[tuple[str, dict[str, Any]]]:
        compiled = self.schema.documents.compile(text)
        assert compiled.ok and compiled.operation is not None, compiled.errors
        bound = coerce_variables(self.schema._schema, compiled.operation, variables)
        assert not isinstance(bound, list), bound
        plan = self.reads.bind(compiled, bound)
        assert plan is not None, "the compiled path declines this document"
        return [(r.prepared.query.text, r.prepared.query.params) for r in plan.roots if r.prepared]

    def cost(self, text: str, variables: dict[str, Any] | None = None) -> int:
        return query_cost(text, variables, self.settings)

    def time(self, queries: list[tuple[str, dict[str, Any]]], timeout: float = 60.0) -> Timed:
        spent, timed_out = 0.0, False
        for text, params in queries:
            started = time.monotonic()
            try:
                self.driver.execute_query(Query(text, timeout=timeout), params, database_=self.database)
            except Exception as error:  # a timeout: the figure is then a lower bound
                if "TransactionTimedOut" not in str(getattr(error, "code", "")):
                    raise
                timed_out = True
            spent += time.monotonic() - started
        return Timed(spent, len(queries), timed_out)

    def hubs(self, n: int = 10, cooperation: bool = True) -> list[tuple[str, int]]:
        cypher = HUBS if cooperation else ANY_HUBS
        records, _, _ = self.driver.execute_query(cypher, {"n": n}, database_=self.database)
        return [(r["key"], r["degree"]) for r in records]
