"""A view of the explorer, shared and exported: its URL reopens the same picture (same
nodes, same places, the path search run again), and its exports hold exactly what is on
screen, where it is on screen, in the colours and sizes drawn."""

from __future__ import annotations

import io
import json

import networkx as nx
import pandas as pd
from playwright.async_api import Page

from tests.browser import chromium, wait_until
from tests.test_explorer_browser import READY, drawn, open_page, places

CENTER = "cluster:euroregion-beskidy"
PROJECT = "project:clusters-cord"
CZECH_LEAD = "organisation:rda-usti-region"


async def expand(page: Page, key: str) -> None:
    await page.evaluate("key => explorer.run('Expanding…', () => explorer.expand(key))", key)
    await wait_until(page, f"{READY} && explorer.expanded.includes('{key}')")


async def grow(page: Page) -> list[str]:
    """Four expansions of nodes on screen, as a user would make them."""
    chosen: list[str] = []
    for _ in range(4):
        key = await page.evaluate(
            """() => explorer.cy.nodes(':childless')
                 .filter(n => n.id() !== explorer.center && !explorer.expanded.includes(n.id()))
                 .sort((a, b) => a.id().localeCompare(b.id()))[0].id()"""
        )
        await expand(page, key)
        chosen.append(key)
    return chosen


async def test_the_link_reopens_the_same_picture_with_the_paths_searched_again(service_url: str) -> None:
    async with chromium() as browser:
        page, errors = await open_page(browser, f"{service_url}/explore?key={CENTER}&seed=7")
        await grow(page)
        await page.fill("#path-from", CENTER)
        await page.fill("#path-to", CZECH_LEAD)
        await page.click("#find-paths")
        await page.wait_for_selector("#path-list", timeout=30_000)
        await page.evaluate(f"explorer.select('{PROJECT}')")
        seen, where = await drawn(page), await places(page)

        # The copy-link button puts the view's URL on the clipboard.
        await page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        await page.click("#copy-link")
        link = await page.evaluate("navigator.clipboard.readText()")
        assert link == page.url and "expand=" in link and "seed=7" in link and "from=" in link

        again, more_errors = await open_page(browser, link)
        assert await drawn(again) == seen
        assert await again.evaluate("explorer.selected()") == PROJECT
        assert await again.locator("#path-list > li").count() >= 1
        assert CZECH_LEAD in await again.evaluate("explorer.cy.nodes('.on-path').map(n => n.id())")
        reopened = await places(again)
        assert max(abs(where[k][0] - reopened[k][0]) + abs(where[k][1] - reopened[k][1]) for k in seen) < 0.01
        assert errors == more_errors == []


async def test_the_exports_hold_what_is_on_screen(service_url: str) -> None:
    async with chromium() as browser:
        page, errors = await open_page(browser, f"{service_url}/explore?key={CENTER}")
        await grow(page)
        screen = await page.evaluate(
            """Object.fromEntries(explorer.cy.nodes(':childless').map(n =>
                 [n.id(), {x: n.position('x'), y: n.position('y'), colour: n.data('colour'), size: n.width()}]))"""
        )
        edges = sorted(
            await page.evaluate(
                "explorer.cy.edges().map(e => [e.source().id(), e.target().id(), e.data('type')].join(' '))"
            )
        )
        # More than the selected node's 2-hop neighbourhood: the view.
        assert len(screen) > 20

        files: dict[str, bytes] = {}
        for fmt in ["graphml", "gexf", "cyjs", "nodes.csv", "edges.csv"]:
            async with page.expect_download() as info:
                await page.click(f'#view-exports button[data-format="{fmt}"]')
            download = await info.value
            path = await download.path()
            assert download.suggested_filename.startswith("clustergraph-view.")
            files[fmt] = path.read_bytes()

        def same_edges(read: nx.MultiDiGraph) -> None:  # type: ignore[type-arg]
            found = sorted(f"{u} {v} {d['relationship']}" for u, v, d in read.edges(data=True))
            assert found == edges

        graphml = nx.read_graphml(io.BytesIO(files["graphml"]), force_multigraph=True)
        assert set(graphml.nodes) == set(screen)
        same_edges(graphml)
        for key, drawn_at in screen.items():
            data = graphml.nodes[key]
            assert (data["x"], data["y"], data["color"], data["size"]) == (
                drawn_at["x"],
                drawn_at["y"],
                drawn_at["colour"],
                drawn_at["size"],
            )
            # What Gephi's GraphML importer colours a node by.
            assert "#{:02x}{:02x}{:02x}".format(data["r"], data["g"], data["b"]) == drawn_at["colour"]

        gexf = nx.read_gexf(io.BytesIO(files["gexf"]))
        assert set(gexf.nodes) == set(screen)
        same_edges(gexf)
        for key, drawn_at in screen.items():
            viz = gexf.nodes[key]["viz"]
            assert abs(viz["position"]["x"] - drawn_at["x"]) < 1e-3
            assert abs(viz["position"]["y"] + drawn_at["y"]) < 1e-3  # Gephi's y points up
            colour = "#{:02x}{:02x}{:02x}".format(viz["color"]["r"], viz["color"]["g"], viz["color"]["b"])
            assert colour == drawn_at["colour"] and viz["size"] == drawn_at["size"]

        cyjs = json.loads(files["cyjs"])
        same_edges(nx.cytoscape_graph(cyjs))
        positions = {n["data"]["id"]: n["position"] for n in cyjs["elements"]["nodes"]}
        assert positions == {k: {"x": v["x"], "y": v["y"]} for k, v in screen.items()}
        assert any(rule["style"].get("background-color") == "data(color)" for rule in cyjs["style"])

        nodes_csv = pd.read_csv(io.BytesIO(files["nodes.csv"])).set_index("id")
        assert set(nodes_csv.index) == set(screen)
        assert all(nodes_csv.loc[k, "color"] == v["colour"] for k, v in screen.items())
        assert len(pd.read_csv(io.BytesIO(files["edges.csv"]))) == len(edges)
        assert errors == []
