"""Bad input and failures answer with a clear message and an `extensions.code`, never a trace."""

from typing import Any

import httpx
import pytest

from clustergraph.graph.neo4j_local import LocalServer
from tests.waiting import ready_within


def _codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body["errors"]]


def _assert_clean(body: dict[str, Any]) -> None:
    text = str(body)
    for leak in ("Traceback", "MATCH (", "neo4j.exceptions", 'File "'):
        assert leak not in text


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ('{ search(query: "x", kinds: [GALAXY]) { totalCount } }', "GALAXY"),
        ("{ clusters(first: 1000) { totalCount } }", "`first` must be between 0 and 100"),
        ('{ clusters(after: "not-a-cursor") { totalCount } }', "`after` is not a cursor"),
        (
            '{ cooperationPaths(from: "cluster:euroregion-beskidy", to: "organisation:rda-usti-region", maxHops: 50) { length } }',
            "`maxHops` must be between 1 and 6",
        ),
        (
            '{ cooperationPaths(from: "cluster:nope", to: "organisation:rda-usti-region") { length } }',
            "cluster:nope",
        ),
        ('{ neighbourhood(key: "nobody:here") { truncated } }', "nobody:here"),
        ('{ neighbourhood(key: "person:kinga-skalacka", depth: 9) { truncated } }', "`depth`"),
        ('{ crossBorderPartners(key: "cluster:x") { distance } }', "cluster:x"),
        (
            '{ crossBorderPartners(key: "cluster:euroregion-beskidy", countries: ["Poland"]) { distance } }',
            "ISO",
        ),
        ('{ cooperationMatrix(project: "project:none") { totalLinks } }', "project:none"),
        ('{ node(id: "garbage") { id } }', "global id"),
        (
            '{ cooperationPaths(from: "cluster:euroregion-beskidy", to: "organisation:rda-usti-region", '
            "relationshipTypes: [IN_COUNTRY]) { length } }",
            "IN_COUNTRY",
        ),
        ('{ search(query: "   ") { totalCount } }', "word"),
    ],
)
async def test_bad_arguments_are_bad_user_input(gql: Any, query: str, fragment: str) -> None:
    body = await gql(query)
    assert _codes(body) == ["BAD_USER_INPUT"], body
    assert fragment in body["errors"][0]["message"]
    _assert_clean(body)


async def test_too_deep_a_query_is_refused_before_neo4j(gql: Any) -> None:
    nested = "node { name }"
    for _ in range(8):
        nested = f"node {{ ... on Cluster {{ members {{ edges {{ {nested} }} }} }} }}"
    body = await gql(
        f'{{ entity(key: "cluster:euroregion-beskidy") {{ ... on Cluster {{ members {{ edges {{ {nested} }} }} }} }} }}'
    )
    assert _codes(body) == ["QUERY_TOO_COMPLEX"]
    assert "depth" in body["errors"][0]["message"]
    assert body["extensions"]["cypherQueries"] == 0 if "extensions" in body else True


async def test_too_many_tokens_is_refused(gql: Any) -> None:
    body = await gql("{ " + " ".join(f"a{i}: __typename" for i in range(1200)) + " }")
    assert _codes(body) == ["QUERY_TOO_COMPLEX"]


async def test_syntax_and_unknown_fields_have_codes(gql: Any) -> None:
    assert _codes(await gql("{ entity(key: ")) == ["GRAPHQL_PARSE_FAILED"]
    assert _codes(await gql('{ entity(key: "x") { nonsense } }')) == ["GRAPHQL_VALIDATION_FAILED"]


@pytest.mark.slow
async def test_neo4j_down_gives_service_unavailable_and_503(
    http: httpx.AsyncClient, local_server: LocalServer | None
) -> None:
    if local_server is None:
        pytest.skip("needs the managed local Neo4j, which the test can stop and start")
    local_server.stop()
    try:
        response = await http.post(
            "/graphql", json={"query": '{ entity(key: "person:kinga-skalacka") { name } }'}
        )
    finally:
        local_server.start()
    assert response.status_code == 503
    body = response.json()
    assert _codes(body) == ["SERVICE_UNAVAILABLE"]
    _assert_clean(body)
    assert await ready_within(http, seconds=60)
    again = await http.post("/graphql", json={"query": '{ entity(key: "person:kinga-skalacka") { name } }'})
    assert again.status_code == 200 and again.json()["data"]["entity"]["name"] == "Kinga Skałacka"
