"""Neighbourhoods, cooperation paths, cross-border partners and the cooperation matrix."""

import itertools
from typing import Any

import pytest

from clustergraph.graph.db import Graph
from clustergraph.model import ENTITY_LABEL
from clustergraph.paths import SEED_DIR
from tests import path_oracle
from tests.path_oracle import Edge

BIELSKO = "organisation:rda-bielsko-biala"
BESKIDY = "cluster:euroregion-beskidy"
PATHS = """query ($from: String!, $to: String!, $cross: Boolean!, $hops: Int!) {
  cooperationPaths(from: $from, to: $to, crossBorderOnly: $cross, maxHops: $hops, limit: 5) {
    length countries crossesBorder borderCrossings
    nodes { key countryCode } edges { type from to sources { sourceId } } } }"""


async def test_path_from_a_polish_cluster_to_the_czech_lead_partner(gql: Any) -> None:
    body = await gql(
        PATHS,
        {
            "from": "cluster:euroregion-beskidy",
            "to": "organisation:rda-usti-region",
            "cross": False,
            "hops": 4,
        },
    )
    paths = body["data"]["cooperationPaths"]
    assert paths, body
    shortest = paths[0]
    assert shortest["countries"] == ["PL", "CZ"]
    assert shortest["crossesBorder"] is True and shortest["borderCrossings"] == 1
    assert shortest["nodes"][0]["key"] == "cluster:euroregion-beskidy"
    assert shortest["nodes"][-1]["key"] == "organisation:rda-usti-region"
    assert len(shortest["edges"]) == shortest["length"] == len(shortest["nodes"]) - 1
    assert all(edge["sources"] for edge in shortest["edges"])
    lengths = [p["length"] for p in paths]
    assert lengths == sorted(lengths)
    for path, edge_ends in ((p, [(e["from"], e["to"]) for e in p["edges"]]) for p in paths):
        keys = [n["key"] for n in path["nodes"]]
        for (a, b), (x, y) in zip(itertools.pairwise(keys), edge_ends, strict=True):
            assert {a, b} == {x, y}


async def test_cross_border_only_excludes_same_country_paths(gql: Any) -> None:
    # Two Polish entities joined through a Czech one: CLUSTRAT's partner meeting in Katowice
    # and a Polish partner of CLUSTRAT, by way of the Czech cluster association.
    variables = {
        "from": "event:clustrat-partner-meeting-katowice-2013",
        "to": "organisation:lower-silesian-marshal-office",
        "hops": 5,
    }
    every = (await gql(PATHS, {**variables, "cross": False}))["data"]["cooperationPaths"]
    assert every and every[0]["countries"] == ["PL"] and every[0]["crossesBorder"] is False
    crossing = (await gql(PATHS, {**variables, "cross": True}))["data"]["cooperationPaths"]
    assert crossing, "a path through another country exists within 5 hops"
    assert all(p["crossesBorder"] and p["borderCrossings"] >= 2 for p in crossing)
    assert all(p["countries"][0] == p["countries"][-1] == "PL" for p in crossing)
    assert [n["key"] for n in crossing[0]["nodes"]][1] == "organisation:national-cluster-association"
    # Beskidy and Bielsko-Biała leave Poland only through Clusters-Cord and back through
    # it: no simple path crosses a border, so there is none to give.
    through_one_project = {"from": BESKIDY, "to": BIELSKO, "hops": 5, "cross": True}
    assert (await gql(PATHS, through_one_project))["data"]["cooperationPaths"] == []


async def test_cross_border_partners_are_abroad_and_nearest_first(gql: Any) -> None:
    body = await gql(
        """{ crossBorderPartners(key: "cluster:slaski-klaster-transplantologii-szpiku", maxHops: 2) {
              countryCode distance partner { key countryCode } path { length countries } } }"""
    )
    partners = body["data"]["crossBorderPartners"]
    assert {p["partner"]["key"] for p in partners} >= {"organisation:rda-usti-region"}
    assert all(p["countryCode"] != "PL" and p["partner"]["countryCode"] == p["countryCode"] for p in partners)
    assert all(
        p["path"]["length"] == p["distance"] <= 2 and p["path"]["countries"][0] == "PL" for p in partners
    )
    only_czech = await gql(
        """{ crossBorderPartners(key: "cluster:euroregion-beskidy", countries: ["CZ"]) { countryCode } }"""
    )
    assert {p["countryCode"] for p in only_czech["data"]["crossBorderPartners"]} == {"CZ"}


async def test_neighbourhood_nodes_edges_and_truncation(gql: Any) -> None:
    query = """query ($limit: Int!, $depth: Int!) {
      neighbourhood(key: "person:kinga-skalacka", depth: $depth, limit: $limit) {
        truncated center { key } nodes { key } edges { type from to } } }"""
    one = (await gql(query, {"limit": 100, "depth": 1}))["data"]["neighbourhood"]
    assert one["center"] == {"key": "person:kinga-skalacka"}
    assert [n["key"] for n in one["nodes"]] == [
        "person:kinga-skalacka",
        "cluster:slaski-klaster-transplantologii-szpiku",
    ]
    assert one["edges"] == [
        {
            "type": "REPRESENTS",
            "from": "person:kinga-skalacka",
            "to": "cluster:slaski-klaster-transplantologii-szpiku",
        }
    ]
    assert one["truncated"] is False
    cut = (await gql(query, {"limit": 3, "depth": 3}))["data"]["neighbourhood"]
    assert cut["truncated"] is True and len(cut["nodes"]) == 3
    kept = {n["key"] for n in cut["nodes"]}
    assert all(e["from"] in kept and e["to"] in kept for e in cut["edges"])


async def test_cooperation_matrix_counts_actor_pairs_per_country_pair(gql: Any) -> None:
    body = await gql(
        """{ cooperationMatrix(project: "project:clusters-cord") { countries totalLinks cells { from to links } } }"""
    )
    matrix = body["data"]["cooperationMatrix"]
    cells = {(c["from"], c["to"]): c["links"] for c in matrix["cells"]}
    # FACTS.md: Poland has two partners and two clusters in the project, Czechia two partners.
    assert cells[("CZ", "PL")] == 4 * 2
    assert cells[("PL", "PL")] == 4 * 3 // 2
    assert matrix["countries"] == sorted(matrix["countries"]) and "CZ" in matrix["countries"]
    assert matrix["totalLinks"] == sum(cells.values())
    everything = (await gql("{ cooperationMatrix { totalLinks } }"))["data"]["cooperationMatrix"]
    assert everything["totalLinks"] > matrix["totalLinks"]


async def test_relationship_types_narrow_the_paths(gql: Any) -> None:
    body = await gql(
        """{ cooperationPaths(from: "cluster:euroregion-beskidy", to: "organisation:rda-usti-region",
              relationshipTypes: [ENGAGES, PARTNER_IN], limit: 5) { length edges { type } } }"""
    )
    paths = body["data"]["cooperationPaths"]
    assert paths and paths[0]["length"] == 3
    assert all(e["type"] in {"ENGAGES", "PARTNER_IN"} for p in paths for e in p["edges"])


# -- simple paths, and path ends by name (issue 12) ------------------------------------------

BESKIDY_NAME = "Klaster Euroregion Beskidy"
SIMPLE = """query ($from: String!, $to: String!, $cross: Boolean!, $hops: Int!, $limit: Int!) {
  cooperationPaths(from: $from, to: $to, crossBorderOnly: $cross, maxHops: $hops, limit: $limit) {
    length countries nodes { key } edges { type from to } } }"""


def expected_paths(start: str, end: str, hops: int, cross: bool) -> list[list[Edge]]:
    """The simple paths the seed files hold between two entities (networkx, not Neo4j)."""
    oracle = path_oracle.read(SEED_DIR)
    found = oracle.simple_paths(start, end, hops)
    if cross:
        found = [p for p in found if len(oracle.folded_countries(oracle.node_keys(start, p))) > 1]
    return found


@pytest.mark.parametrize(
    ("start", "end", "cross", "some"),
    [
        (BIELSKO, BESKIDY, False, True),  # the example: a path left the target and came back
        # Two Polish actors: every path passed Clusters-Cord twice, and no simple one crosses.
        (BIELSKO, BESKIDY, True, False),
        (BESKIDY, "organisation:rda-usti-region", False, True),
        (
            "event:clustrat-partner-meeting-katowice-2013",
            "organisation:lower-silesian-marshal-office",
            True,
            True,
        ),
        ("person:kinga-skalacka", "organisation:rda-usti-region", True, True),
    ],
)
async def test_paths_are_the_limit_shortest_simple_paths(
    gql: Any, start: str, end: str, cross: bool, some: bool
) -> None:
    limit = 10
    body = await gql(SIMPLE, {"from": start, "to": end, "cross": cross, "hops": 4, "limit": limit})
    paths = body["data"]["cooperationPaths"]
    for path in paths:
        keys = [n["key"] for n in path["nodes"]]
        assert len(set(keys)) == len(keys), keys
        assert keys[0] == start and keys[-1] == end
        assert not cross or len(path["countries"]) > 1
    expected = expected_paths(start, end, 4, cross)
    assert bool(expected) is some
    assert len(paths) == min(limit, len(expected))
    assert [p["length"] for p in paths] == sorted(len(p) for p in expected)[:limit]
    every = {tuple(p) for p in expected}
    assert all(tuple((e["from"], e["to"], e["type"]) for e in p["edges"]) in every for p in paths)


async def test_cross_border_partners_paths_are_simple(gql: Any) -> None:
    body = await gql(
        """{ crossBorderPartners(key: "organisation:rda-bielsko-biala", maxHops: 4) {
              distance partner { key } path { length nodes { key } } } }"""
    )
    partners = body["data"]["crossBorderPartners"]
    assert partners
    distances = path_oracle.read(SEED_DIR).distances(BIELSKO, 4)
    for partner in partners:
        keys = [n["key"] for n in partner["path"]["nodes"]]
        assert len(set(keys)) == len(keys), keys
        assert partner["distance"] == partner["path"]["length"] == distances[partner["partner"]["key"]]


PATH_ENDS = """query ($from: String!, $to: String!) {
  cooperationPaths(from: $from, to: $to, limit: 5) { nodes { key } } }"""


async def test_a_path_end_is_a_key_or_an_exact_name(gql: Any) -> None:
    by_keys = await gql(PATH_ENDS, {"from": BIELSKO, "to": BESKIDY})
    by_names = await gql(
        PATH_ENDS, {"from": "Agencja Rozwoju Regionalnego S.A. w Bielsku-Białej", "to": BESKIDY_NAME}
    )
    assert by_keys["data"]["cooperationPaths"], by_keys
    assert by_names == by_keys


@pytest.mark.parametrize(
    ("given", "meant"),
    [("Euroregion Beskidy", BESKIDY), ("cluster:euroregion-beskid", BESKIDY), ("Zzyzxq Qwvxk", None)],
)
async def test_an_unknown_path_end_is_refused_with_the_keys_search_finds(
    gql: Any, given: str, meant: str | None
) -> None:
    body = await gql(PATH_ENDS, {"from": BIELSKO, "to": given})
    assert body["data"] is None or body["data"]["cooperationPaths"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["argument"] == "to"
    assert given in error["message"]
    candidates = error["extensions"]["candidates"]
    if meant is None:
        assert candidates == []
    else:
        assert meant in candidates and meant in error["message"]


async def test_a_name_two_entities_share_is_refused_with_both_keys(gql: Any, graph: Graph) -> None:
    twin = "organisation:test-beskidy-twin"
    await graph.write(
        f"CREATE (:{ENTITY_LABEL}:Organisation {{key: $key, name: $name, country: 'PL'}})",
        {"key": twin, "name": BESKIDY_NAME},
    )
    try:
        body = await gql(PATH_ENDS, {"from": BESKIDY_NAME, "to": BIELSKO})
        [error] = body["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["argument"] == "from"
        assert error["extensions"]["candidates"] == sorted([BESKIDY, twin])
        assert "several entities" in error["message"]
        # The key still names one of them.
        assert (await gql(PATH_ENDS, {"from": BESKIDY, "to": BIELSKO}))["data"]["cooperationPaths"]
    finally:
        await graph.write("MATCH (n {key: $key}) DETACH DELETE n", {"key": twin})
