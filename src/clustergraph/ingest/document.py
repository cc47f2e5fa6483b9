"""Reading an article: a page fetched by URL, an HTML file or a text file, into its text and metadata.

Everything that can be wrong with the input is found here, before anything is written: a URL
that does not answer, a file too large, bytes that are not text, a page without a main text, a
language the service does not cover.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import trafilatura
from trafilatura.settings import Document

from clustergraph.ingest import addresses, language
from clustergraph.ingest.bounds import FETCH_TIMEOUT, MAX_BYTES
from clustergraph.settings import Network
from clustergraph.translate.plan import BadInput

MIN_TEXT = 80  # characters of main text below which a page is taken to have none
_HTML = re.compile(rb"<(!doctype\s+html|html|head|body|p|div|article)[\s>]", re.IGNORECASE)


class IngestError(BadInput):
    """Input that cannot become an article; the message says why. Nothing has been written."""


@dataclass(frozen=True)
class Article:
    text: str
    title: str
    language: str
    url: str | None
    date: str | None  # ISO date the page states, when it states one
    publisher: str | None

    @property
    def digest(self) -> str:
        """Tells one article from another: its URL where it has one, else its text."""
        return hashlib.sha256((self.url or self.text).encode()).hexdigest()


async def fetch(url: str, guard: tuple[Network, ...] | None = None) -> tuple[bytes, str]:
    """The body and media type at `url`, at most MAX_BYTES of it.

    With a `guard` (what an API request gets), every connection, redirects' included, goes
    only to public addresses or to the networks listed in it; without one (the operator's
    own `clustergraph ingest`), to any address the machine reaches.
    """
    http_url(url)
    transport = None if guard is None else addresses.GuardedTransport(guard)
    try:
        async with (
            httpx.AsyncClient(
                timeout=FETCH_TIMEOUT,
                follow_redirects=True,
                max_redirects=5,
                transport=transport,
                # A proxy from the environment would be the only address the guard sees.
                trust_env=guard is None,
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise IngestError(f"{url} answered HTTP {response.status_code}")
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > MAX_BYTES:
                    raise IngestError(f"{url} is larger than {MAX_BYTES // (1024 * 1024)} MB")
            return bytes(body), response.headers.get("content-type", "")
    except (httpx.HTTPError, httpx.InvalidURL, UnicodeError) as error:
        # UnicodeError: a host name the IDNA codec cannot encode, met when it is resolved.
        raise IngestError(f"{_shown(url)} could not be fetched: {type(error).__name__}: {error}") from None


def http_url(url: str) -> httpx.URL:
    """`url` parsed as an http(s) URL with a host; IngestError saying what is wrong otherwise."""
    try:
        parsed = httpx.URL(url)
        host = parsed.host  # decoded from IDNA: an A-label that does not decode raises here
    except (httpx.InvalidURL, UnicodeError) as error:
        raise IngestError(f"{_shown(url)} is not a valid URL: {error}") from None
    if parsed.scheme not in ("http", "https") or not host:
        raise IngestError(f"{_shown(url)} is not an http(s) URL with a host")
    return parsed


def _shown(url: str) -> str:
    # A URL as a message quotes it: escaped, and cut where it is longer than any real one.
    return repr(url if len(url) <= 300 else url[:300] + "…")


def read_file(path: Path) -> bytes:
    if not path.is_file():
        raise IngestError(f"{path} is not a file")
    if path.stat().st_size > MAX_BYTES:
        raise IngestError(f"{path} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    return path.read_bytes()


def is_html(body: bytes, media_type: str = "") -> bool:
    return "html" in media_type or bool(_HTML.search(body[:4096]))


def _decode_text(body: bytes, name: str) -> str:
    if b"\x00" in body[:8192]:
        raise IngestError(f"{name} is a binary file, not an article (HTML or text)")
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IngestError(f"{name} is neither HTML nor UTF-8 text") from None


def parse(body: bytes, name: str, url: str | None = None, media_type: str = "") -> Article:
    """The article in `body`: main text and metadata of a page, or a text file whose first line is its title."""
    if len(body) > MAX_BYTES:
        raise IngestError(f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if media_type and not any(t in media_type for t in ("html", "text/", "xml")):
        raise IngestError(f"{name} is {media_type.split(';')[0]}, not an article (HTML or text)")
    raw = _decode_text(body, name)
    title: str | None = None
    date = publisher = None
    if is_html(body, media_type):
        doc = trafilatura.bare_extraction(raw, url=url, with_metadata=True, include_comments=False)
        found: dict[str, Any] = doc.as_dict() if isinstance(doc, Document) else {}
        text = (found.get("text") or "").strip()
        title, date = found.get("title"), found.get("date")
        publisher = found.get("sitename") or found.get("author")
    else:
        text = raw.strip()
        first = text.split("\n", 1)[0].strip()
        title = first if len(first) <= 300 else None
    # One form of each letter (NFC), as stored strings must be: spans then count the same characters.
    text = unicodedata.normalize("NFC", text)
    title = unicodedata.normalize("NFC", title) if title else None
    if len(text) < MIN_TEXT:
        raise IngestError(f"{name} has no main text (found {len(text)} characters of it)")
    code = language.detect(text)
    if code not in language.COVERED:
        raise IngestError(
            f"{name} is in a language the service does not cover ({code or 'unknown'}); "
            f"covered: {', '.join(language.COVERED)}"
        )
    return Article(text, (title or text[:80]).strip(), code, url, date, publisher)


async def read(item: str) -> Article:
    """A URL or a file path, as the command line names it."""
    if re.match(r"[a-z]+://", item):
        body, media_type = await fetch(item)
        return parse(body, item, url=item, media_type=media_type)
    path = Path(item)
    return parse(read_file(path), str(path))
