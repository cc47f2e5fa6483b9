"""The representative requests, each asked three ways: the service, raw Cypher, @neo4j/graphql.

The service's GraphQL and the @neo4j/graphql GraphQL ask the same question with the
same selection; the raw Cypher is the very query the service sends for its request
(captured by `capture.py`), so the raw figure is the database's own cost of the answer.
Keys are picked from the synthetic network by `pick.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Request:
    name: str
    what: str
    service: str  # GraphQL for the service
    variables: dict[str, Any]
    reference: str  # GraphQL for @neo4j/graphql, same variables


ENTITY = """
query Entity($key: String!) {
  entity(key: $key) {
    key name countryCode
    ... on Cluster {
      sectors { edges { node { key name } } }
      members(first: 20) {
        totalCount
        edges { node { key name countryCode
          ... on Organisation { projects(first: 5) { edges { role node { key name } } } } } }
      }
    }
  }
}"""

ENTITY_REF = """
query Entity($key: String!) {
  clusters(where: {key: {eq: $key}}) {
    key name country
    sectors { key name }
    membersConnection(first: 20) {
      totalCount
      edges { node { key name country
        projectsConnection(first: 5) { edges { properties { role } node { key name } } } } }
    }
  }
}"""

SEARCH = """
query Search($q: String!) {
  search(query: $q, kinds: [ORGANISATION], first: 20) {
    totalCount
    edges { score node { key name countryCode } }
  }
}"""

SEARCH_REF = """
query Search($q: String!) {
  organisationsByName(phrase: $q, first: 20) {
    totalCount
    edges { score node { key name country } }
  }
}"""

LIST = """
query ClusterPage {
  clusters(first: 50) {
    totalCount
    edges { node { key name countryCode country { name } sectors(first: 5) { edges { node { key name } } } } }
  }
}"""

LIST_REF = """
query ClusterPage {
  clustersConnection(first: 50, sort: [{name: ASC}, {key: ASC}]) {
    totalCount
    edges { node { key name country countryNode { name } sectors { key name } } }
  }
}"""

# The same relationship types as @neo4j/graphql's @cypher field: the cooperation types
# (by default the service also walks places and sectors, hubs of thousands of nodes).
NEIGHBOURHOOD = """
query Around($key: String!) {
  neighbourhood(key: $key, depth: 2, limit: 200, relationshipTypes: [PARTNER_IN, PARTICIPATES_IN, ENGAGES,
      REPRESENTS, CONTACT_FOR, MEMBER_OF, FORMED_IN, ORGANISED, PARTICIPATED_IN, EVENT_OF, PRESENTED]) {
    truncated
    nodes { key name kind countryCode }
    edges { type from to }
  }
}"""

NEIGHBOURHOOD_REF = """
query Around($key: String!) {
  neighbourhood(key: $key, depth: 2, limit: 200) {
    truncated
    nodes { key name kind countryCode }
    edges { type from to }
  }
}"""

PATHS = """
query Paths($from: String!, $to: String!) {
  cooperationPaths(from: $from, to: $to, maxHops: 4, limit: 3) {
    length countries borderCrossings
    nodes { key name countryCode }
    edges { type from to }
  }
}"""

# @neo4j/graphql has the same `@cypher` query field here: one document serves both.
PATHS_REF = PATHS

PARTNERS = """
query Partners($key: String!) {
  crossBorderPartners(key: $key, maxHops: 2, limit: 50) {
    countryCode distance
    partner { key name }
  }
}"""

# @neo4j/graphql has the same `@cypher` query field here: one document serves both.
PARTNERS_REF = PARTNERS

MATRIX = """
query Matrix($sector: String!) {
  cooperationMatrix(sector: $sector) { totalLinks cells { from to links } }
}"""

# @neo4j/graphql has the same `@cypher` query field here: one document serves both.
MATRIX_REF = MATRIX


def requests(keys: dict[str, str]) -> list[Request]:
    return [
        Request(
            "entity",
            "a cluster, its sectors, 20 members and 5 projects of each (two levels of nesting)",
            ENTITY,
            {"key": keys["cluster"]},
            ENTITY_REF,
        ),
        Request(
            "search", "full-text search of organisations, first 20", SEARCH, {"q": keys["search"]}, SEARCH_REF
        ),
        Request("list", "a page of 50 clusters by name, with sectors and country", LIST, {}, LIST_REF),
        Request(
            "neighbourhood",
            "depth-2 neighbourhood of an organisation, at most 200 nodes, with edges",
            NEIGHBOURHOOD,
            {"key": keys["organisation"]},
            NEIGHBOURHOOD_REF,
        ),
        Request(
            "paths",
            "3 shortest cooperation paths (≤4 hops) between organisations in two countries",
            PATHS,
            {"from": keys["organisation"], "to": keys["far"]},
            PATHS_REF,
        ),
        Request(
            "partners",
            "cross-border partners within 2 hops, first 50",
            PARTNERS,
            {"key": keys["organisation"]},
            PARTNERS_REF,
        ),
        Request(
            "matrix",
            "country-by-country cooperation matrix of the projects targeting one sector",
            MATRIX,
            {"sector": keys["sector"]},
            MATRIX_REF,
        ),
    ]
