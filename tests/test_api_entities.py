"""Entities and their typed relationships, checked against ../shared/reference/FACTS.md, over HTTP."""

from typing import Any

CLUSTER_WITH_PEOPLE = """
query ($key: String!) {
  entity(key: $key) {
    key name kind countryCode
    country { code name }
    sources { sourceId }
    ... on Cluster {
      representatives { totalCount edges { node { name ... on Person { title } } sources { sourceId } } }
      engagedBy { edges { node { name countryCode } } }
    }
  }
}
"""


async def test_each_polish_cluster_has_its_representative(gql: Any) -> None:
    expected = {
        "cluster:slaski-klaster-transplantologii-szpiku": "Kinga Skałacka",
        "cluster:euroregion-beskidy": "Marcin Filip",
    }
    for key, person in expected.items():
        body = await gql(CLUSTER_WITH_PEOPLE, {"key": key}, status=200)
        entity = body["data"]["entity"]
        assert entity["kind"] == "CLUSTER" and entity["countryCode"] == "PL"
        assert entity["country"] == {"code": "PL", "name": "Poland"}
        people = [e["node"]["name"] for e in entity["representatives"]["edges"]]
        assert people == [person]
        assert entity["representatives"]["edges"][0]["sources"] == [{"sourceId": "S1"}]
        assert [e["node"]["countryCode"] for e in entity["engagedBy"]["edges"]] == ["PL"]


async def test_project_lead_partner_partners_and_disputed_figures(gql: Any) -> None:
    body = await gql(
        """{ entity(key: "project:clusters-cord") { name aliases
              ... on Project { startDate endDate
                programme { name }
                leadPartner { name countryCode contacts { edges { node { name } } } }
                partners(first: 100) { totalCount edges { role partnerNumber node { key countryCode } } }
                clusters { totalCount }
              }
              claims { property value unit source { sourceId } } } }"""
    )
    project = body["data"]["entity"]
    assert "Clsuters-Cord" in project["aliases"]
    assert (project["startDate"], project["endDate"]) == ("2010-03", "2013-02")
    lead = project["leadPartner"]
    assert lead["countryCode"] == "CZ" and "Usti" in lead["name"]
    assert [e["node"]["name"] for e in lead["contacts"]["edges"]] == ["Dana Krejsová"]
    partners = project["partners"]
    assert partners["totalCount"] == 11
    assert [e["partnerNumber"] for e in partners["edges"]] == list(range(1, 12))
    assert [e["role"] for e in partners["edges"]].count("lead") == 1
    assert project["clusters"]["totalCount"] == 2
    budgets = {
        c["source"]["sourceId"]: c["value"] for c in project["claims"] if c["property"] == "totalBudget"
    }
    assert budgets == {"S2": "1358494.68", "S3": "1460334.99"}


async def test_partners_that_share_a_project_name_it(gql: Any) -> None:
    body = await gql(
        """{ entity(key: "organisation:arleg") { name ... on Organisation {
              partners(first: 100) { totalCount edges { node { key countryCode } projects { key } } } } } }"""
    )
    partners = body["data"]["entity"]["partners"]
    keys = {e["node"]["key"] for e in partners["edges"]}
    assert "organisation:rda-usti-region" in keys and "organisation:rda-bielsko-biala" in keys
    assert "organisation:arleg" not in keys
    assert all(e["projects"] == [{"key": "project:clusters-cord"}] for e in partners["edges"])
    assert partners["totalCount"] == len(partners["edges"])


async def test_aliases_with_different_arguments_and_fragments(gql: Any) -> None:
    body = await gql(
        """
        query ($withCount: Boolean!) {
          entity(key: "project:clusters-cord") {
            ...ProjectBits
            ... on Project { one: partners(first: 1) { edges { node { key } } } }
          }
        }
        fragment ProjectBits on Project {
          three: partners(first: 3) { totalCount @include(if: $withCount) edges { node { key } } }
          hidden: name @skip(if: true)
          __typename
        }
        """,
        {"withCount": False},
    )
    entity = body["data"]["entity"]
    assert len(entity["one"]["edges"]) == 1 and len(entity["three"]["edges"]) == 3
    assert "totalCount" not in entity["three"] and "hidden" not in entity
    assert entity["__typename"] == "Project"


async def test_aliases_of_one_field_with_different_selections_each_get_their_own(gql: Any) -> None:
    # Each response key has its own entry in the answer's Cypher map, scalars included.
    body = await gql(
        """{ entity(key: "project:clusters-cord") { label: name code: countryCode name countryCode
             ... on Project { partners(first: 2) {
               named: edges { cursor node { name } }
               keyed: edges { role other: node { key } }
               nodes { key } alsoNodes: nodes { label: name }
               pageInfo { endCursor } } } } }"""
    )
    project = body["data"]["entity"]
    assert (
        project["label"] == project["name"] == "Clusters-Cord" and project["code"] == project["countryCode"]
    )
    partners = project["partners"]
    keys = [node["key"] for node in partners["nodes"]]
    assert len(keys) == 2
    assert [edge["other"]["key"] for edge in partners["keyed"]] == keys
    assert [set(edge) for edge in partners["named"]] == [{"cursor", "node"}] * 2
    assert [set(edge) for edge in partners["keyed"]] == [{"role", "other"}] * 2
    assert partners["named"][-1]["cursor"] == partners["pageInfo"]["endCursor"]
    names = [edge["node"]["name"] for edge in partners["named"]]
    assert [node["label"] for node in partners["alsoNodes"]] == names


async def test_page_info_without_items_knows_what_follows(gql: Any) -> None:
    body = await gql(
        """{ entity(key: "project:clustrat") { ... on Project {
             partners(first: 5) { totalCount pageInfo { hasNextPage endCursor } } } } }"""
    )
    page = body["data"]["entity"]["partners"]
    assert page["totalCount"] == 18 and page["pageInfo"]["hasNextPage"] is True
    assert page["pageInfo"]["endCursor"] is not None


async def test_pages_follow_their_cursors(gql: Any) -> None:
    query = """query ($after: String) { entity(key: "project:clustrat") { ... on Project {
        partners(first: 5, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { key } } } } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = (await gql(query, {"after": after}))["data"]["entity"]["partners"]
        seen += [e["node"]["key"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"] == 18


async def test_node_fetches_by_global_id(gql: Any) -> None:
    first = await gql('{ entity(key: "person:kinga-skalacka") { id name } }')
    person = first["data"]["entity"]
    again = await gql(
        "query ($id: ID!) { node(id: $id) { id ... on Person { name key } } }", {"id": person["id"]}
    )
    assert again["data"]["node"] == {
        "id": person["id"],
        "name": "Kinga Skałacka",
        "key": "person:kinga-skalacka",
    }


async def test_unknown_key_gives_null_without_error(gql: Any) -> None:
    body = await gql('{ entity(key: "cluster:does-not-exist") { key } }', status=200)
    assert body["data"] == {"entity": None} and "errors" not in body


async def test_events_of_the_project_with_dates_and_meta_clusters(gql: Any) -> None:
    body = await gql(
        """{ entity(key: "event:clusters-cord-final-conference-2013") { name ... on Event {
              startDate participantsOver topics
              organisers { edges { node { key } } }
              presented(first: 10) { edges { node { name ... on MetaCluster { status } } } } } } }"""
    )
    event = body["data"]["entity"]
    assert event["startDate"] == "2013-02-06" and event["participantsOver"] == 50
    assert [e["node"]["key"] for e in event["organisers"]["edges"]] == ["organisation:rda-usti-region"]
    statuses = sorted(e["node"]["status"] for e in event["presented"]["edges"])
    assert statuses == ["formed", "formed", "formed", "proposed", "proposed"]
