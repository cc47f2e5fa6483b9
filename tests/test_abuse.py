"""Rate limits per address and per API key, introspection off, security headers on HTML,
and no secret in any log line."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest

from clustergraph.graph.location import GraphLocation
from clustergraph.settings import Settings
from tests.support import refusal, running_service

TYPENAME = {"query": "{ __typename }"}


@pytest.fixture(scope="module")
def strict_url(settings: Settings, location: GraphLocation) -> Iterator[str]:
    """A service of its own with small limits and introspection off."""
    strict = settings.model_copy(
        update={
            "rate_limit_per_address": "20/minute",
            "rate_limit_per_key": "3/minute",
            "introspection": False,
        }
    )
    with running_service(strict, location) as url:
        yield url


async def test_rate_limit_per_api_key(strict_url: str) -> None:
    async with httpx.AsyncClient(base_url=strict_url) as client:
        key_one = {"authorization": "Bearer key-one"}
        statuses = [
            (await client.post("/graphql", json=TYPENAME, headers=key_one)).status_code for _ in range(4)
        ]
        assert statuses == [200, 200, 200, 429]
        refused = await client.post("/graphql", json=TYPENAME, headers={"authorization": "bearer key-one"})
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
        error = refusal(refused, "RATE_LIMITED")
        assert "API key" in error["message"]
        assert error["extensions"]["retryAfter"] == int(refused.headers["retry-after"])
        # Another key has its own budget (the address's is not spent yet).
        other = await client.post("/graphql", json=TYPENAME, headers={"authorization": "Bearer key-two"})
        assert other.status_code == 200
        # Health checks are never limited.
        assert (await client.get("/healthz")).status_code == 200


async def test_the_limiter_reads_keys_from_the_header_the_authenticator_reads(strict_url: str) -> None:
    async with httpx.AsyncClient(base_url=strict_url) as client:
        # X-API-Key identifies nobody, so it is no key's budget either (only the address's).
        ignored = {"x-api-key": "key-three"}
        statuses = [
            (await client.post("/graphql", json=TYPENAME, headers=ignored)).status_code for _ in range(2)
        ]
        assert statuses == [200, 200]
        bearer = {"authorization": "Bearer key-three"}
        statuses = [
            (await client.post("/graphql", json=TYPENAME, headers=bearer)).status_code for _ in range(4)
        ]
        assert statuses == [200, 200, 200, 429]


async def test_rate_limit_per_address_cannot_be_dodged_with_new_keys(strict_url: str) -> None:
    async with httpx.AsyncClient(base_url=strict_url) as client:
        statuses = [
            (
                await client.post("/graphql", json=TYPENAME, headers={"authorization": f"Bearer fresh-{i}"})
            ).status_code
            for i in range(25)
        ]
        assert 429 in statuses
        refused = await client.post("/graphql", json=TYPENAME)
        assert refused.status_code == 429
        assert refused.headers["retry-after"].isdigit()
        assert "client address" in refusal(refused, "RATE_LIMITED")["message"]


async def test_introspection_can_be_turned_off(settings: Settings, location: GraphLocation) -> None:
    closed = settings.model_copy(update={"introspection": False})
    with running_service(closed, location) as url:
        async with httpx.AsyncClient(base_url=url) as client:
            body = (await client.post("/graphql", json={"query": "{ __schema { types { name } } }"})).json()
            assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
            assert "introspection" in body["errors"][0]["message"].lower()
            ok = (await client.post("/graphql", json=TYPENAME)).json()
            assert ok["data"] == {"__typename": "Query"}


async def test_introspection_is_on_by_default(http: httpx.AsyncClient) -> None:
    body = (await http.post("/graphql", json={"query": "{ __schema { queryType { name } } }"})).json()
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


@pytest.mark.parametrize("path", ["/graphql", "/explore"])
async def test_html_pages_have_security_headers(http: httpx.AsyncClient, path: str) -> None:
    page = await http.get(path, headers={"accept": "text/html"})
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert "'unsafe-eval'" not in csp
    # Every inline script of the page is allowed by its hash, so the page runs under the policy.
    import base64
    import hashlib
    import re

    for script in re.findall(r"<script>(.*?)</script>", page.text, re.S):
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    for src in re.findall(r'<script[^>]*src="(https://[^/"]+)', page.text):
        assert src in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["x-frame-options"] == "DENY"


async def test_secrets_never_reach_the_logs(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, location: GraphLocation
) -> None:
    secrets = ["sk-live-0123456789abcdef", "bearer-token-fedcba9876543210", "variable-secret-42"]
    caplog.set_level(logging.DEBUG)
    await http.post(
        "/graphql",
        json={"query": "query Q($k: String!) { entity(key: $k) { name } }", "variables": {"k": secrets[2]}},
        headers={"x-api-key": secrets[0]},
    )
    await http.post(
        "/graphql", json={"query": "{ nonsense }"}, headers={"authorization": f"Bearer {secrets[1]}"}
    )
    await http.get("/graphql", params={"query": "{ __typename }", "variables": f'{{"x": "{secrets[2]}"}}'})
    await http.post("/graphql", content=b"{broken", headers={"content-type": "application/json"})
    # The service's loggers (it runs in this process); the test's own HTTP client logs its URLs.
    server_records = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    text = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in server_records)
    assert "clustergraph.requests" in text  # the request log did write
    for secret in [*secrets, location.password]:
        assert secret not in text
