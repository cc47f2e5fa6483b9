"""The Lucene queries behind `search`: one per full-text index, composed from the typed words.

The indexes' analysers do the language work (case, diacritics, stop words; see
`schema/MODEL.md`, "Search"). This module only escapes each word and says how it may
match: as a whole word, in order with the others as a phrase, as the start of a word
(the last word, still being typed), or within a small edit distance. Field boosts carry the weights: the name counts more than the other
names and aliases, and the descriptions are weighted down in the Cypher query.

Near misses (edit distance) cost most: Lucene expands each fuzzy word over the whole term
dictionary. So `lucene` holds the whole words, phrases and prefixes, and `misspelt` each
long word's near-miss clauses with the query that says whether the folded names hold that
word as it is: the Cypher adds the near misses only of the words they do not hold (a word
the names hold is taken as meant).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')

# Boosts per field and per way of matching; the phrase is what makes a whole name win.
NAME, OTHER_NAMES = 3.0, 2.0
PHRASE, WORD, PREFIX, FUZZY = 3.0, 1.0, 0.5, 0.5


@dataclass(frozen=True)
class NearMiss:
    """One typed word that may be misspelt: `known` finds it as it is, `clauses` near it."""

    known: str
    clauses: str


@dataclass(frozen=True)
class SearchQueries:
    """A search as each full-text index is asked it (`lucene`, by index name)."""

    lucene: dict[str, str]  # whole words, phrases and prefixes
    misspelt: tuple[NearMiss, ...]  # for `entity_names`: the words long enough to carry a typing error
    near: str  # `entity_names` with the near misses too, for the suggestions of a path's ends
    text: str  # the words as typed, for a key or a merged key given whole


def escape(word: str) -> str:
    # Lower case keeps words such as AND/OR/NOT from acting as Lucene operators.
    return SPECIAL.sub(r"\\\1", word.lower())


def _edits(word: str) -> int:
    """How many typing errors a word may carry: none for short words, where one edit is another word."""
    return 0 if len(word) < 5 else 1 if len(word) < 8 else 2


def _boost(weight: float) -> str:
    return "" if weight == 1.0 else f"^{weight:g}"


def _fields(clause: str, weight: float) -> list[str]:
    return [f"name:({clause}){_boost(NAME * weight)}", f"searchText:({clause}){_boost(OTHER_NAMES * weight)}"]


def _phrase(terms: list[str]) -> str:
    return '"' + " ".join(terms) + '"'


def compose(words: list[str]) -> SearchQueries:
    terms = [escape(w) for w in words]
    last = terms[-1]
    whole = " ".join(terms)
    fuzzy = " ".join(f"{t}~{_edits(w)}" for w, t in zip(words, terms, strict=True) if _edits(w))
    # Folded names: every word as a word (a stop word analyses to nothing and drops
    # out), the words in order, the last one as a prefix, and near misses.
    names = [*_fields(whole, WORD), *_fields(f"{last}*", PREFIX)]
    near = [*names, *_fields(fuzzy, FUZZY)] if fuzzy else names
    # Exact names: the phrase with its stop words and diacritics, and the last word as a
    # prefix as typed (the folded index cannot fold a prefix: "śląsk*" finds only here).
    exact = _fields(f"{last}*", PREFIX)
    if len(terms) > 1:
        names = [*names, *_fields(_phrase(terms), PHRASE)]
        near = [*near, *_fields(_phrase(terms), PHRASE)]
        exact += _fields(_phrase(terms), PHRASE)
    described = [f"description:({whole})", f"description:{_phrase(terms)}{_boost(PHRASE)}"]
    lucene = {"entity_names": names, "entity_names_exact": exact, "entity_descriptions": described}
    return SearchQueries(
        {index: " OR ".join(clauses) for index, clauses in lucene.items()},
        tuple(_near_miss(t, _edits(w)) for w, t in zip(words, terms, strict=True) if _edits(w)),
        " OR ".join(near),
        " ".join(words),
    )


def _near_miss(term: str, edits: int) -> NearMiss:
    # Lucene sums its clauses' scores, so one word's clauses added to the query score as
    # they would inside the query's fuzzy clause of all the words.
    return NearMiss(" OR ".join(_fields(term, WORD)), " OR ".join(_fields(f"{term}~{edits}", FUZZY)))
