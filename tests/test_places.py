"""The reference places: every NUTS 2021/2024 region and the European GeoNames cities, on the real stack.

The module loads the places into the seeded test graph once, and gives the seed-only
graph back to the modules after it.
"""

from collections.abc import AsyncIterator
from typing import Any

import pytest

from clustergraph.graph.db import Graph
from clustergraph.importer.loader import load
from clustergraph.paths import SEED_DIR
from clustergraph.places.cities import read_cities, read_countries
from clustergraph.places.load import PlacesReport, load_places
from clustergraph.places.nuts import read_regions
from tests.support import reset_graph

# Everything a load could change: every node and relationship with its properties.
SNAPSHOT = """
MATCH (n:Entity) OPTIONAL MATCH (n)-[r]->(m:Entity)
WITH n, collect([type(r), m.key, properties(r)]) AS out ORDER BY n.key
RETURN collect([n.key, labels(n), properties(n), out]) AS graph
"""


@pytest.fixture(scope="module")
async def places(graph: Graph) -> AsyncIterator[PlacesReport]:
    report = await load_places(graph)
    yield report
    await reset_graph(graph)


async def _snapshot(graph: Graph) -> Any:
    return (await graph.read(SNAPSHOT))[0]["graph"]


async def test_every_nuts_region_and_european_city_is_loaded(graph: Graph, places: PlacesReport) -> None:
    regions = read_regions()
    # The table read independently of the load: the graph holds each of its codes once.
    rows = await graph.read(
        "MATCH (r:Region) WHERE r.nutsCode IS NOT NULL "
        "RETURN r.nutsLevel AS level, count(*) AS n, count(DISTINCT r.nutsCode) AS codes ORDER BY level"
    )
    assert sum(r["n"] for r in rows) == len(regions) == places.regions
    assert all(r["n"] == r["codes"] for r in rows)
    assert [r["level"] for r in rows] == [0, 1, 2, 3]
    assert {"CZ04", "PL22", "HU21", "AT31", "DE1", "SI0"} <= {r.code for r in regions}
    countries = read_countries({r.country for r in regions})
    cities = await graph.read("MATCH (c:City) WHERE c.geonameId IS NOT NULL RETURN count(c) AS n")
    assert cities[0]["n"] == len(read_cities(c.code for c in countries)) == places.cities
    unplaced = await graph.read("MATCH (c:City) WHERE NOT (c)-[:IN_COUNTRY]->(:Country) RETURN count(c) AS n")
    assert unplaced[0]["n"] == 0


async def test_loading_twice_changes_nothing(graph: Graph, places: PlacesReport) -> None:
    before = await _snapshot(graph)
    again = await load_places(graph)
    assert (again.created, again.updated, again.links_created) == (0, 0, 0)
    assert await _snapshot(graph) == before


async def test_the_seed_loaded_again_keeps_what_the_places_added(graph: Graph, places: PlacesReport) -> None:
    before = await _snapshot(graph)
    report = await load(graph, SEED_DIR)
    assert report.ok and report.created == 0 and report.updated == 0
    assert await _snapshot(graph) == before


HIERARCHY = """{ entity(key: "region:cz04") { ... on Region {
  code level name nameNational versions
  parent { code level parent { code level name parent { code } } }
  children(first: 50) { edges { node { ... on Region { code level } } } }
  actors { edges { node { key } } } } } }"""


async def test_a_region_knows_its_parent_and_children(gql: Any, places: PlacesReport) -> None:
    region = (await gql(HIERARCHY))["data"]["entity"]
    assert (region["code"], region["level"], region["nameNational"]) == ("CZ04", 2, "Severozápad")
    assert region["versions"] == ["2021", "2024"]
    assert region["parent"]["code"] == "CZ0" and region["parent"]["level"] == 1
    assert region["parent"]["parent"]["code"] == "CZ" and region["parent"]["parent"]["level"] == 0
    assert region["parent"]["parent"]["parent"] is None
    children = {e["node"]["code"]: e["node"]["level"] for e in region["children"]["edges"]}
    assert children == {"CZ041": 3, "CZ042": 3}
    assert "organisation:rda-usti-region" in {e["node"]["key"] for e in region["actors"]["edges"]}


async def test_versions_and_latin_names_follow_the_table(gql: Any, places: PlacesReport) -> None:
    body = await gql(
        """{ old: entity(key: "region:pt17") { ... on Region { versions } }
             new: entity(key: "region:pt1a") { ... on Region { versions parent { code } } }
             bg: entity(key: "region:bg31") { name ... on Region { nameLatin nameNational } } }"""
    )
    data = body["data"]
    assert data["old"]["versions"] == ["2021"]
    assert data["new"] == {"versions": ["2024"], "parent": {"code": "PT1"}}
    assert data["bg"] == {
        "name": "Severozapaden",
        "nameLatin": "Severozapaden",
        "nameNational": "Северозападен",
    }


LIST = """query ($regions: [String!]) {
  organisations(filter: {regions: $regions}, first: 100) { totalCount nodes { key } }
  cities(filter: {regions: $regions}, first: 100) { nodes { name } }
  regions(filter: {regions: $regions}, first: 100) { totalCount nodes { ... on Region { code } } } }"""


async def test_a_region_filter_matches_the_region_and_everything_inside(
    gql: Any, places: PlacesReport
) -> None:
    data = (await gql(LIST, {"regions": ["PL2"]}))["data"]
    # PL2 (Makroregion południowy, level 1) holds Śląskie (PL22, level 2), its level-3 regions and cities.
    codes = {n["code"] for n in data["regions"]["nodes"]}
    assert {"PL2", "PL21", "PL22", "PL213", "PL224"} <= codes
    assert all(c.startswith("PL2") for c in codes)
    assert "organisation:rda-bielsko-biala" in {n["key"] for n in data["organisations"]["nodes"]}
    # Kraków lies in the level-3 region Miasto Kraków (PL213): a level-1 code finds it.
    assert "Kraków" in {n["name"] for n in data["cities"]["nodes"]}
    czech = (await gql(LIST, {"regions": ["CZ0"]}))["data"]["organisations"]["nodes"]
    assert {"organisation:rda-usti-region", "organisation:centre-for-research-and-innovation"} <= {
        n["key"] for n in czech
    }
    nothing = (await gql(LIST, {"regions": []}))["data"]
    assert nothing["organisations"]["totalCount"] == 0 == nothing["regions"]["totalCount"]


async def test_a_malformed_region_code_is_bad_user_input(gql: Any, places: PlacesReport) -> None:
    body = await gql(LIST, {"regions": ["Śląskie"]})
    # Each of the three root fields refuses it.
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"] * 3
    assert "NUTS codes" in body["errors"][0]["message"]


async def test_cross_border_partners_filter_by_region(gql: Any, places: PlacesReport) -> None:
    body = await gql(
        """{ crossBorderPartners(key: "cluster:euroregion-beskidy", regions: ["CZ04"]) { partner { key } } }"""
    )
    keys = {p["partner"]["key"] for p in body["data"]["crossBorderPartners"]}
    assert keys == {"organisation:rda-usti-region"}


SEARCH = """query ($q: String!) { search(query: $q, kinds: [REGION]) { edges { node { key } } } }"""


async def test_search_finds_a_region_by_code_and_by_name(gql: Any, places: PlacesReport) -> None:
    for query, key in [
        ("CZ04", "region:cz04"),
        ("Severozápad", "region:cz04"),
        ("Slaskie", "region:pl22"),
        ("HU21", "region:hu21"),
        ("Severozapaden", "region:bg31"),
        ("ITC4", "region:itc4"),
    ]:
        hits = [e["node"]["key"] for e in (await gql(SEARCH, {"q": query}))["data"]["search"]["edges"]]
        assert hits[:1] == [key], (query, hits)


CITY = """query ($key: String!) { entity(key: $key) { name ... on City {
  latitude longitude geonameId region { ... on Region { code } } } } }"""


async def test_the_seed_cities_have_their_coordinates(gql: Any, graph: Graph, places: PlacesReport) -> None:
    assert set(places.seed_cities_matched) == {
        "city:legnica",
        "city:bielsko-biala",
        "city:usti-nad-labem",
        "city:katowice",
        "city:brussels",
    }
    legnica = (await gql(CITY, {"key": "city:legnica"}))["data"]["entity"]
    assert abs(legnica["latitude"] - 51.21) < 0.05 and abs(legnica["longitude"] - 16.16) < 0.05
    assert legnica["region"] == {"code": "PL51"}  # the seed's region, as S2 and S5 state it
    brussels = (await gql(CITY, {"key": "city:brussels"}))["data"]["entity"]
    assert abs(brussels["latitude"] - 50.85) < 0.05 and abs(brussels["longitude"] - 4.35) < 0.05
    # Matched, not duplicated: one Legnica in the graph.
    rows = await graph.read("MATCH (c:City) WHERE c.name = 'Legnica' RETURN count(c) AS n")
    assert rows[0]["n"] == 1


async def test_a_city_is_placed_in_a_region_only_where_the_tables_say(gql: Any, places: PlacesReport) -> None:
    [krakow] = [c for c in read_cities(["PL"]) if c.name == "Kraków"]
    body = await gql(
        """query ($krakow: String!) {
             krakow: entity(key: $krakow) { name ... on City { region { ... on Region { code } } country { code } } }
             katowice: entity(key: "city:katowice") { ... on City { region { key } country { code } } } }""",
        {"krakow": krakow.key},
    )
    # NUTS names PL213 "Miasto Kraków": the region is the city.
    assert body["data"]["krakow"] == {
        "name": "Kraków",
        "region": {"code": "PL213"},
        "country": {"code": "PL"},
    }
    # No source or label says which NUTS-3 region Katowice is in: linked to its country only.
    assert body["data"]["katowice"] == {"region": None, "country": {"code": "PL"}}


async def test_seed_actors_link_to_their_real_nuts_regions(gql: Any, places: PlacesReport) -> None:
    body = await gql(
        """{ organisations(filter: {project: "project:clusters-cord"}, first: 20) {
               nodes { key ... on Organisation { region { ... on Region { code level } } } } } }"""
    )
    regions = {n["key"]: n["region"] for n in body["data"]["organisations"]["nodes"]}
    assert regions["organisation:rda-usti-region"] == {"code": "CZ04", "level": 2}
    assert regions["organisation:rda-bielsko-biala"] == {"code": "PL22", "level": 2}
    assert regions["organisation:mid-pannon"] == {"code": "HU21", "level": 2}
    assert regions["organisation:upper-austrian-chamber-of-commerce"] == {"code": "AT31", "level": 2}
    assert regions["organisation:wrs"] == {"code": "DE1", "level": 1}
