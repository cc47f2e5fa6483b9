"""Structured request logs (operation, duration, outcome) and Prometheus metrics at /metrics."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_request_log_names_operation_duration_and_outcome(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="clustergraph.requests")
    await http.post("/graphql", json={"query": "query Clusters { clusters(first: 1) { totalCount } }"})
    await http.post("/graphql", json={"query": "query Broken { nonsense }"})
    records = [json.loads(r.getMessage()) for r in caplog.records if r.name == "clustergraph.requests"]
    by_name = {op["name"]: (record, op) for record in records for op in record["operations"]}
    record, op = by_name["Clusters"]
    assert op["outcome"] == "ok" and record["status"] == 200 and record["duration_ms"] > 0
    assert record["path"] == "/graphql" and record["method"] == "POST"
    assert by_name["Broken"][1]["outcome"] == "GRAPHQL_VALIDATION_FAILED"
    assert record["client"] == "127.0.0.1"  # the address the rate limits count (client_address)
    assert set(record) == {"client", "method", "path", "status", "duration_ms", "operations"}


async def test_metrics_count_requests_latencies_and_outcomes(http: httpx.AsyncClient) -> None:
    before = _samples((await http.get("/metrics")).text)
    await http.post("/graphql", json={"query": "{ clusters(first: 1) { totalCount } }"})
    await http.post("/graphql", json={"query": "{ nonsense }"})
    response = await http.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    after = _samples(response.text)

    def delta(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert delta("clustergraph_http_requests_total", method="POST", path="/graphql", status="200") >= 2
    assert delta("clustergraph_http_request_duration_seconds_count", path="/graphql") >= 2
    assert delta("clustergraph_graphql_operations_total", outcome="ok") >= 1
    assert delta("clustergraph_graphql_operations_total", outcome="GRAPHQL_VALIDATION_FAILED") >= 1
    # Neo4j errors are counted by kind (the fault tests make some); the series exists.
    assert (
        any(name == "clustergraph_neo4j_errors_total" for name, _ in after)
        or "clustergraph_neo4j_errors" in response.text
    )


async def test_unknown_paths_do_not_grow_the_label_set(http: httpx.AsyncClient) -> None:
    for i in range(5):
        await http.get(f"/made-up-{i}")
    text = (await http.get("/metrics")).text
    assert "made-up" not in text
    assert 'path="other"' in text
