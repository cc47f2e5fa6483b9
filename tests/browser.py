"""Headless Chromium (Debian's package) driven by Playwright, for tests of the pages."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Frame, Page, async_playwright

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


AXE = PROJECT_ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA, and axe's best practices.
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


async def axe_violations(target: Page | Frame) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on a page or frame (axe from web/node_modules).

    Evaluated rather than added as a script tag, so the page's Content-Security-Policy
    stays as it is. Frames are audited on their own (`iframes: false`).
    """
    await target.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    found: list[dict[str, Any]] = await target.evaluate(
        """async rules => {
          const result = await axe.run(document, { runOnly: rules, iframes: false });
          return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))
          }));
        }""",
        AXE_RULES,
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]
