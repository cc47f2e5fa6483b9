"""The checks of query arguments that are values rather than selections: country codes,
search text, keys, relationship types. Each refusal is a `BadInput` naming the argument.

What an empty list means is decided here, once, for every field: an empty filter list
(`countries: []`, `kinds: []`) matches nothing, as an SQL `IN ()` would; an empty
`relationshipTypes` is refused, since following no relationship answers no question
(leave it out to follow them all).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from clustergraph import values
from clustergraph.errors import BadUserInput as BadInput


def _codes(codes: list[str] | None, check: Callable[[str, str], str], name: str) -> tuple[str, ...] | None:
    """Codes as a filter, each checked (None: no filter; empty: nothing matches)."""
    if codes is None:
        return None
    try:
        return tuple(check(code, f"`{name}`") for code in codes)
    except ValueError as error:
        raise BadInput(str(error)) from None


def countries(codes: list[str] | None, name: str = "countries") -> tuple[str, ...] | None:
    """Country codes as a filter."""
    return _codes(codes, values.country, name)


def regions(codes: list[str] | None, name: str = "regions") -> tuple[str, ...] | None:
    """NUTS codes as a filter."""
    return _codes(codes, values.nuts_code, name)


def rel_types(chosen: Sequence[Any] | None, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """The types asked for, each one of `allowed`; all of `allowed` when none are named."""
    if chosen is None:
        return allowed
    names = tuple(getattr(v, "value", v) for v in chosen)
    if not names:
        raise BadInput("`relationshipTypes` is empty: name at least one type, or leave it out to follow all")
    refused = [t for t in names if t not in allowed]
    if refused:
        raise BadInput(
            f"`relationshipTypes` cannot include {', '.join(refused)} here; allowed: {', '.join(allowed)}"
        )
    return names


def search_words(text: str, max_chars: int, max_words: int) -> list[str]:
    """The words of a search, bounded: Lucene refuses a query of over 1,024 clauses."""
    if len(text) > max_chars:
        raise BadInput(f"`query` is {len(text)} characters long; the limit is {max_chars}")
    try:
        words = values.clean(text, "`query`", values.TextClass.NAME).split()
    except ValueError as error:
        raise BadInput(str(error)) from None
    if not words:
        raise BadInput("`query` must contain a word to search for")
    if len(words) > max_words:
        raise BadInput(f"`query` has {len(words)} words; the limit is {max_words}")
    return words


def key(value: str, name: str) -> str:
    """A key argument: refused when it is longer than any key the graph can hold."""
    bound = values.MAX_LENGTH[values.TextClass.KEY]
    if len(value) > bound:
        raise BadInput(f"`{name}` is {len(value)} characters long; no key is longer than {bound}")
    return value
