"""What an article says that the graph lacks, as proposals: new entities named with a cue word, and
relationships between the entities it links, each with its sentence, span and confidence.

Rules, not a model: a relationship is proposed where the data model allows its two ends and a cue
word for it stands between them (or just before), or where one name sits inside or beside the other
("Agencja … w Bielsku-Białej": located in). A sentence without a project or an event still speaks of
the article's project and of the event last named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import simplemma

from clustergraph.folding import fold
from clustergraph.ingest.cues import ARTICLES, CONNECTORS, KIND_CUES, LEAD_WORDS, PERSON_CUES, REL_CUES
from clustergraph.ingest.linker import Mention
from clustergraph.ingest.text import Sentence, Token
from clustergraph.model import REL_TYPES, Kind

_BEFORE = 3  # tokens before the first end that may hold the cue ("Lidera Projektu, Agencję …")
_EXCLUDED_TYPES = frozenset({"SOURCED_FROM", "CLAIMS"})
_ADJACENT = re.compile(r"^[\s(,\u2013-]{0,3}$")  # spaces, a bracket, a comma or a dash


@dataclass
class Proposal:
    kind: str  # "entity" or "relationship"
    sentence: Sentence
    start: int
    end: int
    text: str
    confidence: float
    entity_kind: Kind | None = None
    name: str | None = None
    rel: str | None = None
    from_key: str | None = None
    to_key: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)

    @property
    def signature(self) -> str:
        """What makes two proposals the same: the same fact, wherever in the article it is stated."""
        if self.kind == "entity":
            return f"entity|{self.entity_kind}|{fold(self.name or '')}"
        return f"relationship|{self.rel}|{self.from_key}|{self.to_key}"


def _types_between(a: Kind, b: Kind) -> list[tuple[str, bool]]:
    """Relationship types the model allows between kinds a and b: (type, whether a is the start)."""
    found: list[tuple[str, bool]] = []
    for name, rel in REL_TYPES.items():
        if name in _EXCLUDED_TYPES:
            continue
        if a in rel.starts and b in rel.ends:
            found.append((name, True))
        elif b in rel.starts and a in rel.ends:
            found.append((name, False))
    return found


def _lemmas(toks: list[Token], start: int, end: int) -> set[str]:
    return {t.lemma for t in toks if start <= t.start and t.end <= end} | {
        t.folded for t in toks if start <= t.start and t.end <= end
    }


def _window(toks: list[Token], a: Mention, b: Mention) -> set[str]:
    """The words that may connect a and b: between them, and a few words before the first."""
    before = [t for t in toks if t.end <= a.start][-_BEFORE:]
    lo = before[0].start if before else a.start
    inside = [t for t in toks if lo <= t.start and t.end <= b.start and not a.start <= t.start < a.end]
    return {t.lemma for t in inside} | {t.folded for t in inside}


def _pair_proposals(
    sentence: Sentence, toks: list[Token], here: list[Mention]
) -> list[tuple[Proposal, Mention]]:
    found: list[tuple[Proposal, Mention]] = []
    for i, a in enumerate(here):
        for b in here[i + 1 :]:
            if a.key == b.key or _apart_composite(a, b):
                continue
            types = _types_between(a.kind, b.kind)
            nested = a.contains(b) or b.contains(a)
            gap = sentence.text[a.end - sentence.start : b.start - sentence.start] if b.start >= a.end else ""
            adjacent = nested or (bool(_ADJACENT.match(gap)) and b.start >= a.end)
            window = _window(toks, a, b) if not nested else set()
            for rel, forward in types:
                cue = REL_CUES.get(rel)
                start, end = (a, b) if forward else (b, a)
                if cue is not None and window & cue.words:
                    between = _words_between(toks, a, b) & cue.words
                    confidence = (0.9 if len(gap) <= 60 else 0.8) if between else 0.75
                elif adjacent and len(types) == 1:
                    confidence = 0.7
                else:
                    continue
                p = _relationship(
                    sentence, rel, start, end, min(a.start, b.start), max(a.end, b.end), confidence
                )
                p.properties.update(_properties(rel, window))
                found.append((p, a if (cue and cue.nearest == ("from" if forward else "to")) else b))
    return _nearest(found)


def _apart_composite(a: Mention, b: Mention) -> bool:
    """A mention composed from another ("meta-cluster Tourism" at "Turystyka") pairs only with that one."""
    return (a.via == "composite" or b.via == "composite") and (a.start, a.end) != (b.start, b.end)


def _words_between(toks: list[Token], a: Mention, b: Mention) -> set[str]:
    inside = [t for t in toks if a.end <= t.start and t.end <= b.start]
    return {t.lemma for t in inside} | {t.folded for t in inside}


def _nearest(found: list[tuple[Proposal, Mention]]) -> list[tuple[Proposal, Mention]]:
    """Where a type has an anchor end, that end keeps only its best partner: the surest, then the nearest."""

    def slot(p: Proposal) -> tuple[str, str, int] | None:
        cue = REL_CUES.get(p.rel or "")
        if cue is None or cue.nearest is None:
            return None
        return (p.rel or "", (p.from_key if cue.nearest == "from" else p.to_key) or "", p.sentence.start)

    def rank(p: Proposal) -> tuple[float, int]:
        return (-p.confidence, p.end - p.start)

    best: dict[tuple[str, str, int], tuple[float, int]] = {}
    for p, _ in found:
        s = slot(p)
        if s is not None:
            best[s] = min(best.get(s, (0.0, 10**9)), rank(p))
    return [(p, m) for p, m in found if (s := slot(p)) is None or rank(p) <= best[s]]


def _properties(rel: str, window: set[str]) -> dict[str, Any]:
    if rel == "PARTNER_IN" and window & LEAD_WORDS:
        return {"role": "lead"}
    return {}


def _relationship(
    sentence: Sentence, rel: str, start: Mention, end: Mention, lo: int, hi: int, confidence: float
) -> Proposal:
    return Proposal(
        "relationship",
        sentence,
        lo,
        hi,
        sentence.text[lo - sentence.start : hi - sentence.start],
        confidence,
        rel=rel,
        from_key=start.key,
        to_key=end.key,
    )


def _context_proposals(
    sentence: Sentence,
    toks: list[Token],
    here: list[Mention],
    focus: dict[Kind, Mention],
    paired: list[Proposal],
) -> list[Proposal]:
    """Relationships to the article's project or the event last named, where the sentence names neither.

    A mention already paired in the sentence is not paired again on the same cue words: "meta-klastrów
    w sektorach: Turystyka" puts the sector in a meta-cluster, not in the project's key industries."""
    words = _lemmas(toks, sentence.start, sentence.end)
    kinds = {m.kind for m in here}
    used: dict[str, set[str]] = {}
    for p in paired:
        for key in (p.from_key or "", p.to_key or ""):
            used.setdefault(key, set()).update(REL_CUES[p.rel].words if p.rel in REL_CUES else ())
    found: list[Proposal] = []
    for kind, other in focus.items():
        if kind in kinds:
            continue
        for m in here:
            for rel, forward in _types_between(m.kind, kind):
                cue = REL_CUES.get(rel)
                if cue is None or not words & cue.words or used.get(m.key, set()) & cue.words:
                    continue
                start, end = (m, other) if forward else (other, m)
                found.append(_relationship(sentence, rel, start, end, m.start, m.end, 0.55))
    return found


def relationships(sentences: list[Sentence], toks: list[Token], mentions: list[Mention]) -> list[Proposal]:
    found: list[Proposal] = []
    focus: dict[Kind, Mention] = {}
    projects = [m for m in mentions if m.kind is Kind.PROJECT]
    if projects and len({m.key for m in projects}) == 1:
        focus[Kind.PROJECT] = projects[0]
    for sentence in sentences:
        here = [m for m in mentions if sentence.start <= m.start and m.end <= sentence.end]
        stoks = [t for t in toks if sentence.start <= t.start and t.end <= sentence.end]
        paired = [p for p, _ in _pair_proposals(sentence, stoks, here)]
        found += paired
        found += _context_proposals(sentence, stoks, here, focus, paired)
        events = [m for m in here if m.kind is Kind.EVENT]
        if events:
            focus[Kind.EVENT] = events[-1]
    _fill_via(found)
    return _deduplicated(found)


def _fill_via(found: list[Proposal]) -> None:
    """A cluster engaged by an organisation takes part in the project through it; ENGAGES names the project."""
    engages = {(p.to_key, p.sentence.start): p.from_key for p in found if p.rel == "ENGAGES"}
    projects = {p.to_key for p in found if p.rel in {"PARTICIPATES_IN", "PARTNER_IN"}}
    for p in found:
        if p.rel == "PARTICIPATES_IN" and (p.from_key, p.sentence.start) in engages:
            p.properties["via"] = engages[(p.from_key, p.sentence.start)]
        if p.rel == "ENGAGES" and len(projects) == 1:
            p.properties["project"] = next(iter(projects))


def _deduplicated(found: list[Proposal]) -> list[Proposal]:
    best: dict[str, Proposal] = {}
    for p in found:
        if p.signature not in best or p.confidence > best[p.signature].confidence:
            best[p.signature] = p
    return sorted(best.values(), key=lambda p: (p.start, p.signature))


def entities(
    sentences: list[Sentence], toks: list[Token], mentions: list[Mention], language: str
) -> list[Proposal]:
    """Capitalised names that carry a kind's cue word and link to nothing in the graph."""
    found: list[Proposal] = []
    for sentence in sentences:
        stoks = [t for t in toks if sentence.start <= t.start and t.end <= sentence.end]
        for run in _capitalised_runs(stoks):
            if any(m.start < run[-1].end and run[0].start < m.end and m.via != "reference" for m in mentions):
                continue
            proposal = _entity(sentence, run, language)
            if proposal is not None:
                found.append(proposal)
    return _deduplicated(found)


def _capitalised_runs(toks: list[Token]) -> list[list[Token]]:
    """Runs of capitalised words, with connectors inside, each with a cue word just before it kept."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    for i, t in enumerate(toks):
        if t.surface[:1].isupper() or (
            current and t.folded in CONNECTORS and i + 1 < len(toks) and toks[i + 1].surface[:1].isupper()
        ):
            if not current and i > 0 and _cue_kind(toks[i - 1]) is not None:
                current.append(toks[i - 1])
            current.append(t)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _cue_kind(token: Token) -> Kind | None:
    if token.lemma in PERSON_CUES or token.folded in PERSON_CUES:
        return Kind.PERSON
    return next((k for k, words in KIND_CUES.items() if token.lemma in words), None)


def _entity(sentence: Sentence, run: list[Token], language: str) -> Proposal | None:
    run = run[1:] if run and run[0].folded in ARTICLES else run
    if all(_cue_kind(t) is not None for t in run):
        return None  # "Projekt", "Konferencja": a kind's word, no name
    kinds = [k for k in (_cue_kind(t) for t in run) if k is not None]
    if not kinds:
        return None
    kind = kinds[0]
    if kind is Kind.PERSON:
        run = [t for t in run if _cue_kind(t) is not Kind.PERSON][:3]
        if len(run) < 2:
            return None
        name = " ".join(_capitalised_lemma(t, language) for t in run)
    else:
        if len(run) < 2:
            return None
        head = _capitalised_lemma(run[0], language) if _cue_kind(run[0]) is kind else run[0].surface
        name = " ".join([head, *(t.surface for t in run[1:])])
    start, end = run[0].start, run[-1].end
    text = sentence.text[start - sentence.start : end - sentence.start]
    confidence = 0.75 if run[0].surface[:1].isupper() else 0.65
    return Proposal("entity", sentence, start, end, text, confidence, entity_kind=kind, name=name)


def _capitalised_lemma(token: Token, language: str) -> str:
    """The word's dictionary form, capitalised as a name is ("Marcina" -> "Marcin")."""
    found = simplemma.lemmatize(token.surface.casefold(), lang=language)
    if fold(found)[:3] != token.folded[:3]:
        return token.surface  # the lemmatiser guessed too far from the word
    return found[:1].upper() + found[1:]
