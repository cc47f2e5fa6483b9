"""One validation of every string the service stores or filters on.

Mutations, the importer and query arguments all call these checks, so a value the graph
holds has passed exactly one set of rules:

- Unicode is normalised to NFC, so "ś" typed as one code point or as "s" + combining
  acute is one value (one key, one search term, one country).
- Formats are matched in full (`fullmatch`): `$` in a `re.match` pattern also matches
  before a final newline, which let `"PL\\n"` pass as a country code.
- Control characters are refused: in names, keys and codes none at all; in free text
  (descriptions, addresses, notes) only tab and newline are allowed. XML 1.0 cannot
  carry the others, so the GraphML and GEXF exports stay well-formed.
- Lengths are bounded below Neo4j's index key limit (8 KiB per indexed value; a name of
  1,000 characters is at most 4,000 bytes of UTF-8), each refusal naming the bound.

Each check raises `ValueError` with a message that names the field; callers turn it
into `BAD_USER_INPUT` (mutations, queries) or a rejected row (import).
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum

KEY_PATTERN = re.compile(r"[a-z][a-z0-9-]*:[a-z0-9][a-z0-9.-]*")
COUNTRY_PATTERN = re.compile(r"[A-Z]{2}")
# A NUTS code: the country's two letters (EL for Greece), then up to three characters, one per level.
NUTS_CODE_PATTERN = re.compile(r"[A-Z]{2}[0-9A-Z]{0,3}")
DATE_PATTERN = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
LOCALIZED_NAME_PATTERN = re.compile(r"[a-z]{2}:.+", re.DOTALL)
URL_PATTERN = re.compile(r"https?://[^\s/$.?#][^\s]*")
LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}")


class TextClass(Enum):
    """What a string is, which decides its characters and its length bound."""

    KEY = "key"  # entity keys: ASCII, matched by KEY_PATTERN
    CODE = "code"  # short codes and identifiers: country, language, sourceId
    NAME = "name"  # one line of text shown as a label: names, aliases, titles, roles
    URL = "url"
    TEXT = "text"  # free text: descriptions, addresses, notes (tab and newline allowed)


MAX_LENGTH: dict[TextClass, int] = {
    TextClass.KEY: 200,
    TextClass.CODE: 100,
    TextClass.NAME: 1_000,
    TextClass.URL: 2_000,
    TextClass.TEXT: 20_000,
}
MAX_LIST_ITEMS = 200
# Control characters (Unicode category Cc: U+0000-U+001F, U+007F-U+009F), lone
# surrogates and the two non-characters XML refuses. Free text may hold tab and newline.
_REFUSED = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_REFUSED_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean(value: str, field: str, text_class: TextClass) -> str:
    """`value` in NFC, or ValueError naming `field` and what is wrong with it."""
    normal = value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)
    refused = (_REFUSED_IN_TEXT if text_class is TextClass.TEXT else _REFUSED).search(normal)
    if refused is not None:
        allowed = " (free text may hold tab and newline only)" if text_class is TextClass.TEXT else ""
        char = f"U+{ord(refused.group()):04X}"
        raise ValueError(f"{field} must not contain {char} (a control character or a non-character){allowed}")
    bound = MAX_LENGTH[text_class]
    if len(normal) > bound:
        raise ValueError(f"{field} is {len(normal)} characters long; the limit is {bound}")
    return normal


def _shown(value: str) -> str:
    """A value quoted in an error message, cut short: the message must not echo a megabyte."""
    return repr(value if len(value) <= 60 else value[:57] + "...")


def key(value: str, field: str = "key") -> str:
    """An entity key `kind:slug` in lower-case ASCII, matched whole."""
    cleaned = clean(value, field, TextClass.KEY)
    if not KEY_PATTERN.fullmatch(cleaned):
        raise ValueError(f"{field} {_shown(value)} is not a key of the form 'kind:slug' (lower-case ASCII)")
    return cleaned


def country(value: str, field: str = "country") -> str:
    if not COUNTRY_PATTERN.fullmatch(value):
        raise ValueError(f'{field} takes ISO 3166-1 alpha-2 codes such as "PL", not {_shown(value)}')
    return value


def nuts_code(value: str, field: str = "region") -> str:
    if not NUTS_CODE_PATTERN.fullmatch(value):
        raise ValueError(f'{field} takes NUTS codes such as "CZ04" or "PL2", not {_shown(value)}')
    return value


def date(value: str, field: str) -> str:
    if not DATE_PATTERN.fullmatch(value):
        raise ValueError(f"{field} must be a date YYYY, YYYY-MM or YYYY-MM-DD, not {_shown(value)}")
    return value


def url(value: str, field: str = "url") -> str:
    cleaned = clean(value, field, TextClass.URL)
    if not URL_PATTERN.fullmatch(cleaned):
        raise ValueError(f"{field} must be an http(s) URL, not {_shown(value)}")
    return cleaned


def localized_name(value: str, field: str = "names") -> str:
    cleaned = clean(value, field, TextClass.NAME)
    if not LOCALIZED_NAME_PATTERN.fullmatch(cleaned) or not cleaned[3:].strip():
        raise ValueError(f"{field} must hold entries 'lang:value', such as 'pl:Klaster', not {_shown(value)}")
    return cleaned


def string_list(values: list[str], field: str, text_class: TextClass) -> list[str]:
    if len(values) > MAX_LIST_ITEMS:
        raise ValueError(f"{field} holds {len(values)} items; the limit is {MAX_LIST_ITEMS}")
    return [clean(v, field, text_class) for v in values]
