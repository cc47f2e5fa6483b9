"""The widget's script, its embed page and the CORS allow-list, over HTTP."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import httpx
import pytest

from clustergraph.app import create_app
from clustergraph.graph.location import GraphLocation
from clustergraph.paths import PROJECT_ROOT
from clustergraph.settings import Settings
from clustergraph.web.pages import DIST, embed_snippet, iframe_snippet
from tests.support import refusal, serve

ALLOWED = "http://partner.example.org"
REFUSED = "http://elsewhere.example.org"
# The widget must stay small enough for a partner's page not to notice it.
MAX_WIDGET_GZIP_BYTES = 6 * 1024


@pytest.fixture(scope="module")
def partner_service(settings: Settings, location: GraphLocation, service_url: str) -> Iterator[str]:
    allowed = settings.model_copy(update={"cors_origins": [ALLOWED]})
    with serve(create_app(allowed, location)) as url:
        yield url


def test_the_widget_script_is_small() -> None:
    size = len(gzip.compress((DIST / "widget.js").read_bytes(), compresslevel=9))
    print(f"widget.js: {size} bytes gzipped")
    assert size < MAX_WIDGET_GZIP_BYTES


async def test_the_widget_script_is_served_as_javascript(http: httpx.AsyncClient) -> None:
    response = await http.get("/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "clustergraph-partners" in response.text


async def test_an_allowed_origin_may_read_answers_and_a_refused_one_may_not(partner_service: str) -> None:
    async with httpx.AsyncClient(base_url=partner_service) as client:
        query = {"query": '{ entity(key: "cluster:euroregion-beskidy") { name } }'}
        allowed = await client.get("/graphql", params=query, headers={"Origin": ALLOWED})
        assert allowed.headers["access-control-allow-origin"] == ALLOWED
        assert "ETag" in allowed.headers["access-control-expose-headers"]
        refused = await client.get("/graphql", params=query, headers={"Origin": REFUSED})
        assert "access-control-allow-origin" not in refused.headers
        preflight = {
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        }
        ok = await client.options("/graphql", headers={"Origin": ALLOWED, **preflight})
        assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == ALLOWED
        no = await client.options("/graphql", headers={"Origin": REFUSED, **preflight})
        assert no.status_code == 400 and "access-control-allow-origin" not in no.headers


async def test_the_embed_page_may_be_framed_by_allowed_origins_only(partner_service: str) -> None:
    async with httpx.AsyncClient(base_url=partner_service) as client:
        page = await client.get("/embed", params={"entity": 'cluster:euroregion-beskidy"><script>'})
        assert page.status_code == 200
        assert f"frame-ancestors 'self' {ALLOWED}" in page.headers["content-security-policy"]
        assert "default-src 'none'" in page.headers["content-security-policy"]
        assert "x-frame-options" not in page.headers
        assert 'entity="cluster:euroregion-beskidy&quot;&gt;&lt;script&gt;"' in page.text
        assert '<script src="/widget.js"></script>' in page.text
        nameless = await client.get("/embed")
        assert nameless.status_code == 400
        assert "name an entity" in refusal(nameless, "BAD_USER_INPUT")["message"]


async def test_by_default_no_other_origin_is_allowed(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", params={"query": "{ __typename }"}, headers={"Origin": ALLOWED})
    assert "access-control-allow-origin" not in response.headers
    assert (
        (await http.get("/embed?entity=x"))
        .headers["content-security-policy"]
        .endswith("frame-ancestors 'self'")
    )


def test_the_documentation_shows_the_snippet_the_browser_test_pastes() -> None:
    readme = (PROJECT_ROOT / "docs" / "seeing-the-network.md").read_text(encoding="utf-8")
    snippet = embed_snippet("https://clustergraph.example.org", "cluster:euroregion-beskidy")
    assert f"<!-- widget-snippet -->\n```html\n{snippet}\n```" in readme


def test_the_documentation_shows_the_iframe_snippet_the_browser_test_pastes() -> None:
    readme = (PROJECT_ROOT / "docs" / "seeing-the-network.md").read_text(encoding="utf-8")
    snippet = iframe_snippet("https://clustergraph.example.org", "cluster:euroregion-beskidy")
    assert f"<!-- iframe-snippet -->\n```html\n{snippet}\n```" in readme
