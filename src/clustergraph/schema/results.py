"""Types of the root fields' answers: pages of entities, search hits, subgraphs, paths, the matrix."""

from __future__ import annotations

from typing import Generic, TypeVar

import strawberry

from clustergraph.schema import docs
from clustergraph.schema.types import (
    Entity,
    PageInfo,
    RelationshipType,
    Row,
    Source,
    graph,
    internal,
    reading,
    stored,
)
from clustergraph.translate.specs import Derived, Sources

T = TypeVar("T")


@strawberry.type(description="One entity of a list page.")
class ListEdge(Generic[T]):
    cursor: str = internal("cursor", description=docs.CURSOR)
    node: T = stored(description="The entity.")


@strawberry.type(description="A page of a list of entities.")
class ListConnection(Generic[T]):
    total_count: int = internal("total", description="How many entities match the filter, over all pages.")
    page_info: PageInfo = internal("page_info", description=docs.PAGE_INFO)
    edges: list[ListEdge[T]] = stored(
        description="This page's entities with their cursors, in `orderBy` order."
    )
    nodes: list[T] = stored(description=docs.NODES)


@strawberry.type(description="A search hit with its relevance.")
class SearchEdge:
    cursor: str = internal("cursor", description=docs.CURSOR)
    score: float = stored(
        description="Full-text relevance (Lucene's score): higher is better; comparable within one search only."
    )
    node: Entity = stored(description="The entity found.")


@strawberry.type(description="A page of search hits, best first.")
class SearchConnection:
    total_count: int = internal("total", description="How many entities match, over all pages.")
    page_info: PageInfo = internal("page_info", description=docs.PAGE_INFO)
    edges: list[SearchEdge] = stored(
        description="This page's hits, best first (equal scores by key); empty when nothing matches."
    )
    nodes: list[Entity] = stored(description=docs.NODES)


@strawberry.type(description="A relationship between two entities, named by their keys.")
class GraphEdge:
    id: strawberry.ID = internal("id", description="The relationship's id in this database.")
    type: RelationshipType = internal("type", description=docs.RELATIONSHIP_TYPE)  # type: ignore[valid-type]
    from_: str = internal("from", name="from", description="Key of the entity it starts at.")
    to: str = internal("to", description="Key of the entity it ends at.")
    role: str | None = stored(description=docs.ROLE)
    partner_number: int | None = stored(description=docs.PARTNER_NUMBER)
    via: str | None = stored(description=docs.VIA)
    project: str | None = stored(description=docs.PROJECT)
    since: str | None = stored(description=docs.SINCE)
    sources: list[Source] = stored(description=docs.RELATIONSHIP_SOURCES, metadata=graph(Sources()))


@strawberry.type(description="The subgraph around an entity.")
class Neighbourhood:
    center: Entity = stored(
        description="The entity asked about (by the key given, or the one it was merged into)."
    )
    nodes: list[Entity] = stored(description="The entity first, then the others nearest first.")
    edges: list[GraphEdge] = stored(description="Every relationship among `nodes` of the types asked for.")
    truncated: bool = internal("truncated", description="True when `limit` left out entities within `depth`.")


def _border_crossings(row: Row, _key: str) -> int:
    # Cypher folded consecutive repeats of a country into one.
    return max(len(row["#countries"]) - 1, 0)


def _crosses_border(row: Row, _key: str) -> bool:
    return len(row["#countries"]) > 1


@strawberry.type(description="A chain of cooperation relationships from one entity to another.")
class CooperationPath:
    length: int = internal("length", description="Number of relationships (hops).")
    nodes: list[Entity] = stored(description="The entities in order, from the start to the end.")
    edges: list[GraphEdge] = stored(description="The relationships in order.")
    countries: list[str] = internal(
        "countries",
        description="The countries the path passes through, in order: the `countryCode` of each node that has "
        "one, with consecutive repeats folded into one.",
    )
    crosses_border: bool = reading(
        _crosses_border,
        metadata=graph(Derived()),
        description="True when `countries` names more than one country.",
    )
    border_crossings: int = reading(
        _border_crossings,
        metadata=graph(Derived()),
        description="How often the path moves from one country to another.",
    )


@strawberry.type(description="An actor in another country and the shortest cooperation path to it.")
class CrossBorderPartner:
    partner: Entity = stored(description="The cluster or organisation reached.")
    country_code: str = internal("country", description="The partner's country: an ISO 3166-1 alpha-2 code.")
    distance: int = internal("distance", description="Hops on the shortest path (1 to `maxHops`).")
    path: CooperationPath = stored(
        description="One shortest cooperation path from the entity asked about to the partner."
    )


@strawberry.type(description="Cooperation links between the actors of two countries.")
class MatrixCell:
    from_: str = strawberry.field(name="from", description="Country code (the smaller of the two).")
    to: str = strawberry.field(
        description="Country code (the larger, or the same for links within a country)."
    )
    links: int = strawberry.field(description="Pairs of actors, one in each country, that share a project.")
    from_name: str | None = strawberry.field(
        description="The name of the `from` country, as its Country entity gives it (null when the graph "
        "holds no Country with that code)."
    )
    to_name: str | None = strawberry.field(
        description="The name of the `to` country, as its Country entity gives it (null when the graph "
        "holds no Country with that code)."
    )


@strawberry.type(description="One row of the matrix read as rows by columns: one country and its links.")
class MatrixRow:
    code: str = strawberry.field(description="The row's country code (ISO 3166-1 alpha-2).")
    name: str | None = strawberry.field(
        description="The row's country name, as its Country entity gives it (null when the graph holds none)."
    )
    links: list[int] = strawberry.field(
        description="Links between the row's country and each country of `countries`, in that order: "
        "pairs of actors, one in each, that share a project; 0 where there are none. The entry "
        "in the row's own position counts links within the country."
    )
    total: int = strawberry.field(
        description="The sum of `links`: the links of actors of this country with actors anywhere. It "
        "equals the column total of the same country, since the matrix is symmetric."
    )


@strawberry.type(description="One column of the matrix read as rows by columns: one country and its total.")
class MatrixColumn:
    code: str = strawberry.field(description="The column's country code (ISO 3166-1 alpha-2).")
    name: str | None = strawberry.field(
        description="The column's country name, as its Country entity gives it (null when the graph holds none)."
    )
    total: int = strawberry.field(
        description="The sum of the column: the links of actors of this country with actors anywhere "
        "(the same as its row's total)."
    )


@strawberry.type(description="For each pair of countries, how many cooperation links join their actors.")
class CooperationMatrix:
    countries: list[str] = strawberry.field(
        description="The codes of the countries with at least one link, in alphabetical order: the order "
        "of `rows`, of `columns` and of each row's `links`."
    )
    cells: list[MatrixCell] = strawberry.field(
        description="One cell per pair of countries with at least one link (each pair once, the smaller "
        "code first): the compact form, for a chord diagram."
    )
    total_links: int = strawberry.field(
        description="The links of all cells: pairs of actors that share a project, each pair once."
    )
    rows: list[MatrixRow] = strawberry.field(
        description="The same links as a square table, rows by columns (one row per country of "
        "`countries`, one column per country in the same order), for a heat map or a spreadsheet. "
        "Symmetric: a link between two countries is in both their rows."
    )
    columns: list[MatrixColumn] = strawberry.field(
        description="The columns of `rows`, in order, each with its country's name and its total."
    )
