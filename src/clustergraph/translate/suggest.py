"""Unknown keys: the one place that says an argument's key names no entity, and which keys come closest.

Every argument that takes a key and refuses an unknown one (the list filters, the matrix,
`neighbourhood`, `crossBorderPartners`) asks the graph for candidates in the same query
(`cypher.lookup.key_check`: keys sharing the start of the given value's slug, names
sharing its first letters) and, when the key is not there, raises `UnknownKey` from
`unknown_key`: the message names the argument and the closest keys, and
`extensions.suggestions` lists them, best first. A name typed where a key belongs
("Clusters-Cord") thus points to its key (`project:clusters-cord`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from clustergraph.errors import UnknownKey
from clustergraph.folding import fold
from clustergraph.model import Kind

# How many keys a message suggests, and how like the given value (0-100) each must be.
MAX_SUGGESTIONS = 3
SCORE_CUTOFF = 70.0
# The candidates share the first letter, or the first three, of the given value's slug (index
# range seeks): a slip in the first letters still meets the right key.
PREFIX_LETTERS = (1, 3)


@dataclass(frozen=True)
class KeyLookup:
    """What the Cypher of one key check needs: the key, and where to look for candidates."""

    key: str
    key_prefixes: tuple[str, ...]  # `kind:` plus the first letters of the slug, per kind
    name_prefix: str  # the first letters as typed, for names that start so


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(value)).strip("-")


def key_prefix(kind: Kind) -> str:
    """The prefix of every key of a kind (`project:`), as the seed and the importer write them."""
    return f"{kind.value.lower()}:"


def lookup(given: str, kind: Kind | None) -> KeyLookup:
    """Where the candidates for `given` are: among the keys of `kind` (any kind when None)."""
    _, colon, rest = given.partition(":")
    slug = _slug(rest if colon else given)
    starts = sorted({slug[:n] for n in PREFIX_LETTERS})
    kinds = [kind] if kind is not None else list(Kind)
    prefixes = tuple(key_prefix(k) + start for k in kinds for start in starts)
    # Names start as typed, or (from a key's slug) with a capital.
    name_start = rest.strip().capitalize() if colon else given.strip()
    return KeyLookup(given, prefixes, name_start[: max(PREFIX_LETTERS)])


def _words(value: str) -> str:
    return _slug(value).replace("-", " ")


def closest(given: str, candidates: Iterable[Mapping[str, Any]]) -> list[str]:
    """The keys of the candidates most like `given`, best first: by key, by its slug or by name.

    rapidfuzz's WRatio weighs whole strings, parts and word sets, so the start of a long
    name ("Śląski Klaster") comes close to it, and a slip of two letters stays close.
    """
    wanted = _words(given)
    wanted_slug = _words(given.partition(":")[2]) if ":" in given else wanted
    scored: list[tuple[float, str]] = []
    for candidate in candidates:
        key, name = str(candidate["key"]), str(candidate.get("name") or "")
        score = max(
            fuzz.WRatio(wanted, _words(key)),
            fuzz.WRatio(wanted_slug, _words(key.partition(":")[2])),
            fuzz.WRatio(wanted_slug, _words(name)) if name else 0.0,
        )
        if score >= SCORE_CUTOFF:
            scored.append((score, key))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [key for _, key in scored[:MAX_SUGGESTIONS]]


def _quoted(keys: list[str]) -> str:
    quoted = [f"'{k}'" for k in keys]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def unknown_key(field: str, what: str, given: str, candidates: Iterable[Mapping[str, Any]]) -> UnknownKey:
    """The error for a key no entity has: `field` is the argument, `what` the kind in words ("project")."""
    suggestions = closest(given, candidates)
    shown = given if len(given) <= 60 else given[:57] + "..."
    message = f"`{field}`: no {what} has the key {shown!r}"
    if suggestions:
        message += f"; did you mean {_quoted(suggestions)}?"
    return UnknownKey(message, field, suggestions)
