"""GraphQL over HTTP: malformed requests get 400 with a clear JSON error; the
`application/graphql-response+json` media type and its status codes; the graphql-http audits."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import httpx
import pytest

from clustergraph.paths import PROJECT_ROOT
from clustergraph.settings import Settings

AUDIT_DIR = PROJECT_ROOT / "tools" / "audit"
GRAPHQL_RESPONSE = "application/graphql-response+json"


def _error(response: httpx.Response, status: int, fragment: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(("application/json", GRAPHQL_RESPONSE))
    body = response.json()
    error = body["errors"][0]
    assert fragment in error["message"], error
    assert error["extensions"]["code"], error
    return body


@pytest.mark.parametrize(
    ("content", "headers", "fragment"),
    [
        (b'{"query": "{ __typename }"', {"content-type": "application/json"}, "JSON"),
        (b"[1, 2]", {"content-type": "application/json"}, "JSON object"),
        (b'"just a string"', {"content-type": "application/json"}, "JSON object"),
        (b'{"query": 42}', {"content-type": "application/json"}, "`query`"),
        (
            b'{"query": "{ __typename }", "variables": [1]}',
            {"content-type": "application/json"},
            "`variables`",
        ),
        (
            b'{"query": "{ __typename }", "operationName": {}}',
            {"content-type": "application/json"},
            "operationName",
        ),
        (b"{ __typename }", {"content-type": "text/plain"}, "content type"),
        (b'{"query": "{ __typename }"}', {"content-type": ""}, "Content-Type"),
        (b"", {"content-type": "application/json"}, "JSON"),
    ],
)
async def test_malformed_bodies_get_400(
    http: httpx.AsyncClient, content: bytes, headers: dict[str, str], fragment: str
) -> None:
    _error(await http.post("/graphql", content=content, headers=headers), 400, fragment)


async def test_unknown_operation_name_gets_400(http: httpx.AsyncClient) -> None:
    body = {"query": "query A { __typename } query B { __typename }", "operationName": "C"}
    _error(await http.post("/graphql", json=body), 400, "C")


async def test_deeply_nested_fragments_get_400(http: httpx.AsyncClient) -> None:
    fragments = ["fragment F0 on Country { name }"]
    for i in range(1, 20):
        fragments.append(f"fragment F{i} on Country {{ country {{ ...F{i - 1} }} }}")
    query = '{ entity(key: "country:pl") { ... on Country { ...F19 } } } ' + " ".join(fragments)
    body = _error(await http.post("/graphql", json={"query": query}), 400, "depth")
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_huge_documents_and_bodies_are_refused(http: httpx.AsyncClient, settings: Settings) -> None:
    huge = "{ __typename }" + " " * (settings.max_body_bytes + 10)
    _error(await http.post("/graphql", json={"query": huge}), 413, "larger than")

    async def chunks() -> Any:  # no Content-Length: the cap counts what arrives
        yield b'{"query": "{ __typename }'
        for _ in range(settings.max_body_bytes // 10_000 + 2):
            yield b" " * 10_000
        yield b'"}'

    response = await http.post("/graphql", content=chunks(), headers={"content-type": "application/json"})
    _error(response, 413, "larger than")
    big = "{ __typename " + " " * settings.max_query_bytes + "}"
    _error(await http.post("/graphql", json={"query": big}), 400, "bytes")


async def test_media_types_and_status_codes(http: httpx.AsyncClient) -> None:
    ok = await http.post("/graphql", json={"query": "{ __typename }"}, headers={"accept": GRAPHQL_RESPONSE})
    assert ok.status_code == 200
    assert ok.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    legacy = await http.post("/graphql", json={"query": "{"}, headers={"accept": "application/json"})
    assert legacy.status_code == 200 and legacy.json()["data"] is None
    modern = await http.post("/graphql", json={"query": "{"}, headers={"accept": GRAPHQL_RESPONSE})
    assert modern.status_code == 400 and "data" not in modern.json()
    invalid = await http.post("/graphql", json={"query": "{ nope }"}, headers={"accept": GRAPHQL_RESPONSE})
    assert invalid.status_code == 400
    assert invalid.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    # A field error leaves data: 200 in both.
    partial = await http.post(
        "/graphql", json={"query": '{ node(id: "garbage") { id } }'}, headers={"accept": GRAPHQL_RESPONSE}
    )
    assert partial.status_code == 200 and "data" in partial.json()
    refused = await http.post("/graphql", json={"query": "{ __typename }"}, headers={"accept": "text/csv"})
    assert refused.status_code == 406


async def test_graphiql_still_opens(http: httpx.AsyncClient) -> None:
    page = await http.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


def test_graphql_http_server_audits(service_url: str) -> None:
    node = shutil.which("node")
    assert node, "Node.js is needed for the graphql-http audits (scripts/setup installs them)"
    assert (AUDIT_DIR / "node_modules" / "graphql-http").is_dir(), "run scripts/setup (npm ci in tools/audit)"
    run = subprocess.run(
        [node, "audit.mjs", f"{service_url}/graphql"],
        cwd=AUDIT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    results = [line for line in lines if "id" in line]
    failed = [line for line in results if line["status"] != "ok"]
    assert len(results) > 50, run.stdout + run.stderr
    assert not failed, json.dumps(failed, indent=1)
    assert run.returncode == 0, run.stderr
