"""The widget on partner pages served from other local origins, in a real headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.async_api import Page
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from clustergraph.app import create_app
from clustergraph.location import GraphLocation
from clustergraph.settings import Settings
from clustergraph.web.pages import embed_snippet
from tests.browser import chromium, screenshot_path
from tests.support import serve

CLUSTER = "cluster:euroregion-beskidy"
# A host page with styles as careless as real sites have: none of them may reach the
# widget, and the widget's own rules (it styles `li` and `.box`) may not reach the page.
HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Partner site</title>
<style>
  body {{ font-family: Georgia, serif; color: rgb(120, 0, 0); background: #fffbea; margin: 24px; }}
  li {{ display: none !important; }}
  a {{ font-size: 40px; }}
</style></head>
<body>
  <h1>Klaster Euroregion Beskidy — who we work with</h1>
  <ul><li class="host-item">a host list item, hidden by the host's own rule</li></ul>
  <div class="box" id="host-box">the host's own .box</div>
  {snippet}
  <h2>Embedded without scripts</h2>
  <iframe id="embed" src="{service}/embed?entity={key}" width="680" height="420" style="border:0"></iframe>
</body></html>
"""


@dataclass
class Sites:
    service: str
    partner: str
    stranger: str


def host_app(service: list[str]) -> Starlette:
    async def page(request: Request) -> HTMLResponse:
        snippet = embed_snippet(service[0], CLUSTER)
        return HTMLResponse(HOST_PAGE.format(snippet=snippet, service=service[0], key=CLUSTER))

    return Starlette(routes=[Route("/", page)])


@pytest.fixture(scope="module")
def sites(settings: Settings, location: GraphLocation, service_url: str) -> Iterator[Sites]:
    """The service, a partner site on the allow-list and a stranger's site, each on its own port."""
    service: list[str] = []
    with serve(host_app(service)) as partner, serve(host_app(service)) as stranger:
        allowed = settings.model_copy(update={"cors_origins": [partner]})
        with serve(create_app(allowed, location)) as url:
            service.append(url)
            yield Sites(url, partner, stranger)


def watch(page: Page) -> tuple[list[str], list[str]]:
    graphql_requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: graphql_requests.append(r.url) if "/graphql" in r.url else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return graphql_requests, errors


async def test_a_partner_site_embeds_the_widget_and_it_renders_the_partners(sites: Sites) -> None:
    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 1000, "height": 1100})
        requests, errors = watch(page)
        await page.goto(sites.partner)
        widget = page.locator("body > clustergraph-partners")
        await page.wait_for_selector("body > clustergraph-partners[data-state=ready]", timeout=30_000)
        partners = await widget.locator("li[part=partner]").all_inner_texts()
        assert any("Regional Development Agency of Usti Region" in p and "CZ" in p for p in partners), (
            partners
        )
        assert any("Bielsku-Białej" in p for p in partners)
        assert await widget.locator("svg circle").count() > 5
        link = await widget.locator("li[part=partner] a").first.get_attribute("href")
        assert link is not None and link.startswith(f"{sites.service}/explore?key=")

        # Styles stay on their side of the shadow boundary, both ways.
        item = widget.locator("li[part=partner]").first
        assert await item.evaluate("e => getComputedStyle(e).display") == "flex"
        assert "Georgia" not in await item.evaluate("e => getComputedStyle(e).fontFamily")
        assert await item.evaluate("e => getComputedStyle(e.querySelector('a')).fontSize") == "14px"
        assert await page.locator("#host-box").evaluate("e => getComputedStyle(e).borderTopStyle") == "none"

        # The iframe embed renders the same widget from the service's own page.
        frame = page.frame_locator("#embed")
        await frame.locator("clustergraph-partners[data-state=ready]").wait_for(timeout=30_000)
        assert await frame.locator("li[part=partner]").count() == len(partners)

        # One request for the widget's data (the iframe's own page makes its own one).
        assert len(requests) == 2, requests
        await page.screenshot(path=str(screenshot_path("widget-host-page")), full_page=True)
        assert errors == []


async def test_a_site_not_on_the_allow_list_is_refused(sites: Sites) -> None:
    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 1000, "height": 700})
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        await page.goto(sites.stranger)
        await page.wait_for_selector("body > clustergraph-partners[data-state=error]", timeout=30_000)
        text = await page.locator("body > clustergraph-partners .error").inner_text()
        assert "could not be loaded" in text
        assert any("CORS" in line or "Access-Control-Allow-Origin" in line for line in console), console
        await page.screenshot(path=str(screenshot_path("widget-refused-origin")))
