"""Every bound on a GraphQL document is a setting, and a document past one is refused before
Neo4j with QUERY_TOO_COMPLEX naming the bound; a slow Cypher query times out clearly."""

from __future__ import annotations

import itertools
import time
from typing import Any

import httpx
import pytest
from graphql import GraphQLError

from clustergraph.execution.errors import classify
from clustergraph.graph.db import Graph, QueryTimeout
from clustergraph.paths import PROJECT_ROOT
from clustergraph.schema.build import query_cost
from clustergraph.settings import Settings

BESKIDY = "cluster:euroregion-beskidy"
# Billions of rows: minutes of work without a timeout.
SLOW = "UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 1234567 RETURN count(x) AS n"


async def _refused(http: httpx.AsyncClient, body: Any, bound: str) -> dict[str, Any]:
    response = await http.post("/graphql", json=body)
    assert response.status_code == 400, response.text
    data = response.json()
    errors = data["errors"]
    assert [e["extensions"]["code"] for e in errors] == ["QUERY_TOO_COMPLEX"], data
    assert errors[0]["extensions"]["bound"] == bound
    assert f"({bound})" in errors[0]["message"] or bound in errors[0]["message"]
    # Refused before any Cypher ran.
    assert data.get("extensions", {}).get("cypherQueries", 0) == 0
    return data


async def test_query_size_in_bytes(http: httpx.AsyncClient, settings: Settings) -> None:
    query = "{ __typename " + "#" * settings.max_query_bytes + "\n}"
    data = await _refused(http, {"query": query}, "bytes")
    assert data["errors"][0]["extensions"]["limit"] == settings.max_query_bytes


async def test_aliases(http: httpx.AsyncClient, settings: Settings) -> None:
    fields = " ".join(f"a{i}: __typename" for i in range(settings.max_aliases + 1))
    await _refused(http, {"query": f"{{ {fields} }}"}, "aliases")
    fields = " ".join(f"a{i}: __typename" for i in range(settings.max_aliases))
    ok = await http.post("/graphql", json={"query": f"{{ {fields} }}"})
    assert ok.status_code == 200 and "errors" not in ok.json()


async def test_aliases_may_start_with_two_underscores(http: httpx.AsyncClient) -> None:
    # Relay's interface refetch asks `__isEntity: __typename`; GraphQL reserves `__` for
    # type-system names, not aliases. Aliases named like the answer's internal values get
    # the fields they ask for, on every path an entity is read by.
    query = (
        f'{{ entity(key: "{BESKIDY}") {{ __isEntity: __typename __kind: name __key: key '
        "__total: country { __kind: code } "
        "relationships(first: 1) { __total: totalCount __edges: edges { __cursor: cursor __type: type } } } }"
    )
    response = await http.post(
        "/graphql", json={"query": query}, headers={"accept": "application/graphql-response+json"}
    )
    assert response.status_code == 200, response.text
    entity = response.json()["data"]["entity"]
    assert entity["__isEntity"] == "Cluster" and entity["__key"] == BESKIDY
    assert entity["__kind"] == "Klaster Euroregion Beskidy" and entity["__total"] == {"__kind": "PL"}
    page = entity["relationships"]
    assert page["__total"] >= 1 and len(page["__edges"]) == 1
    edge = page["__edges"][0]
    assert edge["__cursor"] and edge["__type"].isupper()


async def test_aliases_hidden_in_fragments_count(http: httpx.AsyncClient, settings: Settings) -> None:
    fragment = "fragment F on Query { " + " ".join(f"b{i}: __typename" for i in range(20)) + " }"
    query = "{ ...F x: clusters { ... on ClusterListConnection { ...G } } } " + fragment
    query += (
        " fragment G on ClusterListConnection { " + " ".join(f"c{i}: totalCount" for i in range(20)) + " }"
    )
    await _refused(http, {"query": query}, "aliases")


async def test_depth_and_tokens_name_their_bound(http: httpx.AsyncClient) -> None:
    nested = "name"
    for _ in range(12):
        nested = f"country {{ {nested} }}"
    await _refused(http, {"query": f'{{ entity(key: "{BESKIDY}") {{ {nested} }} }}'}, "depth")
    await _refused(http, {"query": "{ " + " ".join(["a"] * 2500) + " }"}, "tokens")


async def test_cost_weighs_pages(http: httpx.AsyncClient, settings: Settings) -> None:
    query = "query ($n: Int) { clusters(first: $n) { nodes { members(first: $n) { edges { cursor } } } } }"
    data = await _refused(http, {"query": query, "variables": {"n": 100}}, "cost")
    assert data["errors"][0]["extensions"]["value"] > settings.max_query_cost
    small = await http.post("/graphql", json={"query": query, "variables": {"n": 5}})
    assert small.status_code == 200 and "errors" not in small.json(), small.text


async def test_cost_counts_the_default_page_when_first_is_left_out(http: httpx.AsyncClient) -> None:
    # Three nested lists without `first` return 20 x 20 x 20 entities: counted as such.
    query = "{ clusters { nodes { partners { nodes { ... on Cluster { partners { nodes { key } } } } } } } }"
    data = await _refused(http, {"query": query}, "cost")
    assert data["errors"][0]["extensions"]["value"] > 20 * 20 * 20


async def test_cost_reads_page_sizes_from_variable_defaults(
    http: httpx.AsyncClient, settings: Settings
) -> None:
    query = (
        "query ($n: Int = 100) { clusters(first: $n) { nodes { members(first: $n) { edges { cursor } } } } }"
    )
    data = await _refused(http, {"query": query}, "cost")
    assert data["errors"][0]["extensions"]["value"] > settings.max_query_cost
    # The same document with a small value given is within the bound.
    small = await http.post("/graphql", json={"query": query, "variables": {"n": 5}})
    assert small.status_code == 200 and "errors" not in small.json(), small.text


async def test_cost_weighs_path_searches_by_hop_bound(http: httpx.AsyncClient) -> None:
    def paths(hops: int) -> str:
        return (
            f'cooperationPaths(from: "{BESKIDY}", to: "organisation:rda-usti-region", maxHops: {hops}) '
            "{ length nodes { name } }"
        )

    low = query_cost("{ " + paths(1) + " }")
    high = query_cost("{ " + paths(6) + " }")
    assert high > 10 * low
    many = " ".join(f"p{i}: {paths(6)}" for i in range(15))
    await _refused(http, {"query": "{ " + many + " }"}, "cost")


async def test_walks_cost_exponentially_in_hops_up_to_the_budget(
    http: httpx.AsyncClient, settings: Settings
) -> None:
    def partners(hops: int) -> str:
        return f'crossBorderPartners(key: "{BESKIDY}", maxHops: {hops}, limit: 1) {{ distance }}'

    costs = [
        query_cost("{ " + partners(h) + " }", settings=settings) for h in range(1, settings.max_hops + 1)
    ]
    # Each hop multiplies the walk (the branching factor), until the cap: the budget's worth.
    assert all(b >= 4 * a for a, b in itertools.pairwise(costs[:4])), costs
    assert costs[-1] - costs[-2] == 0 and costs[-1] <= settings.max_query_cost // 2 + 10, costs
    # One walk at its published bound is admitted; the budget bounds it (tests/test_request_budget.py).
    alone = await http.post("/graphql", json={"query": "{ " + partners(settings.max_hops) + " }"})
    assert alone.status_code == 200 and "errors" not in alone.json(), alone.text
    # Issue 24: thirteen aliases of six-hop partners were admitted (cost 4,706); three add up past the limit.
    many = "{ " + " ".join(f"p{i}: {partners(settings.max_hops)}" for i in range(3)) + " }"
    data = await _refused(http, {"query": many}, "cost")
    extensions = data["errors"][0]["extensions"]
    assert extensions["limit"] == settings.max_query_cost and extensions["value"] == query_cost(
        many, settings=settings
    )
    # The whole-graph matrix is a walk too: three of them are refused; one by project is cheap.
    matrices = "{ " + " ".join(f"m{i}: cooperationMatrix {{ totalLinks }}" for i in range(3)) + " }"
    await _refused(http, {"query": matrices}, "cost")
    anchored = '{ cooperationMatrix(project: "project:clusters-cord") { totalLinks } }'
    assert query_cost(anchored) < query_cost("{ cooperationMatrix { totalLinks } }") / 50


async def test_batches_are_bounded(http: httpx.AsyncClient, settings: Settings) -> None:
    one = {"query": "{ __typename }"}
    ok = await http.post("/graphql", json=[one] * settings.max_batch_operations)
    assert ok.status_code == 200
    assert [r["data"] for r in ok.json()] == [{"__typename": "Query"}] * settings.max_batch_operations
    too_many = await http.post("/graphql", json=[one] * (settings.max_batch_operations + 1))
    assert too_many.status_code == 400
    error = too_many.json()["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "(batch)" in error["message"]


def test_every_setting_is_documented() -> None:
    """Each environment variable the service reads has its row in the settings table."""
    page = (PROJECT_ROOT / "docs" / "operating.md").read_text(encoding="utf-8")
    names = [str(f.validation_alias) for f in Settings.model_fields.values() if f.validation_alias]
    assert len(names) > 40
    missing = [name for name in names if f"`{name}`" not in page]
    assert missing == [], f"document these in docs/operating.md: {missing}"


async def test_a_slow_query_times_out_with_a_clear_error(graph: Graph) -> None:
    slow = Graph(driver=graph.driver, database=graph.database, timeout=1.0)
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        await slow.read(SLOW)
    elapsed = time.monotonic() - started
    # Neo4j checks timeouts every couple of seconds; the bound is the timeout plus that slack.
    assert elapsed < 15, elapsed

    async def slow_write(tx: Any) -> None:
        await (await tx.run(SLOW)).consume()

    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        await slow.transaction(slow_write)  # write transactions are bounded too
    assert time.monotonic() - started < 15
    error = classify(GraphQLError("boom", original_error=QueryTimeout("Neo.ClientError.Transaction...")))
    assert error.extensions == {"code": "QUERY_TIMEOUT"}
    assert "took longer than the service allows" in error.message


def test_history_pages_are_priced_like_other_pages() -> None:
    """`first` on `history` multiplies what is selected below it, as on every list; left out, the
    default page (20) counts."""
    history = '{ history(key: "cluster:x"%s) { edges { node { id } } } }'
    clusters = "{ clusters%s { edges { node { key } } } }"
    assert query_cost(history % "") == query_cost(clusters % "")
    assert query_cost(history % ", first: 100") == query_cost(clusters % "(first: 100)")
    assert query_cost(history % ", first: 100") > 4 * query_cost(history % ", first: 20")
