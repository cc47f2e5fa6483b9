"""The explorer with large neighbourhoods of the synthetic network: a report, not a timed test.

Neighbourhoods of 200 and 2,000 nodes are cut (breadth first) from `clustergraph synth`'s
network and handed to the explorer's own drawing path (`explorer.load`, what opening an
entity does with the API's answer; the API's neighbourhood stops at 500 nodes). For each,
it reports the time to lay out and first paint, and the frame time while panning and
zooming, with Cytoscape's 2D canvas (performance options on, and at 200 nodes off) and with
its WebGL renderer. The figures go to artifacts/explorer-performance.json and
docs/explorer-performance.md.
"""

from __future__ import annotations

import json
import re
from collections import deque
from pathlib import Path
from typing import Any

import orjson
import pytest
from playwright.async_api import Browser, Page

from clustergraph_tools.synth.network import generate
from tests.browser import ARTIFACTS, chromium, wait_until

SIZES = (200, 2000)
LOAD = """async ({ center, nodes, edges, performance: on }) => {
  explorer.large = on ? 0 : Infinity;
  const start = performance.now();
  explorer.load(center, { nodes, edges });
  const laidOut = performance.now();
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const painted = performance.now();
  return {
    nodes: explorer.cy.nodes(':childless').length,
    edges: explorer.cy.edges().length,
    listed: document.querySelectorAll('#view-nodes li').length,
    renderer: document.body.dataset.renderer,
    placed: explorer.cy.nodes(':childless').map((n) => [n.id(), n.position('x'), n.position('y')]),
    layoutMs: laidOut - start,
    firstPaintMs: painted - start,
  };
}"""
# A point of the canvas that no node or country box covers: a drag that starts there pans
# the view (one that starts on a node moves the node).
EMPTY_SPOT = """() => {
  const box = explorer.ui.network.getBoundingClientRect();
  const covered = explorer.cy.nodes().map((n) => n.renderedBoundingBox());
  for (let y = 60; y < box.height / 2; y += 8) {
    for (let x = 60; x < box.width / 2; x += 8) {
      if (!covered.some((b) => x >= b.x1 - 4 && x <= b.x2 + 4 && y >= b.y1 - 4 && y <= b.y2 + 4)) {
        return { x: box.left + x, y: box.top + y };
      }
    }
  }
  return null;
}"""
# Frame intervals (requestAnimationFrame to requestAnimationFrame) and Cytoscape's redraws
# while the pointer gestures below run: what a user sees as the frame rate.
RECORD = """() => {
  const record = { frames: [], draws: 0, restyled: 0, stop: false };
  window.frameRecord = record;
  record.onRender = () => { record.draws += 1; };
  record.onStyle = () => { record.restyled += 1; };
  explorer.cy.on('render', record.onRender);
  explorer.cy.on('style', record.onStyle);
  let last = performance.now();
  const tick = (now) => {
    record.frames.push(now - last);
    last = now;
    if (!record.stop) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""
FRAMES = """async () => {
  const record = window.frameRecord;
  await new Promise((done) => requestAnimationFrame(done));
  record.stop = true;
  explorer.cy.off('render', record.onRender);
  explorer.cy.off('style', record.onStyle);
  const frames = record.frames.slice(1).sort((a, b) => a - b);
  return {
    frames: frames.length,
    // Cytoscape's WebGL renderer does not announce its frames.
    redraws: document.body.dataset.renderer === 'canvas' ? record.draws : null,
    frameMeanMs: frames.reduce((a, b) => a + b, 0) / frames.length,
    frameP95Ms: frames[Math.floor(frames.length * 0.95)],
    frameMaxMs: frames[frames.length - 1],
    restyled: record.restyled,
  };
}"""
DRAG_STEPS = 40
WHEEL_NOTCHES = 10


def _kind(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


def neighbourhoods(folder: Path) -> dict[int, dict[str, Any]]:
    rows = [orjson.loads(line) for file in sorted(folder.glob("*.jsonl")) for line in file.open("rb")]
    entities = {r["key"]: r for r in rows if r["type"] == "node" and r["kind"] != "Source"}
    links = [r for r in rows if r["type"] == "relationship" and r["from"] in entities and r["to"] in entities]
    around: dict[str, list[str]] = {}
    for r in links:
        around.setdefault(r["from"], []).append(r["to"])
        around.setdefault(r["to"], []).append(r["from"])
    center = max((k for k in entities if k.startswith("cluster:")), key=lambda k: len(around.get(k, [])))
    order, queue, seen = [], deque([center]), {center}
    while queue and len(order) < max(SIZES):
        key = queue.popleft()
        order.append(key)
        for other in sorted(around.get(key, [])):
            if other not in seen:
                seen.add(other)
                queue.append(other)
    found = {}
    for size in SIZES:
        kept = set(order[:size])
        nodes = [
            {
                "key": key,
                "name": entities[key]["properties"]["name"],
                "kind": _kind(entities[key]["kind"]),
                "countryCode": entities[key]["properties"].get("country"),
                "sources": [{"key": "source:synthetic", "name": "Synthetic network generator"}],
            }
            for key in order[:size]
        ]
        edges = [
            {"id": f"e{i}", "type": r["rel"], "from": r["from"], "to": r["to"], "role": None}
            for i, r in enumerate(links)
            if r["from"] in kept and r["to"] in kept
        ]
        found[size] = {"center": center, "nodes": nodes, "edges": edges}
    return found


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> dict[int, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("synth-explorer")
    generate(folder, seed=7, scale=0.01)
    return neighbourhoods(folder)


# (renderer, size, performance options): Cytoscape's 2D canvas both ways at 200 nodes and
# with the options (the explorer's choice) at 2,000; its WebGL renderer, which ignores the
# canvas options, at both sizes.
RUNS = (
    ("canvas", 200, True),
    ("canvas", 200, False),
    ("canvas", 2000, True),
    ("webgl", 200, True),
    ("webgl", 2000, True),
)


async def pan_and_zoom(page: Page) -> dict[str, Any]:
    """Drag the view across empty canvas, then wheel-zoom in and out, as a user does.

    Real input events, not `cy.panBy`: Cytoscape's performance options act only while the
    user drags, pinches or wheels (they keep a texture of the picture and hide edges then).
    """
    spot = await page.evaluate(EMPTY_SPOT)
    assert spot is not None, "no empty spot on the canvas to start a drag from"
    await page.evaluate(RECORD)
    await page.mouse.move(spot["x"], spot["y"])
    await page.mouse.down()
    for step in range(1, DRAG_STEPS + 1):
        await page.mouse.move(spot["x"] + 6 * step, spot["y"] + 4 * step)
    await page.mouse.up()
    for notch in range(2 * WHEEL_NOTCHES):
        await page.mouse.wheel(0, -100 if notch < WHEEL_NOTCHES else 100)
    figures: dict[str, Any] = await page.evaluate(FRAMES)
    return figures


async def measure(
    browser: Browser,
    service_url: str,
    renderer: str,
    runs: list[tuple[int, bool]],
    synthetic: dict[int, dict[str, Any]],
) -> list[dict[str, Any]]:
    page = await browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # The explorer's own override of its automatic choice (software GL gets the 2D canvas).
    await page.add_init_script(f"localStorage.setItem('clustergraph.explorer.renderer', '{renderer}')")
    await page.goto(f"{service_url}/explore")
    await wait_until(page, "window.explorer && document.body.dataset.state === 'ready'")
    assert await page.evaluate("document.body.dataset.renderer") == renderer
    report = []
    for size, performance in runs:
        figures = await page.evaluate(LOAD, {**synthetic[size], "performance": performance})
        figures.update(await pan_and_zoom(page))
        # Panning and zooming change no element; restyling them per frame (a Cytoscape bug
        # the explorer's style works around) made 2,000-node frames take half a second.
        assert figures.pop("restyled") == 0
        placed = figures.pop("placed")
        # Seeded: the same elements, styles and seed give the same picture, whatever draws it.
        assert synthetic[size].setdefault(f"placed-{performance}", placed) == placed
        assert figures["nodes"] == figures["listed"] == len(synthetic[size]["nodes"]) == size
        assert figures["edges"] == len(synthetic[size]["edges"])
        report.append({"size": size, "performanceOptions": performance, **figures})
        print(
            f"{size} nodes, {figures['edges']} edges, {renderer}, performance options {'on' if performance else 'off'}: "
            f"layout {figures['layoutMs']:.0f} ms, first paint {figures['firstPaintMs']:.0f} ms, "
            f"{figures['frames']} frames ({figures['redraws'] if figures['redraws'] is not None else 'unknown'} redraws) "
            "while dragging and wheel-zooming: "
            f"mean {figures['frameMeanMs']:.1f} ms, p95 {figures['frameP95Ms']:.1f} ms, max {figures['frameMaxMs']:.1f} ms"
        )
    assert errors == []
    await page.close()
    return report


async def test_report_frame_time_and_first_paint_for_200_and_2000_nodes(
    service_url: str, synthetic: dict[int, dict[str, Any]]
) -> None:
    report = []
    async with chromium() as browser:
        for renderer in ("canvas", "webgl"):
            runs = [(size, performance) for name, size, performance in RUNS if name == renderer]
            report += await measure(browser, service_url, renderer, runs, synthetic)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "explorer-performance.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
