"""Headless Chromium (Debian's package) driven by Playwright, for tests of the pages."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from playwright.async_api import Browser, Page, async_playwright

from clustergraph.paths import PROJECT_ROOT

ARTIFACTS = PROJECT_ROOT / "artifacts"
# Without these, Chromium keeps calling hosts this machine cannot reach.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise RuntimeError("Chromium is missing: scripts/setup installs it (apt-get install chromium)")
    return found


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            await browser.close()


def screenshot_path(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{name}.png"


async def wait_until(page: Page, expression: str, timeout: float = 30.0) -> None:
    """Poll a JavaScript expression until it is truthy.

    Playwright's wait_for_function compiles its predicate with eval inside the page, which
    the pages' Content-Security-Policy rightly forbids; page.evaluate is not subject to it.
    """
    deadline = time.monotonic() + timeout
    while not await page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout:.0f} s: {expression}")
        await asyncio.sleep(0.1)
