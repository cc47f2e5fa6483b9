"""Search finds what a person types, best match first: each behaviour on the seed graph over HTTP.

The wider measure is the quality set (`test_search_quality.py`); these are the rules it
rests on, one test each, so that a regression says which rule broke.
"""

from __future__ import annotations

import unicodedata
from typing import Any

SEARCH = """query ($q: String!, $first: Int = 10) {
  search(query: $q, first: $first) { totalCount edges { score node { key name aliases } } } }"""
DESCRIBED = """query ($q: String!) {
  search(query: $q, first: 20) { edges { score node { key name ... on Cluster { description } } } } }"""

CHAMBER = "organisation:upper-austrian-chamber-of-commerce"
KINGA = "person:kinga-skalacka"
SILESIAN_CLUSTER = "cluster:slaski-klaster-transplantologii-szpiku"


async def _keys(gql: Any, query: str) -> list[str]:
    body = await gql(SEARCH, {"q": query})
    assert "errors" not in body, body
    return [edge["node"]["key"] for edge in body["data"]["search"]["edges"]]


def _folded(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


async def test_a_whole_name_with_stop_words_comes_first(gql: Any) -> None:
    for query, key in [
        ("Upper Austrian Chamber of Commerce", CHAMBER),
        ("Centre for Research and Innovation", "organisation:centre-for-research-and-innovation"),
        ("Energia i Środowisko", "sector:energy-and-environment"),  # Polish "i" (and)
        ("Ústí nad Labem", "city:usti-nad-labem"),  # Czech "nad" (on)
        ("Agencja Rozwoju Regionalnego S.A. w Bielsku-Białej", "organisation:rda-bielsko-biala"),
    ]:
        assert (await _keys(gql, query))[:1] == [key], query


async def test_stop_words_do_not_make_a_match(gql: Any) -> None:
    # Every answer shares a word that is not a stop word with the query: sharing "of"
    # (the Regional Development Agency of Piestany) is not enough.
    body = await gql(SEARCH, {"q": "Upper Austrian Chamber of Commerce", "first": 100})
    for edge in body["data"]["search"]["edges"]:
        names = _folded(" ".join([edge["node"]["name"], *(edge["node"]["aliases"] or [])]))
        assert any(word in names for word in ("upper", "austria", "chamber", "commerce")), edge
    # A query of stop words and one name word answers as that word alone does.
    assert (await _keys(gql, "of the Beskidy"))[:1] == ["cluster:euroregion-beskidy"]


async def test_prefixes_with_and_without_diacritics(gql: Any) -> None:
    for query, key in [
        ("skała", KINGA),
        ("Skał", KINGA),
        ("skal", KINGA),
        ("Oberöst", "region:at31"),
        ("Közép-Dun", "region:hu21"),
    ]:
        assert (await _keys(gql, query))[:1] == [key], query
    for query in ("śląsk", "slask"):
        assert {SILESIAN_CLUSTER, "region:pl22"} <= set((await _keys(gql, query))[:3]), query


async def test_small_misspellings(gql: Any) -> None:
    for query, key in [
        ("Skalaka", KINGA),
        ("Kinga Skalatska", KINGA),
        ("Steinbeiss", "organisation:steinbeis-europa-zentrum"),
        ("Clustrs-Cord", "project:clusters-cord"),
    ]:
        assert (await _keys(gql, query))[:1] == [key], query
    # A short word is taken as typed: "WRS" is not a misspelt "ARS" or "WRT".
    assert await _keys(gql, "WRZ") == []


async def test_aliases_and_keys(gql: Any) -> None:
    for query, key in [
        ("ARLEG", "organisation:arleg"),
        ("INTERREG IV B", "programme:central-europe"),
        ("Clsuters-Cord", "project:clusters-cord"),  # a source's misspelling, kept as an alias
        ("organisation:wrs", "organisation:wrs"),  # a key, as the explorer's path fields take one
    ]:
        assert (await _keys(gql, query))[:1] == [key], query


async def test_descriptions_count_less_than_names(gql: Any) -> None:
    body = await gql(DESCRIBED, {"q": "Silesian"})
    hits = [edge["node"] for edge in body["data"]["search"]["edges"]]
    keys = [hit["key"] for hit in hits]
    # Found by the English gloss of its description ...
    assert SILESIAN_CLUSTER in keys and "Silesian" in hits[keys.index(SILESIAN_CLUSTER)]["description"]
    # ... after the entities with "Silesian" in their names.
    named = [i for i, hit in enumerate(hits) if "Silesian" in hit["name"]]
    assert len(named) == 2 and max(named) < keys.index(SILESIAN_CLUSTER)
    assert (await _keys(gql, "bone marrow"))[:1] == [SILESIAN_CLUSTER]


async def test_an_exact_name_ranks_before_longer_names_that_contain_it(gql: Any) -> None:
    for query, key, longer in [
        ("Tourism", "sector:tourism", "metacluster:tourism"),
        ("Food", "sector:food", "sector:food-processing"),
        ("Bielsko-Biała", "city:bielsko-biala", "organisation:rda-bielsko-biala"),
        ("Health Sciences", "sector:health-sciences", "sector:health-and-science"),
    ]:
        keys = await _keys(gql, query)
        assert keys[0] == key and longer in keys, (query, keys)
    body = await gql(SEARCH, {"q": "Tourism"})
    scores = [edge["score"] for edge in body["data"]["search"]["edges"]]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[1]


async def test_the_longest_search_allowed_is_answered(gql: Any) -> None:
    # Twenty long words, each a prefix, a near miss and a phrase word: within Lucene's clause limit.
    body = await gql(SEARCH, {"q": " ".join(["Transplan"] * 20)})
    assert "errors" not in body, body
    assert body["data"]["search"]["edges"][0]["node"]["key"] == SILESIAN_CLUSTER
