"""Telling an article's language with lingua (its models ship in the wheel: nothing is downloaded).

The detector knows more languages than the service covers, so that a French page is recognised
as French and refused, rather than taken for the covered language it resembles most.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

# The partners' languages that simplemma lemmatises: ISO 639-1 codes.
COVERED: tuple[str, ...] = ("pl", "cs", "sk", "de", "en", "sl", "hu", "it")
# Told apart from the covered ones, then refused.
_OTHERS: tuple[str, ...] = ("fr", "es", "nl", "pt", "ro", "hr", "sv", "da", "fi", "lt", "lv", "et", "bg")


@cache
def detector() -> LanguageDetector:
    codes = [getattr(IsoCode639_1, code.upper()) for code in (*COVERED, *_OTHERS)]
    languages = [Language.from_iso_code_639_1(code) for code in codes]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect(text: str) -> str | None:
    """The ISO 639-1 code of the language most of the text's words are in, or None when lingua cannot tell.

    Counted over the text's parts, not the whole: lingua rules a language out of a whole text for
    one letter it lacks, and an English article naming "Kinga Skałacka" has a Polish letter."""
    words: Counter[Language] = Counter()
    for part in detector().detect_multiple_languages_of(text[:20_000]):
        words[part.language] += part.word_count
    if not words:
        return None
    return words.most_common(1)[0][0].iso_code_639_1.name.lower()
