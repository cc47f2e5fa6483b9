"""A name as a list spells it, reduced to the words that tell one entity from another.

Folded (case, diacritics), split into words, legal forms dropped ("S.A.", "Sp. z o.o.",
"GmbH", "s.r.o.", "PLC", "Kft.", "S.p.A."...), common abbreviations written out ("RDA",
"Dev."), stop words of the languages of the graph dropped ("of", "w", "für", "di").
Word order is left to the scorer, which compares words as sets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clustergraph.folding import fold


def word_set(text: str) -> frozenset[str]:
    """The words of a text written out as one string (tables of words read better so)."""
    return frozenset(text.split())


# Legal forms, written as folded words with the dots taken out: multi-word forms first so
# that "sp z o o" goes as one. They say how a body is incorporated, never which it is.
LEGAL_FORMS: tuple[tuple[str, ...], ...] = tuple(
    tuple(form.split())
    for form in (
        "spolka z ograniczona odpowiedzialnoscia",
        "spolka akcyjna",
        "sp z o o",
        "sp z oo",
        "spol s r o",
        "s r o",
        "a s",
        "s a",
        "s p a",
        "s r l",
        "d o o",
        "d d",
        "e v",
        "z s",
        "o p s",
        "s c a r l",
        "nonprofit kft",
        "nonprofit zrt",
        "public limited company",
        "limited",
        "ltd",
        "plc",
        "gmbh",
        "ag",
        "kg",
        "sro",
        "sa",
        "spa",
        "srl",
        "kft",
        "zrt",
        "nyrt",
        "bt",
        "doo",
        "inc",
        "llc",
        "co kg",
        "ev",
        "se",
        "as",
        "co",
        "scarl",
        "ggmbh",
        "kht",
        "o z",
    )
)
LEGAL_FORMS = tuple(sorted(LEGAL_FORMS, key=len, reverse=True))

# Abbreviations lists use for the words of organisation names, each written out as the
# words the graph's names hold; English and Polish, the languages of the graph's names.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "rda": ("regional", "development", "agency"),
    "bda": ("business", "development", "agency"),
    "arr": ("agencja", "rozwoju", "regionalnego"),
    "dev": ("development",),
    "devel": ("development",),
    "agcy": ("agency",),
    "reg": ("regional",),
    "assoc": ("association",),
    "assn": ("association",),
    "corp": ("corporation",),
    "ctr": ("centre",),
    "cntr": ("centre",),
    "center": ("centre",),
    "dept": ("department",),
    "natl": ("national",),
    "nat": ("national",),
    "intl": ("international",),
    "univ": ("university",),
    "tech": ("technology",),
    "econ": ("economic",),
    "sme": ("small", "medium", "enterprises"),
    "smes": ("small", "medium", "enterprises"),
    "cc": ("chamber", "commerce"),
    "coc": ("chamber", "commerce"),
}

# The generic words of organisation names in the graph's languages, written as the English
# word the graph's names use: "Agenzia di Sviluppo" and "Development Agency" share words.
# Only words that say what kind of body it is; the words that say which body stay as typed.
GLOSSARY: dict[str, str] = {
    # Polish
    "agencja": "agency",
    "rozwoju": "development",
    "regionalnego": "regional",
    "regionalna": "regional",
    "klaster": "cluster",
    "klastrow": "cluster",
    "izba": "chamber",
    "gospodarcza": "economic",
    "gospodarczego": "economic",
    "spolka": "company",
    "korporacja": "corporation",
    "centrum": "centre",
    "krajowa": "national",
    "narodowa": "national",
    "stowarzyszenie": "association",
    # Czech, Slovak
    "agentura": "agency",
    "rozvojova": "development",
    "rozvoj": "development",
    "rozvoje": "development",
    "regionalni": "regional",
    "klastr": "cluster",
    "klastrova": "cluster",
    "klastrov": "cluster",
    "narodni": "national",
    "narodna": "national",
    "asociace": "association",
    "asociacia": "association",
    "unia": "union",
    "komora": "chamber",
    "hospodarska": "commerce",
    # German
    "agentur": "agency",
    "entwicklung": "development",
    "kammer": "chamber",
    "zentrum": "centre",
    "wirtschaftskammer": "chamber",
    # Italian
    "agenzia": "agency",
    "sviluppo": "development",
    "regione": "region",
    "direzione": "department",
    "camera": "chamber",
    "commercio": "commerce",
    "centro": "centre",
    "ricerca": "research",
    "economico": "economic",
    "associazione": "association",
    # Hungarian
    "fejlesztesi": "development",
    "regionalis": "regional",
    "ugynokseg": "agency",
    "kozpont": "centre",
    "klaszter": "cluster",
    "tarsasag": "company",
    # Slovene
    "agencija": "agency",
    "razvojna": "development",
    "javna": "public",
    "center": "centre",
}

# Words that join a name's words in the graph's languages: they tell no entity apart.
STOP_WORDS = word_set(
    "the of and for a an in at on by to "  # English
    "w we z ze i oraz na do dla "  # Polish
    "der die das des dem den fur und von im in am zu "  # German
    "di del della dei degli e per "  # Italian
    "a az es "  # Hungarian
    "v ve pro "  # Czech, Slovak
    "de la le les du et en "  # French (Brussels), and the Latin "de"
    "za pre "  # Slovene, Slovak
    "ms mr mrs dr prof ing mgr"  # titles before a person's name
)

_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Words:
    """A name's words as compared: `words` after legal forms and stop words went, `folded`
    the whole name folded (for acronyms and exact checks)."""

    words: tuple[str, ...]
    folded: str

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def compact(self) -> str:
        """The words run together: "ClustersCord", "Clu-Strat" and "Clusters Cord" meet here."""
        return "".join(self.words)


def raw_words(name: str) -> list[str]:
    """Folded words, dots inside abbreviations joined ("S.p.A." -> "s p a" stays split)."""
    folded = fold(name).replace("&", " and ")
    return _WORD.findall(folded)


def _drop_legal_forms(words: list[str]) -> list[str]:
    kept: list[str] = []
    i = 0
    while i < len(words):
        form = next((f for f in LEGAL_FORMS if tuple(words[i : i + len(f)]) == f), None)
        # "a s" (Czech a.s.) is also "and with": a legal form only at the end, where lists put it.
        if form is not None and (form != ("a", "s") or i + len(form) == len(words)):
            i += len(form)
            continue
        kept.append(words[i])
        i += 1
    return kept or words


def _expand(words: list[str]) -> list[str]:
    expanded: list[str] = []
    for word in words:
        expanded.extend(GLOSSARY.get(w, w) for w in ABBREVIATIONS.get(word, (word,)))
    return expanded


_BRACKETED = re.compile(r"\s*\(([^()]*)\)\s*")


def bracketed(name: str) -> tuple[str, str | None]:
    """A name and what a list wrote in brackets after it ("... Corporation (WRS)"): often an
    acronym or a country, never part of the name."""
    found = _BRACKETED.search(name)
    if found is None or not name[: found.start()].strip():
        return name, None
    return (name[: found.start()] + " " + name[found.end() :]).strip(), found.group(1).strip() or None


def words(name: str) -> Words:
    """The words that tell a name apart, as `Words`."""
    raw = raw_words(bracketed(name)[0])
    # One-letter words go too: the "s" of "Marshal's", initials.
    kept = [w for w in _expand(_drop_legal_forms(raw)) if w not in STOP_WORDS and len(w) > 1]
    return Words(tuple(kept or raw), " ".join(raw))


def acronym_of(name: str) -> str:
    """A name as an acronym: the first letter of each word that is not a stop word or legal form."""
    kept = [w for w in _drop_legal_forms(raw_words(name)) if w not in STOP_WORDS]
    return "".join(w[0] for w in kept)
