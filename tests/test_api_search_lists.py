"""Search and the per-kind lists."""

from typing import Any

SEARCH = """query ($q: String!, $kinds: [EntityKind!], $countries: [String!]) {
  search(query: $q, kinds: $kinds, countries: $countries) { totalCount edges { score node { key name kind } } } }"""


async def test_search_ignores_case_and_diacritics(gql: Any) -> None:
    for query, key in [
        ("skalacka", "person:kinga-skalacka"),
        ("SKAŁACKA", "person:kinga-skalacka"),
        ("slaski klaster", "cluster:slaski-klaster-transplantologii-szpiku"),
        ("usti", "organisation:rda-usti-region"),
        ("Clsuters-Cord", "project:clusters-cord"),
    ]:
        hits = (await gql(SEARCH, {"q": query}))["data"]["search"]
        assert key in [e["node"]["key"] for e in hits["edges"]], (query, hits)
        scores = [e["score"] for e in hits["edges"]]
        assert scores == sorted(scores, reverse=True)


async def test_search_filters_by_kind_and_country(gql: Any) -> None:
    hits = (await gql(SEARCH, {"q": "agency", "kinds": ["ORGANISATION"], "countries": ["PL"]}))["data"][
        "search"
    ]
    assert hits["totalCount"] > 0
    for edge in hits["edges"]:
        assert edge["node"]["kind"] == "ORGANISATION"
    keys = {e["node"]["key"] for e in hits["edges"]}
    assert "organisation:rda-usti-region" not in keys


async def test_lists_filter_by_country_project_and_sector(gql: Any) -> None:
    body = await gql(
        """{
          polish: clusters(filter: {countries: ["PL"]}) { totalCount nodes { name countryCode } }
          partners: organisations(filter: {project: "project:clusters-cord"}, first: 50) { totalCount }
          tourism: metaClusters(filter: {sector: "sector:tourism"}) { nodes { key status } }
          czech: organisations(filter: {countries: ["CZ"], project: "project:clusters-cord"}) { nodes { key } }
          projects(orderBy: NAME_DESC) { nodes { name } }
        }"""
    )
    data = body["data"]
    assert data["polish"]["totalCount"] == 2
    assert {c["countryCode"] for c in data["polish"]["nodes"]} == {"PL"}
    assert data["partners"]["totalCount"] == 11
    assert data["tourism"]["nodes"] == [{"key": "metacluster:tourism", "status": "formed"}]
    assert {o["key"] for o in data["czech"]["nodes"]} == {
        "organisation:rda-usti-region",
        "organisation:centre-for-research-and-innovation",
    }
    names = [p["name"] for p in data["projects"]["nodes"]]
    assert names == sorted(names, reverse=True) and len(names) == 2


async def test_list_pages_do_not_overlap(gql: Any) -> None:
    query = "query ($after: String) { organisations(first: 10, after: $after) { totalCount pageInfo { endCursor hasNextPage } nodes { key } } }"
    first = (await gql(query))["data"]["organisations"]
    second = (await gql(query, {"after": first["pageInfo"]["endCursor"]}))["data"]["organisations"]
    one = [n["key"] for n in first["nodes"]]
    two = [n["key"] for n in second["nodes"]]
    assert len(one) == 10 and not set(one) & set(two)
    assert first["pageInfo"]["hasNextPage"] is True


async def test_search_takes_any_text_literally(gql: Any) -> None:
    for text in ["NOT (a", 'a && b || "c', "title:x~2 ^3 [1 TO 2] \\ /re/", "*"]:
        body = await gql(SEARCH, {"q": text}, status=200)
        assert "errors" not in body, (text, body)
