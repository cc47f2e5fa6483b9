"""Persisted queries: GraphQL a client names by the SHA-256 of its text (Apollo's protocol).

A request may carry `extensions={"persistedQuery":{"version":1,"sha256Hash":…}}` instead
of, or with, its document, over GET (short, cacheable URLs) or POST:

- a hash alone that the service knows is answered with its document;
- a hash alone it does not know gets PERSISTED_QUERY_NOT_FOUND, and the client retries
  with the document and the hash: the SHA-256 of the text is checked, the document is
  remembered (a bounded LRU per worker; the compile cache keeps its validated form) and
  answered;
- with `CLUSTERGRAPH_TRUSTED_DOCUMENTS=true` only registered documents are served: those
  checked in under `http/persisted/` (the widget's build reads the same files for their
  hashes), by hash or by text; anything else is PERSISTED_QUERY_NOT_ALLOWED.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from clustergraph.errors import (
    PersistedQueryError,
    PersistedQueryForbidden,
    PersistedQueryMismatch,
    PersistedQueryNotFound,
)
from clustergraph.execution.compile import LRU

PERSISTED_DIR = Path(__file__).with_name("persisted")
REMEMBERED = 2000

__all__ = [
    "PersistedQueryError",
    "document_hash",
    "documents",
    "hash_of",
    "lookup",
    "requested_hash",
    "resolve",
]

_remembered: LRU[str, str] = LRU(REMEMBERED)


def document_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def documents() -> dict[str, str]:
    """Hash -> document text, for every file under http/persisted/."""
    found = {}
    for path in sorted(PERSISTED_DIR.glob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        found[document_hash(text)] = text
    return found


def hash_of(name: str) -> str:
    """The hash of the document in `http/persisted/<name>.graphql`."""
    return document_hash((PERSISTED_DIR / f"{name}.graphql").read_text(encoding="utf-8"))


def requested_hash(extensions: str | dict[str, Any] | None) -> str | None:
    """The hash a request's `extensions` names (a JSON text over GET), or None when it names none."""
    if not extensions:
        return None
    try:
        value = json.loads(extensions) if isinstance(extensions, str) else extensions
        persisted = value.get("persistedQuery")
    except (ValueError, AttributeError) as error:
        raise PersistedQueryError("`extensions` must be a JSON object") from error
    if persisted is None:
        return None
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise PersistedQueryError("persistedQuery must be {version: 1, sha256Hash: <hex>}")
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or not sha256:
        raise PersistedQueryError("persistedQuery must be {version: 1, sha256Hash: <hex>}")
    return sha256.lower()


def lookup(sha256: str) -> str:
    """The document a known hash names (registered, or remembered from an earlier request)."""
    found = documents().get(sha256) or _remembered.peek(sha256)
    if found is None:
        raise PersistedQueryNotFound(sha256[:80])
    return found


def resolve(query: str | None, extensions: str | dict[str, Any] | None, trusted_only: bool) -> str | None:
    """The document to run for a request's `query` and `extensions` (None: it gives none)."""
    sha256 = requested_hash(extensions)
    if sha256 is None:
        if query is not None and trusted_only and document_hash(query) not in documents():
            raise PersistedQueryForbidden()
        return query
    if query is None:
        return lookup(sha256)
    if document_hash(query) != sha256:
        raise PersistedQueryMismatch()
    if sha256 not in documents():
        if trusted_only:
            raise PersistedQueryForbidden()
        _remembered.put(sha256, query)
    return query
