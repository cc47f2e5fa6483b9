"""Types of the root fields' answers: pages of entities, search hits, subgraphs, paths, the matrix."""

from __future__ import annotations

from typing import Generic, TypeVar

import strawberry

from clustergraph.api import docs
from clustergraph.api.types import (
    Entity,
    PageInfo,
    RelationshipType,
    Row,
    Source,
    by_response_key,
    graph,
)
from clustergraph.translate.specs import Derived, Sources

T = TypeVar("T")


@strawberry.type(description="One entity of a list page.")
class ListEdge(Generic[T]):
    cursor: str = strawberry.field(description=docs.CURSOR)
    node: T = strawberry.field(description="The entity.")


@strawberry.type(description="A page of a list of entities.")
class ListConnection(Generic[T]):
    total_count: int = strawberry.field(description="How many entities match the filter, over all pages.")
    page_info: PageInfo = strawberry.field(description=docs.PAGE_INFO)
    edges: list[ListEdge[T]] = strawberry.field(
        description="This page's entities with their cursors, in `orderBy` order."
    )
    nodes: list[T] = strawberry.field(description=docs.NODES)


@strawberry.type(description="A search hit with its relevance.")
class SearchEdge:
    cursor: str = strawberry.field(description=docs.CURSOR)
    score: float = strawberry.field(
        description="Full-text relevance (Lucene's score): higher is better; comparable within one search only."
    )
    node: Entity = strawberry.field(description="The entity found.")


@strawberry.type(description="A page of search hits, best first.")
class SearchConnection:
    total_count: int = strawberry.field(description="How many entities match, over all pages.")
    page_info: PageInfo = strawberry.field(description=docs.PAGE_INFO)
    edges: list[SearchEdge] = strawberry.field(
        description="This page's hits, best first (equal scores by key); empty when nothing matches."
    )
    nodes: list[Entity] = strawberry.field(description=docs.NODES)


def _edge_type(root: strawberry.Parent[Row]) -> str:
    return str(root["_type"])


@strawberry.type(description="A relationship between two entities, named by their keys.")
class GraphEdge:
    id: strawberry.ID = strawberry.field(
        resolver=lambda root: root["_id"],  # type: ignore[misc]
        metadata=graph(Derived()),
        description="The relationship's id in this database.",
    )
    type: RelationshipType = strawberry.field(  # type: ignore[valid-type]
        resolver=_edge_type, description=docs.RELATIONSHIP_TYPE, metadata=graph(Derived())
    )
    from_: str = strawberry.field(
        name="from",
        resolver=lambda root: root["_from"],  # type: ignore[misc]
        metadata=graph(Derived()),
        description="Key of the entity it starts at.",
    )
    to: str = strawberry.field(
        resolver=lambda root: root["_to"],  # type: ignore[misc]
        metadata=graph(Derived()),
        description="Key of the entity it ends at.",
    )
    role: str | None = strawberry.field(description=docs.ROLE)
    partner_number: int | None = strawberry.field(description=docs.PARTNER_NUMBER)
    via: str | None = strawberry.field(description=docs.VIA)
    project: str | None = strawberry.field(description=docs.PROJECT)
    since: str | None = strawberry.field(description=docs.SINCE)
    sources: list[Source] = strawberry.field(
        resolver=by_response_key, description=docs.RELATIONSHIP_SOURCES, metadata=graph(Sources())
    )


@strawberry.type(description="The subgraph around an entity.")
class Neighbourhood:
    center: Entity = strawberry.field(
        description="The entity asked about (by the key given, or the one it was merged into)."
    )
    nodes: list[Entity] = strawberry.field(description="The entity first, then the others nearest first.")
    edges: list[GraphEdge] = strawberry.field(
        description="Every relationship among `nodes` of the types asked for."
    )
    truncated: bool = strawberry.field(description="True when `limit` left out entities within `depth`.")


@strawberry.type(description="A chain of cooperation relationships from one entity to another.")
class CooperationPath:
    length: int = strawberry.field(description="Number of relationships (hops).")
    nodes: list[Entity] = strawberry.field(description="The entities in order, from the start to the end.")
    edges: list[GraphEdge] = strawberry.field(description="The relationships in order.")
    countries: list[str] = strawberry.field(
        description="The countries the path passes through, in order: the `countryCode` of each node that has "
        "one, with consecutive repeats folded into one."
    )
    crosses_border: bool = strawberry.field(description="True when `countries` names more than one country.")
    border_crossings: int = strawberry.field(
        description="How often the path moves from one country to another."
    )


@strawberry.type(description="An actor in another country and the shortest cooperation path to it.")
class CrossBorderPartner:
    partner: Entity = strawberry.field(description="The cluster or organisation reached.")
    country_code: str = strawberry.field(description="The partner's country: an ISO 3166-1 alpha-2 code.")
    distance: int = strawberry.field(description="Hops on the shortest path (1 to `maxHops`).")
    path: CooperationPath = strawberry.field(
        description="One shortest cooperation path from the entity asked about to the partner."
    )


@strawberry.type(description="Cooperation links between the actors of two countries.")
class MatrixCell:
    from_: str = strawberry.field(name="from", description="Country code (the smaller of the two).")
    to: str = strawberry.field(
        description="Country code (the larger, or the same for links within a country)."
    )
    links: int = strawberry.field(description="Pairs of actors, one in each country, that share a project.")


@strawberry.type(description="For each pair of countries, how many cooperation links join their actors.")
class CooperationMatrix:
    countries: list[str] = strawberry.field(
        description="The country codes that appear in `cells`, sorted; empty when no actors share a project."
    )
    cells: list[MatrixCell] = strawberry.field(
        description="One cell per pair of countries with at least one link (pairs without are left out), "
        "sorted by `from`, then `to`."
    )
    total_links: int = strawberry.field(
        description="The sum of the cells' `links`: pairs of actors that share a project."
    )
