"""A Content-Security-Policy that the HTML pages the service serves satisfy.

The policy is derived from the page itself: the origins of the scripts and styles it
loads, and the hashes of its inline scripts and styles. So it stays exact when the
page (GraphiQL, shipped by Strawberry) changes with an upgrade, and nothing else runs.
"""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_EXTERNAL = re.compile(r'<(script|link)\b[^>]*?\b(?:src|href)="(https://[^"]+)"', re.S)


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _origins(html: str, tag: str) -> list[str]:
    origins = {
        f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
        for kind, url in _EXTERNAL.findall(html)
        if kind == tag
    }
    return sorted(origins)


def policy_for(html: str, frame_ancestors: str = "'none'") -> str:
    scripts = [_hash(s) for s in _INLINE_SCRIPT.findall(html)] + _origins(html, "script")
    directives = {
        "default-src": ["'none'"],
        "script-src": ["'self'", *scripts],
        # GraphiQL's editor sets style attributes at run time, so styles (never scripts) may be inline.
        "style-src": ["'self'", "'unsafe-inline'", *_origins(html, "link")],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:", *_origins(html, "link")],
        "connect-src": ["'self'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": [frame_ancestors],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


HTML_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
