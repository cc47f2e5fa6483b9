"""Tokens and sentences of an article, each token with its span, its lemma and a form without diacritics."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import simplemma

from clustergraph.folding import fold

# Words and numbers; a hyphen splits "Bielsku-Białej" into two tokens, as it splits the name.
_WORD = re.compile(r"\w+", re.UNICODE)
# A sentence ends at . ! ? followed by a space and a capital, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ž\"„(])|\n+")


@lru_cache(maxsize=200_000)
def lemma(word: str, language: str) -> str:
    """The folded lemma of one word; simplemma returns the word itself when it does not know it."""
    return fold(simplemma.lemmatize(word.casefold(), lang=language))


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    surface: str
    folded: str
    lemma: str


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def tokens(text: str, language: str) -> list[Token]:
    return [
        Token(m.start(), m.end(), m.group(), fold(m.group()), lemma(m.group(), language))
        for m in _WORD.finditer(text)
    ]


def sentences(text: str) -> list[Sentence]:
    found: list[Sentence] = []
    start = 0
    for boundary in [*_SENTENCE_END.finditer(text), None]:
        end = boundary.start() if boundary else len(text)
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            offset = start + piece.index(stripped)
            found.append(Sentence(offset, offset + len(stripped), stripped))
        start = boundary.end() if boundary else len(text)
    return found
