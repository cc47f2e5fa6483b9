"""The explorer page, the widget's script and its iframe embed page.

Their scripts are built from `web/src/` into `web/dist/` by `scripts/setup`
(`npm run build`); the service serves them itself, nothing comes from elsewhere.
"""

from __future__ import annotations

import html
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response

from clustergraph.errors import BadUserInput, NotFound, to_http_response
from clustergraph.http.cors import frame_ancestors
from clustergraph.http.csp import HTML_SECURITY_HEADERS, policy_for
from clustergraph.paths import PROJECT_ROOT
from clustergraph.settings import Settings

DIST = PROJECT_ROOT / "web" / "dist"

# The only built files served under /assets: name -> media type.
BUILT_ASSETS: dict[str, str] = {"explorer.js": "text/javascript", "explorer.css": "text/css"}


def built_asset(name: str) -> tuple[Path, str] | None:
    if name not in BUILT_ASSETS:
        return None
    return DIST / name, BUILT_ASSETS[name]


EXPLORER_HTML = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>clustergraph · explorer</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/assets/explorer.css">
</head>
<body>
  <div id="explorer">Loading the explorer… (if this stays, run scripts/setup to build the web assets)</div>
  <script src="/assets/explorer.js"></script>
</body>
</html>
"""


EXPLORER_HEADERS = {**HTML_SECURITY_HEADERS, "Content-Security-Policy": policy_for(EXPLORER_HTML)}


async def explorer(request: Request) -> Response:
    return HTMLResponse(EXPLORER_HTML, headers=EXPLORER_HEADERS)


async def widget_script(request: Request) -> Response:
    path = DIST / "widget.js"
    if not path.exists():
        return to_http_response(NotFound("the widget is not built (run scripts/setup)"))
    # Short-lived: partner pages pick up a new widget within the hour.
    return FileResponse(path, media_type="text/javascript", headers={"Cache-Control": "public, max-age=3600"})


def embed_snippet(service: str, key: str) -> str:
    """What a partner site pastes where the widget should appear."""
    entity = html.escape(key, quote=True)
    return (
        f'<script src="{service}/widget.js" async></script>\n'
        f'<clustergraph-partners entity="{entity}"></clustergraph-partners>'
    )


def iframe_snippet(service: str, key: str) -> str:
    """The same for sites that frame the embed page: full width, as tall as its content.

    The script is optional: with it, the embed page's reported height sets the frame's.
    """
    entity = html.escape(key, quote=True)
    return (
        f'<iframe src="{service}/embed?entity={entity}" title="Cooperation network"\n'
        '        style="width:100%;height:480px;border:0"></iframe>\n'
        f'<script src="{service}/widget.js" async></script>'
    )


def embed_html(key: str) -> str:
    entity = html.escape(key, quote=True)
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>clustergraph · {entity}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <style>html, body {{ margin: 0; }}</style>
</head>
<body>
  <clustergraph-partners entity="{entity}"></clustergraph-partners>
  <script src="/widget.js"></script>
</body>
</html>
"""


async def embed(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    key = request.query_params.get("entity", "")
    if not key:
        return to_http_response(BadUserInput("name an entity: /embed?entity=<key>", "entity"))
    page = embed_html(key)
    # Framing is the point of this page: no X-Frame-Options, and CSP names who may frame it.
    headers = {name: value for name, value in HTML_SECURITY_HEADERS.items() if name != "X-Frame-Options"}
    headers["Content-Security-Policy"] = policy_for(page, frame_ancestors=frame_ancestors(settings))
    return HTMLResponse(page, headers=headers)
