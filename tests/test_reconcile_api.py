"""/reconcile over HTTP against the seed graph: every answer validated against the JSON
schemas of the specification's own repository (version 0.2), CORS open, read-only, coded errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest

from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from clustergraph.settings import Settings
from tests.reconcile_schema import validate
from tests.support import reset_graph, running_service


async def _batch(http: httpx.AsyncClient, queries: dict[str, Any]) -> dict[str, Any]:
    response = await http.post("/reconcile", data={"queries": orjson.dumps(queries).decode()})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    validate("reconciliation-result-batch", body)
    return body


@pytest.mark.asyncio
async def test_manifest_follows_the_schema_and_names_the_kinds(http: httpx.AsyncClient) -> None:
    response = await http.get("/reconcile")
    assert response.status_code == 200
    manifest = response.json()
    validate("manifest", manifest)
    assert manifest["versions"] == ["0.2"]
    assert {t["id"] for t in manifest["defaultTypes"]} >= {"Organisation", "Cluster", "Project"}
    assert manifest["view"]["url"].endswith("/explore?key={{id}}")
    assert {"entity", "type", "property"} <= manifest["suggest"].keys()


@pytest.mark.asyncio
async def test_a_batch_answers_each_query_with_scored_candidates(http: httpx.AsyncClient) -> None:
    body = await _batch(
        http,
        {
            "q0": {"query": "ARR S.A. Bielsko-Biała", "type": "Organisation"},
            "q1": {"query": "Regional Development Agency"},
            "q2": {"query": "Zzyzx Holdings"},
        },
    )
    first = body["q0"]["result"][0]
    assert first["id"] == "organisation:rda-bielsko-biala" and first["match"] is True
    assert all(r["type"][0]["id"] == "Organisation" for r in body["q0"]["result"])
    # A generic name fits several agencies: candidates, none sure.
    assert len(body["q1"]["result"]) > 1 and not any(r["match"] for r in body["q1"]["result"])
    assert not any(r["match"] for r in body["q2"]["result"])


@pytest.mark.asyncio
async def test_country_and_region_separate_namesakes(http: httpx.AsyncClient, graph: Graph) -> None:
    # Two agencies of one name in two countries (written here, undone after).
    await graph.write(
        "UNWIND $rows AS row CREATE (n:Entity:Organisation {key: row.key, name: 'Innovation Agency', "
        "names: [], aliases: [], country: row.country, searchText: 'Innovation Agency'})",
        {
            "rows": [
                {"key": "organisation:innovation-agency-pl", "country": "PL"},
                {"key": "organisation:innovation-agency-cz", "country": "CZ"},
            ]
        },
    )
    try:
        body = await _batch(
            http,
            {
                "alone": {"query": "Innovation Agency"},
                "pl": {"query": "Innovation Agency", "properties": [{"pid": "country", "v": "Poland"}]},
                "cz": {"query": "Innovation Agency Ltd.", "properties": [{"pid": "country", "v": "CZ"}]},
            },
        )
    finally:
        await reset_graph(graph)
    assert not any(r["match"] for r in body["alone"]["result"])
    assert (
        body["pl"]["result"][0]["id"] == "organisation:innovation-agency-pl"
        and body["pl"]["result"][0]["match"]
    )
    assert (
        body["cz"]["result"][0]["id"] == "organisation:innovation-agency-cz"
        and body["cz"]["result"][0]["match"]
    )


@pytest.mark.asyncio
async def test_a_disagreeing_country_blocks_the_match(http: httpx.AsyncClient) -> None:
    body = await _batch(
        http,
        {
            "de": {
                "query": "Regional Development Agency Celje",
                "properties": [{"pid": "country", "v": "DE"}],
            },
            "si": {
                "query": "Regional Development Agency Celje",
                "properties": [{"pid": "country", "v": "Slovenia"}],
            },
            "region": {
                "query": "Agencja Rozwoju Regionalnego",
                "properties": [{"pid": "region", "v": "Śląskie"}],
            },
            "other-language region": {
                "query": "Regional Development Company",
                "properties": [{"pid": "region", "v": "Central Transdanubia"}],
            },
            "polish country name": {
                "query": "Regional Development Agency of Usti Region",
                "properties": [{"pid": "country", "v": "Czechy"}],
            },
        },
    )
    assert not body["de"]["result"][0]["match"]
    assert body["si"]["result"][0]["match"] and body["si"]["result"][0]["id"] == "organisation:rda-celje"
    assert body["region"]["result"][0]["id"] == "organisation:rda-bielsko-biala"
    assert body["other-language region"]["result"][0]["id"] == "organisation:mid-pannon"
    usti = body["polish country name"]["result"][0]
    assert usti["id"] == "organisation:rda-usti-region" and usti["match"]
    assert usti["features"][1] == {"id": "properties_agreeing", "value": 1}


@pytest.mark.asyncio
async def test_json_bodies_and_get_parameters_are_read_too(http: httpx.AsyncClient) -> None:
    queries = {"q0": {"query": "WRS"}}
    posted = await http.post("/reconcile", json=queries)
    got = await http.get("/reconcile", params={"queries": orjson.dumps(queries).decode()})
    assert posted.status_code == got.status_code == 200
    assert posted.json() == got.json()
    assert posted.json()["q0"]["result"][0]["id"] == "organisation:wrs"


@pytest.mark.asyncio
async def test_suggest_preview_and_extension_follow_the_schemas(http: httpx.AsyncClient) -> None:
    entities = (await http.get("/reconcile/suggest/entity", params={"prefix": "bielsko"})).json()
    validate("suggest-entities-response", entities)
    assert "organisation:rda-bielsko-biala" in [r["id"] for r in entities["result"]]
    types = (await http.get("/reconcile/suggest/type", params={"prefix": "org"})).json()
    validate("suggest-types-response", types)
    assert [t["id"] for t in types["result"]] == ["Organisation"]
    props = (await http.get("/reconcile/suggest/property", params={"prefix": "co"})).json()
    validate("suggest-properties-response", props)
    assert "country" in [p["id"] for p in props["result"]]
    proposed = (await http.get("/reconcile/extend/propose", params={"type": "Organisation"})).json()
    validate("data-extension-property-proposal", proposed)

    extend = {
        "ids": ["organisation:arleg", "project:clusters-cord", "organisation:nobody"],
        "properties": [{"id": p} for p in ("country", "region", "city", "partnerCount", "projects")],
    }
    validate("data-extension-query", extend)
    answer = (await http.post("/reconcile", data={"extend": orjson.dumps(extend).decode()})).json()
    validate("data-extension-response", answer)
    arleg = answer["rows"]["organisation:arleg"]
    assert arleg["country"] == [{"id": "country:pl", "name": "Poland"}]
    assert arleg["region"] == [{"id": "region:pl51", "name": "Dolnośląskie"}]
    assert arleg["city"] == [{"id": "city:legnica", "name": "Legnica"}]
    assert arleg["projects"] == [{"id": "project:clusters-cord", "name": "Clusters-Cord"}]
    assert arleg["partnerCount"] == [{"int": 10}]  # the other ten partners of Clusters-Cord
    assert answer["rows"]["project:clusters-cord"]["partnerCount"] == [{"int": 11}]
    assert all(v == [] for v in answer["rows"]["organisation:nobody"].values())

    preview = await http.get("/reconcile/preview", params={"id": "organisation:arleg"})
    assert preview.status_code == 200 and preview.headers["content-type"].startswith("text/html")
    assert "Agencja Rozwoju Regionalnego ARLEG S.A." in preview.text
    assert "&quot;ARLEG&quot;" in preview.text  # the alias's quotes, escaped
    assert "frame-ancestors" not in preview.headers["content-security-policy"]  # OpenRefine frames it


@pytest.mark.asyncio
async def test_any_origin_may_call_it_without_credentials(http: httpx.AsyncClient) -> None:
    origin = {"Origin": "http://127.0.0.1:3333"}
    simple = await http.get("/reconcile", headers=origin)
    assert simple.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in simple.headers
    preflight = await http.options(
        "/reconcile",
        headers={
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    # The GraphQL endpoint keeps the service's own allow-list.
    graphql = await http.get("/graphql", params={"query": "{ lastChange }"}, headers=origin)
    assert graphql.headers.get("access-control-allow-origin") != "*"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"queries": "{not json"}, "BAD_RECONCILE_REQUEST"),
        ({"queries": '{"q0": {"query": "x", "type": "Spaceship"}}'}, "BAD_RECONCILE_REQUEST"),
        (
            {"queries": '{"q0": {"query": "x", "properties": [{"pid": "colour", "v": "red"}]}}'},
            "BAD_RECONCILE_REQUEST",
        ),
        ({"queries": '{"q0": {"query": ""}}'}, "BAD_RECONCILE_REQUEST"),
        (
            {"queries": orjson.dumps({f"q{i}": {"query": "x"} for i in range(51)}).decode()},
            "BAD_RECONCILE_REQUEST",
        ),
        (
            {"extend": '{"ids": ["organisation:wrs"], "properties": [{"id": "budget"}]}'},
            "BAD_RECONCILE_REQUEST",
        ),
    ],
)
async def test_bad_requests_get_a_coded_error(
    http: httpx.AsyncClient, data: dict[str, str], code: str
) -> None:
    response = await http.post("/reconcile", data=data)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == code and error["message"]


@pytest.mark.asyncio
async def test_it_is_read_only_and_unknown_previews_are_not_found(http: httpx.AsyncClient) -> None:
    put = await http.put("/reconcile", content=b"{}")
    assert put.status_code == 405 and put.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    missing = await http.get("/reconcile/preview", params={"id": "organisation:nobody"})
    assert missing.status_code == 404 and missing.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


@pytest.fixture(scope="module")
def limited_url(settings: Settings, location: GraphLocation) -> Iterator[str]:
    """A service of its own whose per-address limit is small."""
    with running_service(settings.model_copy(update={"rate_limit_per_address": "3/minute"}), location) as url:
        yield url


@pytest.mark.asyncio
async def test_it_is_rate_limited_like_the_api(limited_url: str) -> None:
    async with httpx.AsyncClient(base_url=limited_url, timeout=60) as client:
        answers = [await client.get("/reconcile/suggest/type", params={"prefix": "o"}) for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    assert answers[3].status_code == 429
    assert answers[3].json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert answers[3].headers["access-control-allow-origin"] == "*"  # OpenRefine can read why
