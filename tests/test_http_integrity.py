"""Every answer of the service is JSON with a code, HTTP semantics are exact, and argument
values are bounded and strict: the defects found by a hostile user, each a test."""

from __future__ import annotations

import asyncio
import base64
import json
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from clustergraph.http.media import GRAPHQL_RESPONSE, JSON
from clustergraph.settings import Settings
from tests.support import codes, refusal, running_service

ENTITY = '{ entity(key: "cluster:euroregion-beskidy") { name } }'


def _code(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


async def test_invalid_utf8_inside_a_json_string_is_400_with_a_code(http: httpx.AsyncClient) -> None:
    body = b'{"query": "{ search(query: \\"\xff\xfe\\") { totalCount } }"}'
    response = await http.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400 and _code(response) == "BAD_REQUEST"
    assert "UTF-8" in response.json()["errors"][0]["message"]


async def test_json_nested_a_thousand_levels_is_400_with_a_code(http: httpx.AsyncClient) -> None:
    nested = "[" * 1000 + "]" * 1000
    body = '{"query": "{ __typename }", "variables": {"x": ' + nested + "}}"
    response = await http.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400 and "deeper than" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE", "HEAD"])
@pytest.mark.parametrize(
    "path",
    [
        "/nowhere",
        "/graphql/x",
        "/export",
        "/%00",
        "/explore/article/x",
        "/" + "a" * 3000,
    ],
)
async def test_an_unknown_path_is_a_json_404_with_a_code(
    http: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await http.request(method, path)
    assert response.status_code == 404, response.text
    assert response.headers["content-type"].startswith("application/json")
    if method != "HEAD":
        refusal(response, "NOT_FOUND")


async def test_a_missing_asset_is_a_json_404_with_a_code(http: httpx.AsyncClient) -> None:
    response = await http.get("/assets/nothing.js")
    assert response.status_code == 404
    assert "no asset 'nothing.js'" in refusal(response, "NOT_FOUND")["message"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/healthz"), ("DELETE", "/readyz"), ("PUT", "/explore"), ("PATCH", "/export/graphml")],
)
async def test_a_method_a_route_does_not_take_is_a_json_405_with_allow(
    http: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await http.request(method, path)
    assert response.status_code == 405 and "GET" in response.headers["allow"]
    assert method in refusal(response, "METHOD_NOT_ALLOWED")["message"]


async def test_a_mutation_over_get_is_405_with_allow_post(http: httpx.AsyncClient) -> None:
    query = 'mutation { deleteEntity(key: "cluster:euroregion-beskidy") { key } }'
    response = await http.get("/graphql", params={"query": query})
    assert response.status_code == 405 and response.headers["allow"] == "POST"
    refusal(response, "METHOD_NOT_ALLOWED")


async def test_if_none_match_star_does_not_revalidate_an_invalid_query(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", params={"query": "{ nope }"}, headers={"If-None-Match": "*"})
    assert response.status_code != 304 and response.json()["errors"]
    response = await http.get("/graphql", params={"query": ENTITY}, headers={"If-None-Match": "*"})
    assert response.status_code == 200 and response.json()["data"]["entity"]


async def test_each_media_type_has_its_own_etag_and_vary_accept(http: httpx.AsyncClient) -> None:
    modern = await http.get("/graphql", params={"query": ENTITY}, headers={"accept": GRAPHQL_RESPONSE})
    legacy = await http.get("/graphql", params={"query": ENTITY}, headers={"accept": JSON})
    assert modern.headers["etag"] != legacy.headers["etag"]
    for response in (modern, legacy):
        assert "accept" in response.headers["vary"].lower()
    # Revalidating one media type's answer with the other's tag is a miss, not a 304.
    crossed = await http.get(
        "/graphql",
        params={"query": ENTITY},
        headers={"accept": JSON, "If-None-Match": modern.headers["etag"]},
    )
    assert crossed.status_code == 200


@pytest.mark.parametrize(
    ("query", "says"),
    [
        (" ".join(["word"] * 1100), "characters"),
        ("w" * 5000, "characters"),
        (" ".join(["ab"] * 30), "30 words"),
    ],
)
async def test_search_text_is_bounded(gql: Any, query: str, says: str) -> None:
    body = await gql("query($q: String!) { search(query: $q) { totalCount } }", {"q": query})
    assert codes(body) == ["BAD_USER_INPUT"] and says in body["errors"][0]["message"], body


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        _cursor("offset:9223372036854775807"),
        _cursor("offset:3_0"),
        _cursor("offset:\u0663"),  # an Arabic-Indic three
        _cursor("offset:03"),
        _cursor("offset:2").rstrip("=") + "====",
        "not a cursor",
    ],
)
async def test_only_cursors_the_service_wrote_are_taken(gql: Any, cursor: str) -> None:
    body = await gql("query($c: String!) { clusters(first: 2, after: $c) { totalCount } }", {"c": cursor})
    assert codes(body) == ["BAD_USER_INPUT"], body


async def test_a_cursor_the_service_wrote_round_trips(gql: Any) -> None:
    first = (await gql("{ clusters(first: 2) { pageInfo { endCursor } nodes { key } } }"))["data"]["clusters"]
    after = first["pageInfo"]["endCursor"]
    body = await gql("query($c: String!) { clusters(first: 2, after: $c) { nodes { key } } }", {"c": after})
    assert body["data"]["clusters"]["nodes"] and body["data"]["clusters"]["nodes"] != first["nodes"]


@pytest.mark.parametrize(
    "query",
    [
        "{ clusters(filter: {countries: []}) { totalCount } }",
        '{ search(query: "klaster", countries: []) { totalCount } }',
        '{ search(query: "klaster", kinds: []) { totalCount } }',
    ],
)
async def test_an_empty_filter_list_matches_nothing_everywhere(gql: Any, query: str) -> None:
    body = await gql(query)
    [answer] = body["data"].values()
    assert answer["totalCount"] == 0, body


async def test_an_empty_country_list_finds_no_partner(gql: Any) -> None:
    body = await gql(
        '{ crossBorderPartners(key: "cluster:euroregion-beskidy", countries: []) { countryCode } }'
    )
    assert body["data"]["crossBorderPartners"] == []
    every = await gql('{ crossBorderPartners(key: "cluster:euroregion-beskidy") { countryCode } }')
    assert every["data"]["crossBorderPartners"], "without the filter there are partners"


async def test_an_empty_relationship_type_list_is_refused(gql: Any) -> None:
    body = await gql(
        '{ neighbourhood(key: "cluster:euroregion-beskidy", relationshipTypes: []) { nodes { key } } }'
    )
    assert codes(body) == ["BAD_USER_INPUT"] and "relationshipTypes" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ('{ organisations(filter: {sector: "sector:nowhere"}) { totalCount } }', "no sector"),
        ('{ organisations(filter: {project: "Clusters-Cord"}) { totalCount } }', "no project"),
        ('{ cooperationMatrix(project: "project:nowhere") { countries } }', "no project"),
    ],
)
async def test_an_unknown_key_in_any_filter_is_bad_user_input(gql: Any, query: str, says: str) -> None:
    body = await gql(query)
    assert codes(body) == ["BAD_USER_INPUT"] and says in body["errors"][0]["message"], body


async def test_history_needs_a_credential(gql: Any) -> None:
    body = await gql('{ history(key: "cluster:euroregion-beskidy") { nodes { actor } } }')
    assert codes(body) == ["UNAUTHENTICATED"] and body["data"] is None


# -- slow clients ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def impatient_url(settings: Settings, location: GraphLocation, graph: Graph) -> Iterator[str]:
    quick = settings.model_copy(update={"header_timeout": 2.0, "body_timeout": 3.0, "max_connections": 20})
    with running_service(quick, location) as url:
        yield url


def _trickle(url: str, head: bytes, drip: bytes, every: float, most: float) -> tuple[bytes, float]:
    """Send `head`, then `drip` a byte at a time; what the server answered and when it stopped."""
    host, port = url.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=most) as sock:
        sock.sendall(head)
        sock.settimeout(every)
        for byte in drip:
            try:
                answer = sock.recv(65536)
            except TimeoutError:
                answer = None
            if answer is not None:
                return answer, time.monotonic() - started  # b"" when closed without an answer
            if time.monotonic() - started > most:
                break
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                return b"", time.monotonic() - started
    return b"still open", time.monotonic() - started


async def test_a_client_sending_headers_a_byte_at_a_time_is_cut_off(impatient_url: str) -> None:
    answer, seconds = await asyncio.to_thread(
        _trickle, impatient_url, b"POST /graphql HTTP/1.1\r\n", b"Host: x\r\n" * 20, 1.5, 30
    )
    assert answer != b"still open" and seconds < 10, (answer, seconds)


async def test_a_body_sent_a_byte_at_a_time_is_cut_off_with_408(impatient_url: str) -> None:
    body = json.dumps({"query": "{ __typename }"}).encode()
    head = (
        b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
    )
    answer, seconds = await asyncio.to_thread(_trickle, impatient_url, head, body, 1.5, 30)
    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert b"REQUEST_TIMEOUT" in answer and seconds < 10


async def test_connections_past_the_bound_get_503(impatient_url: str) -> None:
    host, port = impatient_url.removeprefix("http://").split(":")
    idle = [socket.create_connection((host, int(port))) for _ in range(25)]
    try:
        async with httpx.AsyncClient(base_url=impatient_url, timeout=10) as client:
            response = await client.get("/healthz")
        assert response.status_code == 503
    finally:
        for sock in idle:
            sock.close()
    await asyncio.sleep(0.5)
    async with httpx.AsyncClient(base_url=impatient_url, timeout=10) as client:
        assert (await client.get("/healthz")).status_code == 200
