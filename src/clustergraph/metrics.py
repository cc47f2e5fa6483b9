"""The service's Prometheus metrics (served at /metrics), defined once per process.

With several workers (`clustergraph serve --workers N`), each worker writes its samples
to files in PROMETHEUS_MULTIPROC_DIR (prometheus_client's multiprocess mode, which the
command line sets up), and /metrics, whichever worker answers it, sums all of them.
"""

from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.requests import Request
from starlette.responses import Response

HTTP_REQUESTS = Counter(
    "clustergraph_http_requests_total", "HTTP requests answered.", ["method", "path", "status"]
)
HTTP_LATENCY = Histogram(
    "clustergraph_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["path"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
GRAPHQL_OPERATIONS = Counter(
    "clustergraph_graphql_operations_total",
    "GraphQL operations by outcome: ok, or the first error's extensions.code.",
    ["outcome"],
)
NEO4J_QUERIES = Counter(
    "clustergraph_neo4j_queries_total",
    "Cypher queries sent to Neo4j: by a GraphQL operation, or other (credentials, exports, health, the live feed).",
    ["origin"],
)
NEO4J_ERRORS = Counter("clustergraph_neo4j_errors_total", "Failed Cypher queries, by kind.", ["kind"])
RATE_LIMITED = Counter("clustergraph_rate_limited_total", "Requests refused with 429.", ["by"])

# Only the routes the service has, so an attacker's made-up paths cannot grow the label set.
KNOWN_PATHS = frozenset({"/", "/graphql", "/healthz", "/readyz", "/metrics"})


def path_label(path: str) -> str:
    return path if path in KNOWN_PATHS else "other"


MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"


async def metrics(request: Request) -> Response:
    if os.environ.get(MULTIPROCESS_DIR):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
