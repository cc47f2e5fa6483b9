"""The explorer's article view in a real headless Chromium: proposals highlighted in the article's text."""

from __future__ import annotations

from playwright.async_api import Page

from clustergraph.auth.identity import Role
from clustergraph.graph.db import Graph
from clustergraph.ingest import document, review, store
from tests.browser import chromium, screenshot_path, wait_until
from tests.curation.ingest_support import SEED_ARTICLE


async def marked(page: Page) -> list[dict[str, str]]:
    return await page.evaluate(
        "[...document.querySelectorAll('#text mark')].map(m => ({text: m.textContent, ids: m.dataset.proposals}))"
    )


async def test_an_articles_proposals_are_highlighted_in_its_text(
    restore: Graph, service_url: str, tokens: dict[Role, str]
) -> None:
    await restore.write("MATCH ()-[r]->() WHERE 'source:s1' IN r.sources DELETE r")
    article = document.parse(SEED_ARTICLE.read_bytes(), SEED_ARTICLE.name)
    done = await store.ingest(restore, "test:page", article)
    proposals = await review.list_proposals(restore, "OPEN", done.source, 1000)
    represents = next(
        p for p in proposals if p["rel"] == "REPRESENTS" and p["from"] == "person:kinga-skalacka"
    )

    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 1200, "height": 1400})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.goto(f"{service_url}/explore/article?key={done.source}")
        await page.fill("#token", tokens[Role.EDITOR])
        await page.click("button[type=submit]")
        await wait_until(page, "document.body.dataset.state === 'ready'")

        assert await page.text_content("#title") == article.title
        marks = await marked(page)
        # The highlighted pieces, put together, are exactly the text the proposals cover.
        covered = {i for p in proposals for i in range(p["start"], p["end"])}
        assert sum(len(m["text"]) for m in marks) == len(covered)
        assert "".join(m["text"] for m in marks if represents["id"] in m["ids"].split()) == represents["text"]
        items = await page.locator("#proposals li").count()
        assert items == len(proposals)

        # Choosing a proposal in the list marks its span in the text.
        await page.click(f'#proposals li[data-id="{represents["id"]}"]')
        active = await page.evaluate(
            "[...document.querySelectorAll('#text mark.active')].map(m => m.textContent)"
        )
        assert "".join(active) == represents["text"]
        await page.screenshot(path=str(screenshot_path("article-proposals")), full_page=True)
        assert errors == []


async def test_the_article_view_says_when_the_key_is_not_an_editors(
    restore: Graph, service_url: str, tokens: dict[Role, str]
) -> None:
    async with chromium() as browser:
        page = await browser.new_page()
        await page.goto(f"{service_url}/explore/article?key=source:s1")
        await page.fill("#token", tokens[Role.READER])
        await page.click("button[type=submit]")
        await wait_until(page, "document.body.dataset.state === 'error'")
        assert "needs the role editor" in (await page.text_content("#proposals") or "")
