"""The explorer's path fields in a real headless Chromium (issue 12): a suggestion picked
from the search stands for its entity (the request carries its key), a full name typed
without picking is taken as it is, a name that is no entity's is refused with the keys
search finds, and no highlighted path passes a node twice."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Page, Request

from tests.browser import axe_violations, chromium, screenshot_path, wait_until

BIELSKO = "organisation:rda-bielsko-biala"
BIELSKO_NAME = "Agencja Rozwoju Regionalnego S.A. w Bielsku-Białej"
BESKIDY = "cluster:euroregion-beskidy"
BESKIDY_NAME = "Klaster Euroregion Beskidy"
READY = "window.explorer && document.body.dataset.state === 'ready'"


async def pick(page: Page, field: str, typed: str, key: str) -> None:
    """Type into a path field and choose `key` from its suggestions by keyboard."""
    await page.fill(f"#{field}", typed)
    await page.wait_for_selector(f'#{field}-results li[data-key="{key}"]', timeout=30_000)
    keys = await page.locator(f"#{field}-results [role=option]").evaluate_all(
        "os => os.map(o => o.dataset.key)"
    )
    for _ in range(keys.index(key) + 1):
        await page.press(f"#{field}", "ArrowDown")
    await page.press(f"#{field}", "Enter")


async def type_only(page: Page, field: str, text: str, suggested: str) -> None:
    """Type a whole name, see the suggestions come, and leave them without choosing."""
    await page.fill(f"#{field}", text)
    await page.wait_for_selector(f'#{field}-results li[data-key="{suggested}"]', timeout=30_000)
    await page.press(f"#{field}", "Escape")
    assert await page.locator(f"#{field}-results").is_hidden()


async def test_path_fields_take_a_picked_suggestion_or_a_typed_name(service_url: str) -> None:
    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        sent: list[dict[str, Any]] = []

        def record(request: Request) -> None:
            if request.url.endswith("/graphql") and request.method == "POST":
                body = request.post_data_json
                if "cooperationPaths" in body["query"]:
                    sent.append(body["variables"])

        page.on("request", record)
        await page.goto(f"{service_url}/explore?key={BESKIDY}")
        await wait_until(page, READY)

        await pick(page, "path-from", "bielsk", BIELSKO)
        assert await page.input_value("#path-from") == BIELSKO_NAME
        assert await page.get_attribute("#path-from", "aria-expanded") == "false"
        await type_only(page, "path-to", BESKIDY_NAME, BESKIDY)
        await page.click("#find-paths")
        await page.wait_for_selector("#path-list", timeout=30_000)
        await wait_until(page, READY)
        assert sent[-1] == {"from": BIELSKO, "to": BESKIDY_NAME, "crossBorderOnly": False}

        # No highlighted path passes a node twice, in the picture or in the list.
        found = await page.evaluate("explorer.paths.found.map(p => p.nodes.map(n => n.key))")
        assert found
        for keys in found:
            assert len(set(keys)) == len(keys), keys
            assert keys[0] == BIELSKO and keys[-1] == BESKIDY
        listed = await page.locator("#path-list > li").evaluate_all(
            "ls => ls.map(l => [...l.querySelectorAll('ol > li')].map(i => i.firstChild.textContent))"
        )
        assert [len(names) for names in listed] == [len(keys) for keys in found]
        assert all(len(set(names)) == len(names) for names in listed)
        await page.screenshot(path=str(screenshot_path("explorer-path-by-name")))

        # Cross-border only: these two Polish actors leave Poland only through Clusters-Cord
        # and come back through it, so no simple path crosses a border (each used to pass
        # Clusters-Cord twice).
        await page.check("#cross-border")
        await page.click("#find-paths")
        await page.wait_for_selector("#paths .none", timeout=30_000)
        await wait_until(page, READY)
        assert sent[-1]["crossBorderOnly"] is True
        assert await page.evaluate("explorer.paths.found.length") == 0
        await page.uncheck("#cross-border")

        # A name no entity has: refused, and the message names what search finds.
        await type_only(page, "path-to", "Euroregion Beskidy", BESKIDY)
        await page.click("#find-paths")
        await wait_until(page, "document.body.dataset.state === 'error'")
        status = await page.inner_text("#status")
        assert "Euroregion Beskidy" in status and BESKIDY in status, status

        # "Path to here" fills the field with the selected entity: its name shown, its key sent.
        await page.evaluate(f"explorer.select('{BESKIDY}')")
        await page.click("#path-to-here")
        assert await page.input_value("#path-to") == BESKIDY_NAME
        await page.click("#find-paths")
        await wait_until(page, READY)
        await page.wait_for_selector("#path-list", timeout=30_000)
        assert sent[-1] == {"from": BIELSKO, "to": BESKIDY, "crossBorderOnly": False}

        assert await axe_violations(page) == []
        assert errors == []
