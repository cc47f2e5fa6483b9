"""How well a candidate matches a query, and when the service is sure enough to say `match`.

A name scores by its words (`names.words`): each word of the query finds its best word in
the candidate's name and each word of the name its best in the query (rapidfuzz's ratio
for typing errors, a shared stem for inflected forms: "Bielsku-Białej" / "Bielsko-Biała"),
weighted so that generic words ("agency", "regional", "klaster") count less than the words
that tell one body from another. The best of the candidate's name, other-language names,
aliases and acronym counts. Words of the query that name the candidate's city, region or
country ("ARLEG Legnica") count as matched. Properties given with the query (country,
region, city, acronym) add a little when they agree and take much away when they do not:
they separate namesakes.

A match is sure when the best candidate scores high, no property disagrees, and the next
candidate is well behind: two namesakes never auto-match.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from clustergraph.folding import fold
from clustergraph.reconcile.names import Words, acronym_of, bracketed, raw_words, word_set, words

# Words most names of the graph's kinds share: they count for less than distinctive words.
GENERIC = word_set(
    "regional development agency company corporation economic business centre cluster "
    "association chamber commerce national public department region office union "
    "agencja rozwoju regionalnego regionu gospodarczego spolka klaster izba korporacja "
    "agentura rozvojova regionalni rozvoje gesellschaft wirtschaftsforderung "
    "agenzia sviluppo fejlesztesi regionalis ugynokseg project programme "
    "meta cluster clusters"
)
GENERIC_WEIGHT = 0.35

# A sure match: the best candidate at least this good, the next this far behind.
MATCH_SCORE = 0.9
MATCH_MARGIN = 0.1
# Properties: agreeing adds a little, disagreeing takes much away.
AGREE, DISAGREE = 0.05, 0.4


def _weight(word: str) -> float:
    return GENERIC_WEIGHT if word in GENERIC else 1.0


def word_similarity(a: str, b: str) -> float:
    """1 for the same word; a shared stem (inflection) or a typing error a little less."""
    if a == b:
        return 1.0
    if a.isdigit() or b.isdigit() or min(len(a), len(b)) < 4:
        return 0.0
    stem = len(_common_prefix(a, b))
    if stem >= 4 and stem >= min(len(a), len(b)) - 2:
        return 0.9
    ratio = fuzz.ratio(a, b) / 100
    return ratio if ratio >= 0.8 else 0.0


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _best(word: str, others: tuple[str, ...] | frozenset[str]) -> float:
    return max((word_similarity(word, o) for o in others), default=0.0)


@dataclass(frozen=True)
class NameScore:
    """How alike two names are (0..1), and whether every word that tells a body apart (not
    a generic word) found its like on the other side: a sure match needs `complete`."""

    value: float
    complete: bool


NO_NAME = NameScore(0.0, False)
# A word counts as found for `complete` from this similarity on.
FOUND = 0.8


def name_similarity(query: Words, name: Words, places: frozenset[str] = frozenset()) -> NameScore:
    """Weighted F1 of the two names' words; query words naming the candidate's place count too."""
    if not query.words or not name.words:
        return NO_NAME
    q_found: list[tuple[str, float]] = []
    for w in query.words:
        found = _best(w, name.words)
        if found == 0.0 and _best(w, places) >= 0.9:
            found = 1.0
        q_found.append((w, found))
    n_found = [(w, _best(w, query.words)) for w in name.words]
    recall = sum(_weight(w) * f for w, f in q_found) / sum(_weight(w) for w, _ in q_found)
    precision = sum(_weight(w) * f for w, f in n_found) / sum(_weight(w) for w, _ in n_found)
    complete = all(f >= FOUND for w, f in (*q_found, *n_found) if w not in GENERIC)
    f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    # Word order aside, the letters of the whole names (rapidfuzz) break near ties.
    letters = fuzz.token_sort_ratio(query.text, name.text) / 100
    by_words = NameScore(0.9 * f1 + 0.1 * letters, complete) if f1 else NO_NAME
    # Short names run together or split apart ("ClustersCord", "Clu-Strat"): the letters alone.
    if min(len(query.words), len(name.words)) <= 2 and len(query.compact) >= 6:
        joined = fuzz.ratio(query.compact, name.compact) / 100
        if joined >= 0.9 and joined > by_words.value:
            return NameScore(joined, True)
    return by_words


@dataclass(frozen=True)
class Candidate:
    """One entity as the scorer sees it (from `cypher.reconcile.CANDIDATES`)."""

    key: str
    kind: str
    name: str
    names: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    acronym: str | None = None
    country: str | None = None
    description: str | None = None
    merged_keys: tuple[str, ...] = ()
    country_names: tuple[str, ...] = ()
    region_names: tuple[str, ...] = ()
    city_names: tuple[str, ...] = ()

    def variants(self) -> list[str]:
        """Every name it goes by: the name, other-language names ("pl:..."), aliases, acronym."""
        localized = [n.split(":", 1)[1] if ":" in n[:4] else n for n in self.names]
        return [self.name, *localized, *self.aliases, *([self.acronym] if self.acronym else [])]

    def place_words(self) -> frozenset[str]:
        places = [*self.country_names, *self.region_names, *self.city_names]
        return frozenset(w for p in places for w in raw_words(p)) | (
            frozenset({self.country.lower()}) if self.country else frozenset()
        )


@dataclass(frozen=True)
class Property:
    """A property value given with a query: `pid` one of PROPERTIES, `values` as given."""

    pid: str
    values: tuple[str, ...]


@dataclass
class Scored:
    candidate: Candidate
    score: float  # 0..1
    name: float  # the name's part alone
    complete: bool = False  # every distinctive word found its like
    agreed: list[str] = field(default_factory=list)
    disagreed: list[str] = field(default_factory=list)
    match: bool = False


def _same_place(given: str, names: tuple[str, ...]) -> bool:
    g = words(given).text
    return any(g == words(n).text or fuzz.ratio(g, words(n).text) >= 88 for n in names)


def agrees(prop: Property, c: Candidate) -> bool | None:
    """Whether the candidate's value agrees with the given one; None when it has none to compare."""
    if prop.pid == "country":
        if not c.country:
            return None
        names = (c.country, *c.country_names)
        return any(fold(v) == fold(c.country) or _same_place(v, names) for v in prop.values)
    if prop.pid == "region":
        return any(_same_place(v, c.region_names) for v in prop.values) if c.region_names else None
    if prop.pid == "city":
        return any(_same_place(v, c.city_names) for v in prop.values) if c.city_names else None
    if prop.pid == "acronym":
        own = [a for a in (c.acronym, *c.aliases) if a]
        if not own:
            return None
        return any(words(v).text == words(a).text for v in prop.values for a in own)
    return None


def score(query: str, props: list[Property], c: Candidate) -> Scored:
    q = words(query)
    places = c.place_words()
    named = max(
        (name_similarity(q, words(v), places) for v in c.variants() if v),
        key=lambda n: (n.value, n.complete),
        default=NO_NAME,
    )
    # An acronym typed for a name the graph holds whole ("SKTS") is a candidate, never sure.
    if len(q.words) == 1 and len(q.words[0]) >= 3 and q.words[0] == acronym_of(c.name):
        named = max(named, NameScore(0.8, False), key=lambda n: n.value)
    if query.strip() in (c.key, *c.merged_keys):
        named = NameScore(1.0, True)
    result = Scored(c, named.value, named.value, complete=named.complete)
    # What a list wrote in brackets after the name ("(WRS)", "(AT)") agrees when it is the
    # candidate's acronym or country; anything else there says nothing.
    _, hint = bracketed(query)
    if hint is not None:
        for pid in ("acronym", "country"):
            if agrees(Property(pid, (hint,)), c) and all(p.pid != pid for p in props):
                result.agreed.append(pid)
    for prop in props:
        verdict = agrees(prop, c)
        if verdict is True:
            result.agreed.append(prop.pid)
        elif verdict is False:
            result.disagreed.append(prop.pid)
    result.score = max(
        0.0, min(1.0, named.value + AGREE * len(result.agreed) - DISAGREE * len(result.disagreed))
    )
    return result


def rank(query: str, props: list[Property], candidates: list[Candidate]) -> list[Scored]:
    """The candidates best first, the first marked `match` when the service is sure."""
    seen: set[str] = set()
    scored = []
    for c in candidates:
        if c.key not in seen:
            seen.add(c.key)
            scored.append(score(query, props, c))
    scored.sort(key=lambda s: (-s.score, s.candidate.key))
    if scored:
        top = scored[0]
        runner_up = scored[1].score if len(scored) > 1 else 0.0
        top.match = (
            top.score >= MATCH_SCORE
            and top.name >= MATCH_SCORE - AGREE
            and top.complete
            and not top.disagreed
            and top.score - runner_up >= MATCH_MARGIN
        )
    return scored
