"""The widget on partner pages served from other local origins, in a real headless Chromium,
on a desktop and a 390x844 phone viewport; axe-core audits the host page and the embed page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from playwright.async_api import Frame, Page
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from clustergraph.app import create_app
from clustergraph.auth.identity import Role
from clustergraph.auth.keys import create_key
from clustergraph.graph.db import Graph
from clustergraph.graph.location import GraphLocation
from clustergraph.settings import Settings
from clustergraph.web.pages import embed_snippet, iframe_snippet
from tests.browser import axe_violations, chromium, screenshot_path
from tests.support import reset_graph, serve

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
  <h2>Embedded in a frame</h2>
  {frame}
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
        frame = iframe_snippet(service[0], CLUSTER).replace("<iframe ", '<iframe id="embed" ', 1)
        return HTMLResponse(HOST_PAGE.format(snippet=snippet, frame=frame))

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


async def frame_fits(page: Page, embed: Frame) -> None:
    """Waits until the iframe is as tall as the embed page's content."""
    for _ in range(100):
        content = await embed.evaluate("Math.ceil(document.body.getBoundingClientRect().height)")
        height = await page.evaluate("document.getElementById('embed').getBoundingClientRect().height")
        if abs(height - content) <= 1 and content > 100:
            return
        await page.wait_for_timeout(100)
    raise AssertionError(f"the frame is {height} px high, its content {content} px")


def watch(page: Page) -> tuple[list[str], list[str]]:
    graphql_requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: graphql_requests.append(r.url) if "/graphql" in r.url else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return graphql_requests, errors


VIEWPORTS = {"desktop": {"width": 1280, "height": 1000}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("device", VIEWPORTS)
async def test_a_partner_site_embeds_the_widget_and_it_renders_the_partners(
    sites: Sites, device: str
) -> None:
    async with chromium() as browser:
        page = await browser.new_page(viewport=VIEWPORTS[device])
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

        # One request for the widget's data (the iframe's own page makes its own one); the
        # others are the live streams (subscriptions over server-sent events).
        data = [r for r in requests if "WidgetPartners" in r]
        assert len(data) == 2, requests

        # The legend names the kinds drawn, and the red country code since one is shown.
        drawn = set(await widget.locator("svg circle").evaluate_all("cs => cs.map(c => c.dataset.kind)"))
        legend = set(
            await widget.locator(".legend [data-kind]").evaluate_all("ls => ls.map(l => l.dataset.kind)")
        )
        assert drawn == legend
        assert await widget.locator(".legend [data-legend=cross]").count() == 1
        assert await widget.locator("li .cc.cross").count() >= 1

        # Nothing is wider than the screen; the frame is as wide as the page's column and
        # as tall as its content (the embed page reports its height).
        width = VIEWPORTS[device]["width"]
        assert await page.evaluate("document.documentElement.scrollWidth") <= width
        box = await widget.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width
        embed = page.frame(url=lambda url: "/embed?" in url)
        assert embed is not None
        await page.locator("#embed").scroll_into_view_if_needed()
        await frame_fits(page, embed)
        # All of it shows: nothing to scroll inside the frame.
        assert await embed.evaluate("document.documentElement.scrollHeight <= innerHeight + 1")
        frame_width = await page.locator("#embed").evaluate("f => f.getBoundingClientRect().width")
        body_width = await page.evaluate("document.body.clientWidth")
        assert abs(frame_width - body_width) <= 1

        # axe-core finds nothing serious on the host page (widget included) or in the frame.
        assert await axe_violations(page) == []
        assert await axe_violations(embed) == []
        await page.screenshot(path=str(screenshot_path(f"widget-host-page-{device}")), full_page=True)
        assert errors == []


RENAMED = "Regional Development Agency of Usti Region (renamed live)"


async def test_the_widget_shows_a_curator_s_change_without_a_reload(sites: Sites, graph: Graph) -> None:
    editor = (await create_key(graph, "test-live-widget", Role.EDITOR)).token
    try:
        async with chromium() as browser:
            page = await browser.new_page(viewport=VIEWPORTS["desktop"])
            _, errors = watch(page)
            await page.goto(sites.partner)
            await page.wait_for_selector("body > clustergraph-partners[data-state=ready]", timeout=30_000)
            widget = page.locator("body > clustergraph-partners")
            # No waiting for the streams: they start from the log's position read before the
            # data, so even a change committed while they are being set up reaches the widget.
            async with httpx.AsyncClient(base_url=sites.service, timeout=30) as client:
                answer = await client.post(
                    "/graphql",
                    json={
                        "query": 'mutation($p: JSON!) { updateEntity(key: "organisation:rda-usti-region", '
                        'properties: $p, sources: ["source:s1"]) { name } }',
                        "variables": {"p": {"name": RENAMED}},
                    },
                    headers={"Authorization": f"Bearer {editor}"},
                )
            assert answer.json()["data"]["updateEntity"]["name"] == RENAMED, answer.text
            # The host page is not reloaded: the partner list itself changes.
            await widget.locator("li[part=partner]", has_text=RENAMED).wait_for(timeout=15_000)
            frame = page.frame_locator("#embed")
            await frame.locator("li[part=partner]", has_text=RENAMED).wait_for(timeout=15_000)
            assert await page.evaluate("performance.getEntriesByType('navigation').length") == 1
            assert errors == []
    finally:
        await reset_graph(graph)


async def test_a_site_not_on_the_allow_list_is_refused(sites: Sites) -> None:
    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 1000, "height": 700})
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        await page.goto(sites.stranger)
        await page.wait_for_selector("body > clustergraph-partners[data-state=error]", timeout=30_000)
        text = await page.locator("body > clustergraph-partners .error").inner_text()
        # It says what to do, and where: the setting, and the origin to put in it.
        assert "CLUSTERGRAPH_CORS_ORIGINS" in text and sites.stranger in text, text
        assert any("CORS" in line or "Access-Control-Allow-Origin" in line for line in console), console
        await page.screenshot(path=str(screenshot_path("widget-refused-origin")))


async def test_the_embed_page_legend_says_only_what_is_drawn(service_url: str) -> None:
    """A project has no country, so nothing is across a border from it: no red in the legend."""
    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 700, "height": 800})
        await page.goto(f"{service_url}/embed?entity=project:clusters-cord")
        widget = page.locator("clustergraph-partners[data-state=ready]")
        await widget.wait_for(timeout=30_000)
        assert await widget.locator("li .cc.cross").count() == 0
        assert await widget.locator(".legend [data-legend=cross]").count() == 0
        assert "border" not in await widget.locator(".box").inner_text()
        drawn = set(await widget.locator("svg circle").evaluate_all("cs => cs.map(c => c.dataset.kind)"))
        legend = set(
            await widget.locator(".legend [data-kind]").evaluate_all("ls => ls.map(l => l.dataset.kind)")
        )
        assert drawn == legend
        assert await axe_violations(page) == []
