"""GraphiQL in a real headless Chromium: it opens with the examples and runs them against the graph."""

from tests.browser import chromium, screenshot_path, wait_until


async def test_graphiql_opens_with_examples_and_runs_the_path_query(service_url: str) -> None:
    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.goto(f"{service_url}/graphql")
        await page.wait_for_selector(".graphiql-container", timeout=30_000)
        await wait_until(
            page,
            "document.querySelector('.graphiql-query-editor').innerText.includes('cooperationPaths')",
            timeout=30,
        )
        tabs = await page.locator(".graphiql-tab").count()
        await page.click(".graphiql-execute-button")
        await wait_until(
            page,
            "document.querySelector('.result-window') && "
            "document.querySelector('.result-window').innerText.includes('borderCrossings')",
            timeout=30,
        )
        result = await page.locator(".result-window").inner_text()
        await page.screenshot(path=str(screenshot_path("graphiql")))
        assert tabs >= 8
        assert '"CZ"' in result and '"PL"' in result
        assert errors == []
