"""The explorer in a real headless Chromium: search by keyboard, select and expand as two
gestures, collapse and undo with nothing else moving, highlight a path, hover tooltips,
the list view, a legible zoom, and axe-core's audit."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.async_api import Page

from clustergraph.auth.identity import Role
from clustergraph.auth.keys import create_key
from clustergraph.graph.db import Graph
from tests.browser import axe_violations, chromium, screenshot_path, wait_until
from tests.support import reset_graph

PERSON = "person:kinga-skalacka"
HER_CLUSTER = "cluster:slaski-klaster-transplantologii-szpiku"
PROJECT = "project:clusters-cord"
POLISH_CLUSTER = "cluster:euroregion-beskidy"
CZECH_LEAD = "organisation:rda-usti-region"
READY = "window.explorer && document.body.dataset.state === 'ready'"


async def drawn(page: Page) -> set[str]:
    keys = await page.evaluate("explorer.cy.nodes(':childless').map(n => n.id())")
    return set(keys)


async def places(page: Page) -> dict[str, tuple[float, float]]:
    found = await page.evaluate(
        "Object.fromEntries(explorer.cy.nodes(':childless').map(n => [n.id(), [n.position('x'), n.position('y')]]))"
    )
    return {key: (x, y) for key, (x, y) in found.items()}


def largest_move(before: dict[str, tuple[float, float]], after: dict[str, tuple[float, float]]) -> float:
    return max(abs(before[k][0] - after[k][0]) + abs(before[k][1] - after[k][1]) for k in before)


async def screen_point(page: Page, key: str) -> tuple[float, float]:
    x, y = await page.evaluate(
        """key => {
          const node = explorer.cy.getElementById(key);
          const box = explorer.cy.container().getBoundingClientRect();
          const at = node.renderedPosition();
          return [box.left + at.x, box.top + at.y];
        }""",
        key,
    )
    return x, y


async def click_node(page: Page, key: str, double: bool = False) -> None:
    """A real mouse click (or double click) where Cytoscape drew the node."""
    await page.evaluate("key => explorer.cy.center(explorer.cy.getElementById(key))", key)
    x, y = await screen_point(page, key)
    if double:
        await page.mouse.dblclick(x, y)
    else:
        await page.mouse.click(x, y)


async def open_page(browser: Any, url: str, width: int = 1400, height: int = 900) -> tuple[Page, list[str]]:
    page = await browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(url)
    await wait_until(page, READY)
    return page, errors


async def test_keyboard_search_select_expand_collapse_undo_and_a_path(service_url: str) -> None:
    async with chromium() as browser:
        page, errors = await open_page(browser, f"{service_url}/explore")

        # Arrows move through the results, Escape closes them, Enter opens the active one.
        await page.fill("#search", "skalacka")
        await page.wait_for_selector(f'#results li[data-key="{PERSON}"]', timeout=30_000)
        keys = await page.locator("#results [role=option]").evaluate_all("os => os.map(o => o.dataset.key)")
        await page.press("#search", "ArrowDown")
        assert await page.get_attribute("#search", "aria-activedescendant") == "result-0"
        await page.press("#search", "ArrowUp")
        assert await page.get_attribute("#search", "aria-activedescendant") == f"result-{len(keys) - 1}"
        await page.press("#search", "Escape")
        assert await page.locator("#results").is_hidden()
        assert await page.get_attribute("#search", "aria-expanded") == "false"
        await page.fill("#search", "skalacka ")
        await page.wait_for_selector(f'#results li[data-key="{PERSON}"]', timeout=30_000)
        for _ in range(keys.index(PERSON) + 1):
            await page.press("#search", "ArrowDown")
        await page.press("#search", "Enter")
        await wait_until(page, f"{READY} && explorer.center === '{PERSON}'")
        first = await drawn(page)
        assert {PERSON, HER_CLUSTER, PROJECT, "organisation:rda-bielsko-biala"} <= first
        assert CZECH_LEAD not in first
        label = await page.evaluate(f"explorer.cy.getElementById('{HER_CLUSTER}').data('label')")
        assert label == "Śląski Klaster Transplantologii Szpiku · PL"
        assert await page.evaluate(f"explorer.cy.getElementById('{HER_CLUSTER}').parent().id()") == (
            "country-group:PL"
        )
        before = await places(page)

        # A click selects and expands nothing.
        await click_node(page, PROJECT)
        await wait_until(page, f"explorer.selected() === '{PROJECT}'")
        assert await page.locator("#details h2").inner_text() == "Clusters-Cord"
        assert await drawn(page) == first
        assert "select=project%3Aclusters-cord" in page.url

        # Hovering shows kind, country and sources.
        x, y = await screen_point(page, HER_CLUSTER)
        await page.mouse.move(x, y)
        await wait_until(page, "!document.getElementById('tooltip').hidden")
        tip = await page.locator("#tooltip").inner_text()
        assert "Śląski Klaster Transplantologii Szpiku" in tip and "cluster · PL" in tip and "sources:" in tip

        # A double click expands: the project's partners abroad appear, nothing else moves.
        before = await places(page)
        await click_node(page, PROJECT, double=True)
        await wait_until(page, f"{READY} && explorer.cy.getElementById('{CZECH_LEAD}').nonempty()")
        expanded = await drawn(page)
        assert first < expanded
        grown = await places(page)
        assert largest_move(before, grown) < 0.01
        await page.screenshot(path=str(screenshot_path("explorer-expanded")))

        # Collapse takes back exactly what the expansion brought; undo brings it back.
        await page.click("#collapse")
        assert await drawn(page) == first
        assert largest_move(before, await places(page)) < 0.01
        await page.click("#undo")
        assert await drawn(page) == expanded
        assert largest_move(grown, await places(page)) < 0.01

        # The list view mirrors the picture, and selects as a click does.
        await page.click("#list-view summary")
        nodes = await page.locator("#view-nodes li").evaluate_all("ls => ls.map(l => l.dataset.key)")
        assert set(nodes) == expanded
        assert await page.locator("#view-edges li").count() == await page.evaluate(
            "explorer.cy.edges().length"
        )
        await page.locator(f'#view-nodes li[data-key="{CZECH_LEAD}"] button').focus()
        await page.keyboard.press("Enter")
        assert await page.evaluate("explorer.selected()") == CZECH_LEAD
        assert (
            await page.get_attribute(f'#view-nodes li[data-key="{CZECH_LEAD}"] button', "aria-pressed")
            == "true"
        )

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
        await page.screenshot(path=str(screenshot_path("explorer-path")))

        # The page passes axe-core's audit with the network, the list and the paths shown.
        assert await axe_violations(page) == []
        assert errors == []


async def test_labels_zoom_and_colours_are_made_for_reading(service_url: str) -> None:
    async with chromium() as browser:
        page, errors = await open_page(browser, f"{service_url}/explore?key={POLISH_CLUSTER}")
        node = f"explorer.cy.getElementById('{POLISH_CLUSTER}')"
        assert await page.evaluate(f"{node}.style('font-size')") == "14px"
        assert await page.evaluate(f"{node}.style('min-zoomed-font-size')") == "8px"
        assert await page.evaluate("explorer.cy.edges()[0].style('font-size')") == "10px"
        assert await page.evaluate("explorer.cy.maxZoom()") >= 4

        # One wheel notch zooms by a step one can see (Cytoscape's default), not 1%.
        box = await page.locator("#network").bounding_box()
        assert box is not None
        await page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        zoom = await page.evaluate("explorer.cy.zoom()")
        await page.mouse.wheel(0, -100)
        await page.wait_for_timeout(300)
        step = await page.evaluate("explorer.cy.zoom()") / zoom
        assert 1.05 < step < 1.6, step

        # Keyboard: the picture takes focus; + zooms, 0 fits.
        await page.focus("#network")
        zoom = await page.evaluate("explorer.cy.zoom()")
        await page.keyboard.press("+")
        assert await page.evaluate("explorer.cy.zoom()") > zoom

        # Every kind drawn has its own colour and shape, and the legend shows each of them.
        kinds = await page.evaluate(
            "[...new Set(explorer.cy.nodes(':childless').map(n => [n.data('kind'), n.data('colour'),"
            " n.data('shape')].join(' ')))]"
        )
        assert len(kinds) == len({k.split()[0] for k in kinds}) == len({k.split()[1] for k in kinds})
        legend = set(await page.locator("#legend li").evaluate_all("ls => ls.map(l => l.dataset.kind)"))
        assert {k.split()[0] for k in kinds} <= legend
        assert errors == []


async def _as_editor(service_url: str, token: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=service_url, timeout=30) as client:
        answer = await client.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
    body: dict[str, Any] = answer.json()
    assert "errors" not in body, body
    return body


async def test_the_view_follows_a_curator_s_changes_without_a_reload(service_url: str, graph: Graph) -> None:
    editor = (await create_key(graph, "test-live-explorer", Role.ADMIN)).token  # deleting needs an admin
    try:
        async with chromium() as browser:
            page, errors = await open_page(browser, f"{service_url}/explore?key={POLISH_CLUSTER}")
            shown = await drawn(page)
            renamed, gone = sorted(k for k in shown if k.startswith("organisation:"))[:2]
            # A rename shows on the node drawn; a deletion takes the node away.
            await _as_editor(
                service_url,
                editor,
                'mutation($k: String!, $p: JSON!) { updateEntity(key: $k, properties: $p, sources: ["source:s1"]) { name } }',
                {"k": renamed, "p": {"name": "Renamed live"}},
            )
            await wait_until(
                page, f"explorer.cy.getElementById('{renamed}').data('label').startsWith('Renamed live')"
            )
            await _as_editor(
                service_url,
                editor,
                'mutation($k: String!) { deleteEntity(key: $k, sources: ["source:s1"]) { __typename } }',
                {"k": gone},
            )
            await wait_until(page, f"explorer.cy.getElementById('{gone}').empty()")
            assert await page.evaluate("performance.getEntriesByType('navigation').length") == 1
            assert errors == []
    finally:
        await reset_graph(graph)
