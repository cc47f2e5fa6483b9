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

from collections.abc import Iterable, Mapping
from typing import Any

from rapidfuzz import fuzz

from clustergraph.cypher.candidates import slug
from clustergraph.errors import UnknownKey

# How many keys a message suggests, and how like the given value (0-100) each must be.
MAX_SUGGESTIONS = 3
SCORE_CUTOFF = 70.0


def _words(value: str) -> str:
    return slug(value).replace("-", " ")


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
