"""Each root field costs Neo4j exactly one Cypher query, however deeply the request nests."""

from typing import Any

DEEP = """{
  entity(key: "project:clusters-cord") {
    name sources { name } claims { property source { name } }
    ... on Project {
      programme { name projects { edges { node { name } } } }
      leadPartner { name region { name country { name } } contacts { edges { node { name } } } }
      partners(first: 20) { edges { role sources { sourceId } node { name country { code }
        ... on Organisation { region { name } partners(first: 3) { edges { node { name } projects { name } } } } } } }
      clusters { edges { node { name ... on Cluster { representatives { edges { node { name } } } } } } }
      events { edges { node { name ... on Event { organisers { edges { node { name } } } } } } }
    }
  }
}"""


async def test_a_deep_request_is_one_cypher_query(gql: Any) -> None:
    body = await gql(DEEP)
    assert "errors" not in body, body
    assert body["extensions"]["cypherQueries"] == 1
    partners = body["data"]["entity"]["partners"]["edges"]
    assert len(partners) == 11 and all(p["node"]["country"]["code"] for p in partners)


async def test_one_query_per_root_field(gql: Any) -> None:
    body = await gql(
        """{ a: entity(key: "cluster:euroregion-beskidy") { name }
             b: search(query: "skalacka") { totalCount }
             c: clusters { nodes { name } }
             d: cooperationPaths(from: "cluster:euroregion-beskidy", to: "organisation:rda-usti-region") { length } }"""
    )
    assert "errors" not in body
    assert body["extensions"]["cypherQueries"] == 4
