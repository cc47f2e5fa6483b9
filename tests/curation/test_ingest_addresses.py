"""`ingestArticle(url:)` fetches only from public addresses, unless the operator allows a network.

An editor's URL must not make the service reach its own network: loopback (Neo4j's port, the
service itself), private ranges, link-local (cloud metadata endpoints). Every address is
refused before anything is written; redirects are checked as the first URL is.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from clustergraph.app import create_app
from clustergraph.auth.identity import Role
from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from clustergraph.ingest.addresses import permitted
from clustergraph.ingest.document import IngestError, http_url
from clustergraph.settings import Settings, parse_networks
from tests.curation.ingest_support import pages
from tests.support import codes, serve, snapshot

INGEST = "mutation($url: String) { ingestArticle(url: $url) { createdSource article { key } } }"
INGEST_EITHER = "mutation($url: String, $content: String) { ingestArticle(url: $url, content: $content) { createdSource } }"
# How many URL strings go through the API (CLUSTERGRAPH_FUZZ_URL_EXAMPLES).
URL_EXAMPLES = int(os.environ.get("CLUSTERGRAPH_FUZZ_URL_EXAMPLES", "200"))


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with pages() as url:
        yield url


@pytest.fixture(scope="module")
def guarded_service(settings: Settings, location: GraphLocation, service_url: str) -> Iterator[str]:
    """The service as deployed by default: no network allowed beyond the public ones."""
    default = settings.model_copy(update={"ingest_allowed_networks": ""})
    with serve(create_app(default, location)) as url:
        yield url


async def _ingest(service: str, token: str, url: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=service, timeout=60) as client:
        response = await client.post(
            "/graphql",
            json={"query": INGEST, "variables": {"url": url}},
            headers={"Authorization": f"Bearer {token}"},
        )
    return response.json()  # type: ignore[no-any-return]


def _internal_urls(site: str) -> list[str]:
    port = urlsplit(site).port
    return [
        f"{site}/article",  # 127.0.0.1, where the article really is
        f"http://localhost:{port}/article",  # a name that resolves to loopback
        f"http://[::1]:{port}/article",
        f"http://[::ffff:127.0.0.1]:{port}/article",  # IPv4 loopback inside an IPv6 address
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata endpoint (link-local)
        "http://10.255.255.1/article",
        "http://192.168.0.1/",
        "http://0.0.0.0:7687/",
    ]


async def test_internal_addresses_are_refused_and_nothing_is_written(
    restore: Graph, tokens: dict[Role, str], site: str, guarded_service: str
) -> None:
    before = await snapshot(restore)
    for url in _internal_urls(site):
        body = await _ingest(guarded_service, tokens[Role.EDITOR], url)
        assert codes(body) == ["BAD_USER_INPUT"], (url, body)
        message = body["errors"][0]["message"]
        assert "public addresses only" in message and "CLUSTERGRAPH_INGEST_ALLOWED_NETWORKS" in message, (
            message
        )
    assert await snapshot(restore) == before


async def test_an_allowed_network_is_fetched_but_a_redirect_out_of_it_is_refused(
    restore: Graph, tokens: dict[Role, str], site: str, service_url: str
) -> None:
    # The suite's service allows 127.0.0.0/8 (as an operator allows an intranet).
    fetched = await _ingest(service_url, tokens[Role.EDITOR], f"{site}/article")
    assert "errors" not in fetched, fetched
    assert fetched["data"]["ingestArticle"]["createdSource"]

    before = await snapshot(restore)
    target = quote("http://169.254.169.254/latest/meta-data/", safe="")
    redirected = await _ingest(service_url, tokens[Role.EDITOR], f"{site}/redirect?to={target}")
    assert codes(redirected) == ["BAD_USER_INPUT"], redirected
    assert "169.254.169.254" in redirected["errors"][0]["message"]
    assert await snapshot(restore) == before


def test_which_addresses_are_public() -> None:
    intranet = parse_networks("10.20.0.0/16")
    cases = {
        "93.184.215.14": True,
        "2a00:1450:4001:82b::200e": True,
        "127.0.0.1": False,
        "10.0.0.1": False,
        "10.20.3.4": True,  # in the allowed network
        "172.16.0.1": False,
        "100.64.0.1": False,  # carrier-grade NAT
        "169.254.169.254": False,
        "224.0.0.1": False,
        "::1": False,
        "fe80::1": False,
        "fd00::1": False,
        "::ffff:10.0.0.1": False,
    }
    for text, expected in cases.items():
        assert permitted(ipaddress.ip_address(text), intranet) is expected, text


def test_a_wrong_network_setting_is_named() -> None:
    with pytest.raises(ValueError, match=re.escape("'10.0.0.300/8' is not an IP address or network")):
        Settings(CLUSTERGRAPH_INGEST_ALLOWED_NETWORKS="127.0.0.1, 10.0.0.300/8")  # type: ignore[call-arg]


# Hosts no connection is opened to: loopback and private ranges in the spellings parsers
# disagree on (refused by the guard), names under RFC 6761's `.invalid`, and malformed hosts.
ODD_HOSTS = [
    "0177.0.0.1",
    "0x7f.1",
    "127.1",
    "2130706433",
    "017700000001",
    "127.0.0.1.",
    "[::1]",
    "[::1",
    "::1",
    "[::ffff:7f00:1]",
    "[fe80::1%25eth0]",
    "[0:0:0:0:0:ffff:127.0.0.1]",
    "10.0.0.1",
    "0.0.0.0",
    "localhost",
    "a..b.invalid",
    "xn--",
    "xn--zz.invalid",
    "\uff41.invalid",  # a fullwidth a
    "",
    " ",
    "%00",
    "a b.invalid",
    "a" * 70 + ".invalid",
    "user:pass@127.0.0.1",
    "8.8.8.8@127.0.0.1",
]
hosts = st.one_of(
    st.sampled_from(ODD_HOSTS),
    st.text(max_size=20).map(lambda name: f"{name}.invalid"),
)
ports = st.one_of(
    st.just(""),
    st.sampled_from([":0", ":99999", ":-1", ":7687", ":", ":x"]),
    st.text(max_size=6).map(":".__add__),
)
url_like = st.one_of(
    st.text(max_size=60),
    st.builds(
        lambda scheme, host, port, path: f"{scheme}{host}{port}{path}",
        st.sampled_from(
            ["http://", "https://", "HTTP://", "http:/", "http:", "//", "ftp://", "javascript://", "file://"]
        ),
        hosts,
        ports,
        st.one_of(st.just("/a"), st.text(max_size=20)),
    ),
)


@given(url_like)
@hsettings(max_examples=3000, deadline=None, database=None)
def test_any_string_is_an_http_url_or_a_named_refusal(url: str) -> None:
    try:
        parsed = http_url(url)
    except IngestError as error:
        assert str(error).strip()
    else:
        assert parsed.scheme in ("http", "https") and parsed.host


async def test_any_url_string_gets_bad_user_input_and_nothing_is_written(
    restore: Graph, tokens: dict[Role, str], guarded_service: str
) -> None:
    before = await snapshot(restore)
    seen: Counter[str] = Counter()
    headers = {"Authorization": f"Bearer {tokens[Role.EDITOR]}"}
    with httpx.Client(base_url=guarded_service, timeout=60) as client:

        @given(url_like, st.booleans())
        @hsettings(
            max_examples=URL_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def one(url: str, with_content: bool) -> None:
            variables = {"url": url, "content": "too short" if with_content else None}
            response = client.post(
                "/graphql", json={"query": INGEST_EITHER, "variables": variables}, headers=headers
            )
            assert response.status_code == 200, (url, response.status_code, response.text[:300])
            body = response.json()
            assert codes(body) == ["BAD_USER_INPUT"], (url, body)
            assert body["errors"][0]["message"].strip()
            seen[body["errors"][0]["message"].split(":")[0][-30:]] += 1

        await asyncio.to_thread(one)
    assert await snapshot(restore) == before
    print(f"\n{sum(seen.values())} URL strings refused with BAD_USER_INPUT")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://0177.0.0.1:37910/a", "is not a valid URL: Invalid IPv4 address"),
        ("http://[::1/", "is not a valid URL: Invalid port"),
        ("http://\uff41.com/", "is not a valid URL: Invalid IDNA hostname"),
        ("http://xn--/", "is not a valid URL"),
        ("http://a..b/", "could not be fetched"),
        ("http:///article", "is not an http(s) URL with a host"),
        ("gopher://127.0.0.1/", "is not an http(s) URL with a host"),
    ],
)
async def test_a_malformed_url_is_named_in_the_refusal(
    tokens: dict[Role, str], guarded_service: str, url: str, message: str
) -> None:
    body = await _ingest(guarded_service, tokens[Role.EDITOR], url)
    assert codes(body) == ["BAD_USER_INPUT"], body
    assert message in body["errors"][0]["message"], body
