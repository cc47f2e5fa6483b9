"""The explorer's filters, relationships and failures (issue 27), in headless Chromium:
the legend and the filter panel hide kinds, countries and relationship types, say how many
are hidden, live in the URL and shape the exports; an edge says what it means (its label,
its details panel with sources) and so do the hops of a path; a failure shows on the
picture with a retry, and an empty view's export says there is nothing to export."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import networkx as nx
from playwright.async_api import Page, Route

from tests.browser import axe_violations, chromium, wait_until
from tests.test_explorer_browser import READY, open_page

PROJECT = "project:clusters-cord"
CZECH_LEAD = "organisation:rda-usti-region"
POLISH_CLUSTER = "cluster:euroregion-beskidy"


async def shown(page: Page) -> list[dict[str, str]]:
    found: list[dict[str, str]] = await page.evaluate(
        "explorer.cy.nodes(':childless').filter(n => n.visible()).map(n => ({key: n.id(), kind: n.data('kind'), country: n.data('countryCode') || ''}))"
    )
    return found


async def test_legend_and_panel_hide_kinds_countries_and_types_and_the_url_keeps_them(
    service_url: str,
) -> None:
    async with chromium() as browser:
        page, errors = await open_page(browser, f"{service_url}/explore?key={PROJECT}")
        everything = await shown(page)
        kinds = {n["kind"] for n in everything}
        assert {"ORGANISATION", "CLUSTER"} <= kinds, kinds

        # The legend's kind is a toggle: organisations go, and the panel counts them.
        organisations = sum(n["kind"] == "ORGANISATION" for n in everything)
        await page.click('#legend button[data-kind="ORGANISATION"]')
        await wait_until(page, "document.body.dataset.hidden !== '0'")
        assert await page.get_attribute('#legend button[data-kind="ORGANISATION"]', "aria-pressed") == "false"
        assert all(n["kind"] != "ORGANISATION" for n in await shown(page))
        hidden_text = await page.text_content("#hidden-count")
        assert f"{organisations} entities" in (hidden_text or ""), hidden_text

        # A country from the panel: its entities go too, and their relationships with them.
        country = sorted({n["country"] for n in everything if n["country"] and n["kind"] != "ORGANISATION"})[
            0
        ]
        await page.uncheck(f'#filters fieldset[data-filter="countries"] input[data-value="{country}"]')
        assert all(n["country"] != country for n in await shown(page))
        dangling = await page.evaluate(
            "explorer.cy.edges().filter(e => e.visible() && !(e.source().visible() && e.target().visible())).length"
        )
        assert dangling == 0

        # A relationship type: its edges go, the entities stay.
        await page.click("#show-all")
        types = await page.evaluate("[...new Set(explorer.cy.edges().map(e => e.data('type')))]")
        dropped = sorted(types)[0]
        await page.uncheck(f'#filters fieldset[data-filter="types"] input[data-value="{dropped}"]')
        visible_types = await page.evaluate(
            "explorer.cy.edges().filter(e => e.visible()).map(e => e.data('type'))"
        )
        assert dropped not in visible_types and visible_types
        assert len(await shown(page)) == len(everything)

        # The URL holds the filters, and reopening it applies them again.
        await page.click('#legend button[data-kind="CLUSTER"]')
        query = parse_qs(urlsplit(page.url).query)
        assert query["hide-kind"] == ["CLUSTER"] and query["hide-type"] == [dropped]
        again, more_errors = await open_page(browser, page.url)
        assert {n["key"] for n in await shown(again)} == {n["key"] for n in await shown(page)}
        assert await again.get_attribute('#legend button[data-kind="CLUSTER"]', "aria-pressed") == "false"

        # The export holds what is shown, not what is hidden.
        async with again.expect_download() as info:
            await again.click('#view-exports button[data-format="graphml"]')
        path = await (await info.value).path()
        exported = nx.read_graphml(io.BytesIO(path.read_bytes()), force_multigraph=True)
        assert set(exported.nodes) == {n["key"] for n in await shown(again)}
        assert dropped not in {d["relationship"] for _, _, d in exported.edges(data=True)}

        assert await axe_violations(again) == []
        assert errors == more_errors == []


async def test_an_edge_says_what_it_means_and_so_do_the_hops_of_a_path(service_url: str) -> None:
    async with chromium() as browser:
        page, errors = await open_page(browser, f"{service_url}/explore?key={PROJECT}")
        lead = await page.evaluate(
            f"""explorer.cy.edges().filter(e => e.source().id() === '{CZECH_LEAD}' && e.data('type') === 'PARTNER_IN')
                 .map(e => ({{id: e.id(), label: e.data('label')}}))"""
        )
        assert lead and lead[0]["label"] == "PARTNER_IN (lead, no. 1)", lead
        # A click on the edge (where Cytoscape drew its middle) opens its details.
        await page.evaluate(f"explorer.cy.center(explorer.cy.getElementById('{lead[0]['id']}'))")
        x, y = await page.evaluate(
            f"""(() => {{
              const e = explorer.cy.getElementById('{lead[0]["id"]}');
              const box = explorer.cy.container().getBoundingClientRect();
              const at = e.renderedMidpoint();
              return [box.left + at.x, box.top + at.y];
            }})()"""
        )
        await page.mouse.click(x, y)
        await page.wait_for_selector("#details .edge-rows")
        details = await page.text_content("#details") or ""
        assert (
            "partner in" in details
            and "Role" in details
            and "lead" in details
            and "Partner number" in details
        )
        assert "Sources:" in details

        await page.fill("#path-from", POLISH_CLUSTER)
        await page.fill("#path-to", CZECH_LEAD)
        await page.click("#find-paths")
        await page.wait_for_selector("#path-list")
        hops = await page.locator("#path-list .hop").all_text_contents()
        assert hops and any("PARTNER_IN (lead" in hop for hop in hops), hops
        assert errors == []


async def test_a_failure_shows_on_the_picture_with_a_retry_and_an_empty_export_says_so(
    service_url: str,
) -> None:
    async with chromium() as browser:
        page, errors = await open_page(browser, f"{service_url}/explore")
        # An empty view: nothing to export, said in words.
        await page.click('#view-exports button[data-format="gexf"]')
        await page.wait_for_selector("#problem:not([hidden])")
        assert "nothing to export" in (await page.text_content("#problem-text") or "")
        await page.click("#dismiss")

        # The service cannot be reached: search says so on the picture, and Try again works.
        async def refuse(route: Route) -> None:
            await route.abort("connectionrefused")

        await page.route("**/graphql", refuse)
        await page.fill("#search", "beskidy")
        await page.wait_for_selector("#problem:not([hidden])")
        problem = await page.text_content("#problem-text") or ""
        assert problem.startswith("Search failed:") and "could not be reached" in problem
        await page.unroute("**/graphql", refuse)
        await page.click("#retry")
        await page.wait_for_selector("#results li[data-key]")
        assert await page.is_hidden("#problem")

        # Opening an entity the service refuses: its message, and the retry runs it again.
        await page.evaluate(
            "explorer.run('Loading the neighbourhood…', () => explorer.open('cluster:no-such-cluster'))"
        )
        await wait_until(page, "document.body.dataset.state === 'error'")
        assert "Loading the neighbourhood failed" in (await page.text_content("#problem-text") or "")
        assert await page.evaluate("document.activeElement.id") == "retry"
        await page.click("#retry")
        await wait_until(page, "document.body.dataset.state === 'error'")
        assert await page.is_visible("#problem")
        assert not await page.evaluate(READY)
        assert errors == []
