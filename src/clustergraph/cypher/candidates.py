"""Where the keys an unknown key may have meant are looked for: what one key check's Cypher needs.

The candidates share the start of the given value's slug (an index range seek on keys)
or the first letters of a name; `translate.suggest` ranks what comes back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clustergraph.folding import fold
from clustergraph.model import Kind

# The candidates share the first letter, or the first three, of the given value's slug (index
# range seeks): a slip in the first letters still meets the right key.
PREFIX_LETTERS = (1, 3)


@dataclass(frozen=True)
class KeyLookup:
    """What the Cypher of one key check needs: the key, and where to look for candidates."""

    key: str
    key_prefixes: tuple[str, ...]  # `kind:` plus the first letters of the slug, per kind
    name_prefix: str  # the first letters as typed, for names that start so


def slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(value)).strip("-")


def key_prefix(kind: Kind) -> str:
    """The prefix of every key of a kind (`project:`), as the seed and the importer write them."""
    return f"{kind.value.lower()}:"


def lookup(given: str, kind: Kind | None) -> KeyLookup:
    """Where the candidates for `given` are: among the keys of `kind` (any kind when None)."""
    _, colon, rest = given.partition(":")
    slugged = slug(rest if colon else given)
    starts = sorted({slugged[:n] for n in PREFIX_LETTERS})
    kinds = [kind] if kind is not None else list(Kind)
    prefixes = tuple(key_prefix(k) + start for k in kinds for start in starts)
    # Names start as typed, or (from a key's slug) with a capital.
    name_start = rest.strip().capitalize() if colon else given.strip()
    return KeyLookup(given, prefixes, name_start[: max(PREFIX_LETTERS)])
