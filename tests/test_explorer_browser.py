"""The explorer in a real headless Chromium: search, draw, expand by clicking, highlight a path."""

from __future__ import annotations

from playwright.async_api import Page

from tests.browser import chromium, screenshot_path, wait_until

PERSON = "person:kinga-skalacka"
HER_CLUSTER = "cluster:slaski-klaster-transplantologii-szpiku"
PROJECT = "project:clusters-cord"
POLISH_CLUSTER = "cluster:euroregion-beskidy"
CZECH_LEAD = "organisation:rda-usti-region"


async def drawn(page: Page) -> set[str]:
    keys = await page.evaluate("explorer.cy.nodes(':childless').map(n => n.id())")
    return set(keys)


async def click_node(page: Page, key: str) -> None:
    """A real mouse click where Cytoscape drew the node."""
    x, y = await page.evaluate(
        """key => {
          const node = explorer.cy.getElementById(key);
          const box = explorer.cy.container().getBoundingClientRect();
          const at = node.renderedPosition();
          return [box.left + at.x, box.top + at.y];
        }""",
        key,
    )
    await page.mouse.click(x, y)


async def test_search_draw_expand_and_highlight_a_cross_border_path(service_url: str) -> None:
    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.goto(f"{service_url}/explore")

        # Search without diacritics finds her; choosing her draws her cluster's network.
        await page.fill("#search", "skalacka")
        await page.click(f'#results li[data-key="{PERSON}"]', timeout=30_000)
        await wait_until(
            page,
            f"window.explorer && explorer.cy.getElementById('{HER_CLUSTER}').nonempty() "
            "&& document.body.dataset.state === 'ready'",
        )
        first = await drawn(page)
        assert {PERSON, HER_CLUSTER, PROJECT, "organisation:rda-bielsko-biala"} <= first
        assert CZECH_LEAD not in first
        labels = await page.evaluate(f"explorer.cy.getElementById('{HER_CLUSTER}').data('label')")
        assert labels == "Śląski Klaster Transplantologii Szpiku · PL"
        edge_types = set(await page.evaluate("explorer.cy.edges().map(e => e.data('type'))"))
        assert {"REPRESENTS", "PARTICIPATES_IN", "ENGAGES"} <= edge_types
        assert await page.evaluate(f"explorer.cy.getElementById('{HER_CLUSTER}').parent().id()") == (
            "country-group:PL"
        )
        await page.screenshot(path=str(screenshot_path("explorer-search")))

        # Clicking the project expands it: its partners abroad appear.
        await click_node(page, PROJECT)
        await wait_until(
            page,
            f"explorer.cy.getElementById('{CZECH_LEAD}').nonempty() && document.body.dataset.state === 'ready'",
            timeout=30,
        )
        expanded = await drawn(page)
        assert len(expanded) > len(first) and CZECH_LEAD in expanded
        assert await page.locator("#details h2").inner_text() == "Clusters-Cord"
        await page.screenshot(path=str(screenshot_path("explorer-expanded")))

        # Two entities: the paths between them are highlighted, with the countries crossed.
        await page.fill("#path-from", POLISH_CLUSTER)
        await page.fill("#path-to", CZECH_LEAD)
        await page.click("#find-paths")
        await page.wait_for_selector("#path-list", timeout=30_000)
        paths = await page.locator("#path-list > li").all_inner_texts()
        assert paths and all("PL → CZ" in p and "1 border crossing" in p for p in paths)
        on_path = set(await page.evaluate("explorer.cy.nodes('.on-path').map(n => n.id())"))
        assert {POLISH_CLUSTER, PROJECT, CZECH_LEAD} <= on_path
        assert await page.evaluate("explorer.cy.edges('.on-path').length") >= 2
        await page.wait_for_timeout(400)  # the zoom onto the path
        await page.screenshot(path=str(screenshot_path("explorer-path")))

        # The widget's links open the explorer on an entity.
        await page.goto(f"{service_url}/explore?key={POLISH_CLUSTER}")
        await wait_until(
            page,
            f"window.explorer && explorer.cy.getElementById('{POLISH_CLUSTER}').hasClass('center') "
            "&& document.body.dataset.state === 'ready'",
        )
        assert await page.locator("#details h2").inner_text() == "Klaster Euroregion Beskidy"
        assert errors == []
