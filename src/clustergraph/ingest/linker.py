"""Finding the graph's entities in an article, whatever the inflection and the diacritics.

Every name, localized name and alias is lemmatised like the text; a run of tokens links to an
entity when its lemmas (or its folded forms) equal a name's, or come close enough by rapidfuzz.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from clustergraph.folding import fold
from clustergraph.ingest.text import Sentence, Token, tokens
from clustergraph.model import PLACE_KINDS, Kind

# Close enough: "Bielsku-Białej" against "Bielsko-Biała" scores about 92.
FUZZY_THRESHOLD = 88.0
# Shorter names (acronyms such as "ICT", "WRS") link only where written exactly so.
SHORT_NAME = 4
# A name inside a longer one links as well only where it says where or of what the longer one is:
# "Agencja … z Usti" (a place), "Konferencja finałowa projektu Clusters-Cord" (an event of a project).
NESTED_KINDS = PLACE_KINDS | {Kind.PROJECT}
NESTING_KINDS = frozenset({Kind.EVENT})


@dataclass(frozen=True)
class Candidate:
    key: str
    kind: Kind
    name: str  # the entity's name, as shown
    variant: str  # the name, localized name or alias that matched
    lemmas: tuple[str, ...]
    folded: tuple[str, ...]


@dataclass(frozen=True)
class Mention:
    key: str
    kind: Kind
    name: str
    start: int
    end: int
    text: str
    score: float
    via: str  # "name", "fuzzy", "reference" (a word such as "projekt") or "composite"

    def contains(self, other: Mention) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Mention) -> bool:
        return self.start < other.end and other.start < self.end


# A legal form at the end of a name, which an article often leaves out ("…, PLC", "… S.A.", "… GmbH").
_LEGAL_FORM = re.compile(
    r",?\s+(PLC|plc|Ltd\.?|S\.A\.?|SA|GmbH|AG|e\.\s?V\.|a\.\s?s\.|s\.r\.o\.|sp\.\s?z\s?o\.\s?o\.|S\.p\.A\.|Kft\.?|Zrt\.?|d\.o\.o\.)$"
)


def variants(row: dict[str, Any]) -> list[str]:
    names = [row["name"], *(n.split(":", 1)[-1] for n in row.get("names") or [])]
    found = [*names, *(row.get("aliases") or [])]
    found += [_LEGAL_FORM.sub("", v) for v in found if _LEGAL_FORM.search(v)]
    return list(dict.fromkeys(found))


class NameIndex:
    """The graph's names, lemmatised in the article's language, indexed by their first token."""

    def __init__(self, rows: Iterable[dict[str, Any]], language: str) -> None:
        self.by_first: dict[str, list[Candidate]] = defaultdict(list)
        self.by_prefix: dict[str, list[Candidate]] = defaultdict(list)
        self.entities: dict[str, dict[str, Any]] = {}
        for row in rows:
            kind = Kind(row["kind"])
            if kind is Kind.SOURCE:
                continue
            self.entities[row["key"]] = row
            for variant in variants(row):
                toks = tokens(variant, language)
                if not toks:
                    continue
                cand = Candidate(
                    row["key"],
                    kind,
                    row["name"],
                    variant,
                    tuple(t.lemma for t in toks),
                    tuple(t.folded for t in toks),
                )
                self.by_first[cand.lemmas[0]].append(cand)
                if cand.folded[0] != cand.lemmas[0]:
                    self.by_first[cand.folded[0]].append(cand)
                self.by_prefix[cand.folded[0][:4]].append(cand)

    def candidates(self, token: Token) -> list[Candidate]:
        found = [*self.by_first.get(token.lemma, []), *self.by_first.get(token.folded, [])]
        found += self.by_prefix.get(token.folded[:4], [])
        return list({(c.key, c.variant): c for c in found}.values())


def _score(window: Sequence[Token], cand: Candidate) -> tuple[float, str] | None:
    joined = " ".join(cand.folded)
    if len(joined) <= SHORT_NAME:
        surface = " ".join(t.surface for t in window)
        return (1.0, "name") if surface == " ".join(cand.variant.split()) else None
    if tuple(t.lemma for t in window) == cand.lemmas or tuple(t.folded for t in window) == cand.folded:
        return 1.0, "name"
    best = max(
        fuzz.ratio(" ".join(t.lemma for t in window), " ".join(cand.lemmas)),
        fuzz.ratio(" ".join(t.folded for t in window), joined),
    )
    return (best / 100, "fuzzy") if best >= FUZZY_THRESHOLD else None


def find_names(text: str, toks: list[Token], index: NameIndex) -> list[Mention]:
    """Every run of tokens that matches a name; overlaps are settled by `settle`."""
    found: list[Mention] = []
    for i, token in enumerate(toks):
        for cand in index.candidates(token):
            window = toks[i : i + len(cand.lemmas)]
            if len(window) < len(cand.lemmas):
                continue
            scored = _score(window, cand)
            if scored is None:
                continue
            start, end = window[0].start, window[-1].end
            found.append(Mention(cand.key, cand.kind, cand.name, start, end, text[start:end], *scored))
    return settle(found)


def settle(found: list[Mention]) -> list[Mention]:
    """Longest and best first; a mention inside a kept one stays only as a place or project in it."""
    kept: list[Mention] = []
    best: dict[tuple[str, int, int], Mention] = {}
    for m in found:
        slot = (m.key, m.start, m.end)
        if slot not in best or m.score > best[slot].score:
            best[slot] = m
    # Of one entity's overlapping matches the surest wins: an exact name over a longer fuzzy one.
    surest: list[Mention] = []
    for m in sorted(best.values(), key=lambda m: (-m.score, -(m.end - m.start), m.start)):
        if not any(s.key == m.key and s.overlaps(m) for s in surest):
            surest.append(m)
    for m in sorted(surest, key=lambda m: (-(m.end - m.start), -m.score, m.start)):
        clash = False
        for k in kept:
            if not k.overlaps(m):
                continue
            if (
                k.key == m.key
                or not k.contains(m)
                or m.via != "name"
                or (m.kind not in NESTED_KINDS and k.kind not in NESTING_KINDS)
            ):
                clash = True
            if clash:
                break
        if not clash:
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, -m.end))


# Words that refer to an entity named elsewhere in the article: "Projekt" is the article's project,
# "wydarzenie" the event last named. Folded singular forms (a plural names no one entity).
REFERENCE_WORDS: dict[Kind, frozenset[str]] = {
    Kind.PROJECT: frozenset(
        [
            "projekt",
            "projektu",
            "projektem",
            "projekcie",
            "project",
            "projekts",
            "projektes",
            "projet",
            "progetto",
        ]
    ),
    Kind.EVENT: frozenset(
        [
            "wydarzenie",
            "wydarzenia",
            "wydarzeniu",
            "wydarzeniem",
            "konferencja",
            "konferencji",
            "konferencja",
            "konferencje",
            "event",
            "conference",
            "konferenz",
            "veranstaltung",
            "konference",
            "konferenci",
        ]
    ),
}


def find_references(text: str, toks: list[Token], named: list[Mention]) -> list[Mention]:
    """Mentions through words such as "projekt": to the only project named, or the event last named."""
    projects = {m.key for m in named if m.kind is Kind.PROJECT}
    topic = next(iter(projects)) if len(projects) == 1 else None
    found: list[Mention] = []
    for token in toks:
        if any(m.start <= token.start < m.end for m in named):
            continue
        kind = next((k for k, words in REFERENCE_WORDS.items() if token.folded in words), None)
        if kind is Kind.PROJECT and topic is not None:
            target = next(m for m in named if m.key == topic)
        elif kind is Kind.EVENT:
            before = [m for m in [*named, *found] if m.kind is Kind.EVENT and m.end <= token.start]
            if not before:
                continue
            target = max(before, key=lambda m: m.end)
        else:
            continue
        found.append(
            Mention(target.key, kind, target.name, token.start, token.end, token.surface, 0.6, "reference")
        )
    return found


# Words that say a sentence is about meta-clusters, in the languages covered.
_COMPOSITE_CUES: dict[Kind, re.Pattern[str]] = {
    Kind.META_CLUSTER: re.compile(r"meta[-\s]?(klast|clust|klast)"),
}


def find_composites(sentences: list[Sentence], named: list[Mention], index: NameIndex) -> list[Mention]:
    """An entity named after another ("… meta-cluster Tourism" after the sector Tourism) is mentioned
    where the other is, in a sentence that also uses its kind's word ("meta-klastrów w sektorach: Turystyka")."""
    found: list[Mention] = []
    for kind, cue in _COMPOSITE_CUES.items():
        composed = [r for r in index.entities.values() if r["kind"] == kind.value]
        for sentence in sentences:
            if not cue.search(fold(sentence.text)):
                continue
            for m in named:
                if not (sentence.start <= m.start < sentence.end) or m.kind is kind:
                    continue
                own = [fold(v) for v in variants(index.entities[m.key])]
                for row in composed:
                    if any(fold(v).endswith(" " + o) for v in variants(row) for o in own):
                        found.append(
                            Mention(row["key"], kind, row["name"], m.start, m.end, m.text, 0.7, "composite")
                        )
    return found


def link(text: str, language: str, sentences: list[Sentence], index: NameIndex) -> list[Mention]:
    toks = tokens(text, language)
    named = find_names(text, toks, index)
    references = find_references(text, toks, named)
    composites = find_composites(sentences, named, index)
    return sorted([*named, *references, *composites], key=lambda m: (m.start, -m.end, m.key))
