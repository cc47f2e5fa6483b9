"""Helpers of the ingestion tests: the seed article as a page, pages served on loopback, the seed's facts."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from clustergraph.paths import PROJECT_ROOT, SEED_DIR
from tests.support import serve

SEED_ARTICLE = PROJECT_ROOT.parent / "shared" / "reference" / "seed-article-pl.txt"
ARTICLE_SOURCE = "source:s1"


def seed_article_text() -> str:
    return SEED_ARTICLE.read_text(encoding="utf-8")


def seed_article_html() -> str:
    """The seed article as a news page: a menu, the article, a footer (the text is the article's own)."""
    title, _, body = seed_article_text().partition("\n")
    paragraphs = "\n".join(f"<p>{html.escape(p.strip())}</p>" for p in body.split("\n") if p.strip())
    return f"""<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta name="date" content="2013-02-12"></head><body>
<nav><a href="/">Strona główna</a> <a href="/aktualnosci">Aktualności</a> <a href="/kontakt">Kontakt</a></nav>
<article><h1>{html.escape(title)}</h1>
{paragraphs}
</article>
<footer>Śląski Klaster Transplantologii Szpiku · wszelkie prawa zastrzeżone</footer>
</body></html>"""


EMPTY_PAGE = """<!doctype html><html><head><title>Galeria</title></head><body>
<nav><a href="/">Start</a> <a href="/galeria">Galeria</a></nav><img src="a.jpg" alt=""></body></html>"""


@contextmanager
def pages() -> Iterator[str]:
    """A small site on 127.0.0.1: the seed article, a page without main text, a PNG, a redirect."""

    async def article(request: Request) -> Response:
        return HTMLResponse(seed_article_html())

    async def empty(request: Request) -> Response:
        return HTMLResponse(EMPTY_PAGE)

    async def image(request: Request) -> Response:
        return Response(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, media_type="image/png")

    async def redirect(request: Request) -> Response:
        return RedirectResponse(request.query_params["to"], status_code=302)

    app = Starlette(
        routes=[
            Route("/article", article),
            Route("/empty", empty),
            Route("/image.png", image),
            Route("/redirect", redirect),
        ]
    )
    with serve(app) as url:
        yield url


def seed_rows() -> list[dict]:  # type: ignore[type-arg]
    rows = []
    for path in sorted(Path(SEED_DIR).glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def article_facts() -> tuple[set[str], set[tuple[str, str, str]]]:
    """What the seed says the article states: the entities and relationships citing it."""
    entities = {r["key"] for r in seed_rows() if r["type"] == "node" and ARTICLE_SOURCE in r["sources"]}
    rels = {
        (r["rel"], r["from"], r["to"])
        for r in seed_rows()
        if r["type"] == "relationship" and ARTICLE_SOURCE in r["sources"]
    }
    return entities, rels
