"""Persisted query documents: GraphQL a client names by the SHA-256 of its text.

A GET request can then carry a short hash instead of a whole document (the form of
Apollo's persisted queries: `extensions={"persistedQuery":{"version":1,"sha256Hash":…}}`),
which keeps widget URLs short and cacheable. Only documents checked in under
`api/persisted/` are known; the widget's build reads the same files for their hashes.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

PERSISTED_DIR = Path(__file__).with_name("persisted")


class PersistedQueryError(Exception):
    """The request names a persisted document badly or names none this service knows."""


def document_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def documents() -> dict[str, str]:
    """Hash -> document text, for every file under api/persisted/."""
    found = {}
    for path in sorted(PERSISTED_DIR.glob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        found[document_hash(text)] = text
    return found


def hash_of(name: str) -> str:
    """The hash of the document in `api/persisted/<name>.graphql`."""
    return document_hash((PERSISTED_DIR / f"{name}.graphql").read_text(encoding="utf-8"))


def requested_hash(extensions: str | None) -> str | None:
    """The hash a request's `extensions` parameter names, or None when it names none."""
    if not extensions:
        return None
    try:
        persisted = json.loads(extensions).get("persistedQuery")
    except (ValueError, AttributeError) as error:
        raise PersistedQueryError("`extensions` must be a JSON object") from error
    if persisted is None:
        return None
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise PersistedQueryError("persistedQuery must be {version: 1, sha256Hash: <hex>}")
    return str(persisted.get("sha256Hash") or "")


def lookup(sha256: str) -> str:
    try:
        return documents()[sha256]
    except KeyError:
        raise PersistedQueryError(f"no persisted query with hash {sha256[:80]!r}") from None
