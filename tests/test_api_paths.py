"""Neighbourhoods, cooperation paths, cross-border partners and the cooperation matrix."""

import itertools
from typing import Any

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
    variables = {"from": "cluster:euroregion-beskidy", "to": "organisation:rda-bielsko-biala", "hops": 5}
    every = (await gql(PATHS, {**variables, "cross": False}))["data"]["cooperationPaths"]
    assert every and every[0]["countries"] == ["PL"] and every[0]["crossesBorder"] is False
    crossing = (await gql(PATHS, {**variables, "cross": True}))["data"]["cooperationPaths"]
    assert crossing, "a path through another country exists within 5 hops"
    assert all(p["crossesBorder"] and p["borderCrossings"] >= 2 for p in crossing)
    assert all(p["countries"][0] == p["countries"][-1] == "PL" for p in crossing)


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
