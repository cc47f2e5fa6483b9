"""Text as compared without case and diacritics: "Białej" and "bialej" are the same word.

One folding for the whole service: search's key suggestions, and article ingestion's
tokens and names (which import it from here, not the other way round).
"""

from __future__ import annotations

import unicodedata


def fold(value: str) -> str:
    """Lower case without diacritics: "Białej" -> "bialej" (ł has no decomposition, so it is mapped)."""
    value = value.casefold().replace("ł", "l").replace("ß", "ss").replace("đ", "d").replace("ø", "o")
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
