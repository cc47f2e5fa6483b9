"""Each planned root field costs one Cypher read, errors included, and the answer says so (issue 25, point 1).

The service counts every Cypher query it sends (`clustergraph_neo4j_queries_total` on
/metrics, `origin="graphql"` for those sent by an operation). Over the request corpus
(every example query, every benchmark request, the generated selections) and requests
that fail once Neo4j has answered (unknown keys, a global id of nothing, several root
fields of which some fail), the queries sent equal the planned root fields, and
`extensions.cypherQueries` equals the queries sent: no request is read twice.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from bench.requests import requests as bench_requests
from graphql import FieldNode, OperationDefinitionNode, parse

from tests.test_compiled_path import EXAMPLES, SEED_KEYS, corpus

SENT = re.compile(r'^clustergraph_neo4j_queries_total\{origin="graphql"\} ([0-9.e+]+)$', re.M)

FAILING = [
    '{ entity(key: "cluster:nope") { key name } }',
    '{ neighbourhood(key: "cluster:nope") { nodes { key } } }',
    '{ cooperationPaths(from: "cluster:nope", to: "organisation:rda-usti-region") { length } }',
    '{ crossBorderPartners(key: "organisation:nope") { countryCode } }',
    '{ node(id: "Q2x1c3RlcjpjbHVzdGVyOm5vcGU=") { id } }',
    '{ ok: entity(key: "cluster:euroregion-beskidy") { key } nope: entity(key: "cluster:nope") { key }'
    ' around: neighbourhood(key: "cluster:nope") { nodes { key } } }',
    '{ organisations(first: 2, filter: {sector: "sector:nope"}) { totalCount } }',
]


def _root_fields(query: str) -> int:
    """Root fields that read the graph (all but `__typename`), @skip/@include aside."""
    (operation,) = [d for d in parse(query).definitions if isinstance(d, OperationDefinitionNode)]
    return sum(
        1
        for s in operation.selection_set.selections
        if isinstance(s, FieldNode) and s.name.value != "__typename" and not s.directives
    )


# Codes of documents refused before anything runs (the generated corpus makes some).
REFUSED = {"GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "QUERY_TOO_COMPLEX"}


def _refused(body: dict[str, Any]) -> bool:
    codes = {e["extensions"]["code"] for e in body.get("errors", [])}
    return bool(codes) and codes <= REFUSED and not body.get("data")


async def _sent(http: httpx.AsyncClient) -> float:
    found = SENT.search((await http.get("/metrics")).text)
    return float(found.group(1)) if found else 0.0


async def _reads(
    http: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> tuple[int, dict[str, Any]]:
    before = await _sent(http)
    response = await http.post("/graphql", json={"query": query, "variables": variables or {}})
    body = response.json()
    return int(await _sent(http) - before), body


CORPUS = [
    *(p.read_text(encoding="utf-8") for p in EXAMPLES),
    *FAILING,
    *corpus(60, seed=29),
]


@pytest.mark.parametrize("query", CORPUS, ids=[f"q{i}" for i in range(len(CORPUS))])
async def test_one_read_per_planned_root_field(http: httpx.AsyncClient, query: str) -> None:
    sent, body = await _reads(http, query)
    assert body["extensions"]["cypherQueries"] == sent, body
    if "__schema" not in query and "history" not in query:
        assert sent == (0 if _refused(body) else _root_fields(query)), body


@pytest.mark.parametrize("request_", bench_requests(SEED_KEYS), ids=lambda r: r.name)
async def test_one_read_per_benchmark_request(http: httpx.AsyncClient, request_: Any) -> None:
    sent, body = await _reads(http, request_.service, request_.variables)
    assert body["extensions"]["cypherQueries"] == sent == _root_fields(request_.service), body


async def test_failing_requests_answer_their_errors_after_one_read(http: httpx.AsyncClient) -> None:
    # Three root fields, each read once; the last one's key is unknown, and as it is
    # non-null, its error nulls the whole answer (the spec's propagation).
    sent, body = await _reads(http, FAILING[5])
    assert sent == 3 and body["extensions"]["cypherQueries"] == 3
    assert body["data"] is None
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["around"], "BAD_USER_INPUT")
    ], body
