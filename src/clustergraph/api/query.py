"""The root query fields. Each resolver reads its root field, lets the translator plan it
(`translate/roots.py`), runs the one Cypher query and returns the shaped rows."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from clustergraph.api.context import Context
from clustergraph.api.results import (
    CooperationMatrix,
    CooperationPath,
    CrossBorderPartner,
    ListConnection,
    Neighbourhood,
    SearchConnection,
)
from clustergraph.api.types import (
    City,
    Cluster,
    Country,
    Entity,
    EntityKind,
    Event,
    MetaCluster,
    Node,
    Organisation,
    Person,
    Programme,
    Project,
    Region,
    RelationshipType,
    Row,
    Sector,
    Source,
)
from clustergraph.model import Kind
from clustergraph.translate.roots import RootField, prepare
from clustergraph.translate.selection import arguments_of, request_of


@strawberry.input(description="Filters of the entity lists; each narrows the list.")
class EntityFilter:
    countries: list[str] | None = strawberry.field(default=None, description='ISO codes, e.g. ["PL", "CZ"].')
    sector: str | None = strawberry.field(
        default=None, description="Key of a sector: entities IN_SECTOR it, projects that TARGET it."
    )
    project: str | None = strawberry.field(
        default=None,
        description="Key of a project: entities linked to it by one cooperation relationship "
        "(partners, clusters, events, meta-clusters, contacts).",
    )


@strawberry.enum(description="Order of entity lists.")
class EntityOrder(Enum):
    NAME_ASC = "NAME_ASC"
    NAME_DESC = "NAME_DESC"


# -- the resolvers: read the root field, translate, run ------------------------------------


def root_field(info: Info[Context, None]) -> RootField:
    """What the translator needs of a root field, read from graphql-core's resolve info."""
    raw = info._raw_info
    request = request_of(raw)
    definition = raw.parent_type.fields[raw.field_name]
    arguments = arguments_of(definition, raw.field_nodes[0], request.variables)
    return RootField(request, definition, list(raw.field_nodes), arguments, info.context.settings)


async def resolve_root(info: Info[Context, None]) -> Any:
    prepared = prepare(root_field(info))
    rows = await info.context.graph.read(prepared.query.text, prepared.query.params)  # type: ignore[arg-type]
    return prepared.finish(rows)


def _list_field(kind: Kind, description: str) -> Any:
    async def resolve(
        info: Info[Context, None],
        filter: EntityFilter | None = None,
        order_by: EntityOrder = EntityOrder.NAME_ASC,
        first: int | None = 20,
        after: str | None = None,
    ) -> Row:
        return await resolve_root(info)  # type: ignore[no-any-return]

    return strawberry.field(resolver=resolve, description=description)


# -- the root type ----------------------------------------------------------------------------


# What `cooperationPaths` takes as a path end: what the explorer's suggestions give.
_PATH_END = (
    "its key (or a key it was merged from), or its exact name as search shows it. A name that "
    "no entity or several have is refused (BAD_USER_INPUT) with `extensions.candidates`: the keys "
    "it may mean."
)


@strawberry.type(description="Questions about European industrial clusters and their cooperation.")
class Query:
    @strawberry.field(description="The entity with this key, or null.")
    async def entity(self, info: Info[Context, None], key: str) -> Entity | None:
        return await resolve_root(info)  # type: ignore[no-any-return]

    @strawberry.field(description="The object with this global id (Relay), or null.")
    async def node(self, info: Info[Context, None], id: strawberry.ID) -> Node | None:
        return await resolve_root(info)  # type: ignore[no-any-return]

    @strawberry.field(
        description="Ranked full-text search over names, localized names and aliases; "
        'case and diacritics do not matter ("skalacka" finds "Skałacka").'
    )
    async def search(
        self,
        info: Info[Context, None],
        query: str,
        kinds: list[EntityKind] | None = None,  # type: ignore[valid-type]
        countries: list[str] | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> SearchConnection:
        return await resolve_root(info)  # type: ignore[no-any-return]

    clusters: ListConnection[Cluster] = _list_field(Kind.CLUSTER, "Clusters.")
    meta_clusters: ListConnection[MetaCluster] = _list_field(Kind.META_CLUSTER, "Meta-clusters.")
    organisations: ListConnection[Organisation] = _list_field(Kind.ORGANISATION, "Organisations.")
    people: ListConnection[Person] = _list_field(Kind.PERSON, "People.")
    sectors: ListConnection[Sector] = _list_field(Kind.SECTOR, "Sectors.")
    projects: ListConnection[Project] = _list_field(Kind.PROJECT, "Projects.")
    programmes: ListConnection[Programme] = _list_field(Kind.PROGRAMME, "Funding programmes.")
    events: ListConnection[Event] = _list_field(Kind.EVENT, "Events.")
    countries: ListConnection[Country] = _list_field(Kind.COUNTRY, "Countries.")
    regions: ListConnection[Region] = _list_field(Kind.REGION, "NUTS regions.")
    cities: ListConnection[City] = _list_field(Kind.CITY, "Cities.")
    sources: ListConnection[Source] = _list_field(Kind.SOURCE, "Sources of facts.")

    @strawberry.field(description="The subgraph within `depth` hops of an entity (provenance left out).")
    async def neighbourhood(
        self,
        info: Info[Context, None],
        key: str,
        depth: int = 1,
        relationship_types: list[RelationshipType] | None = None,  # type: ignore[valid-type]
        limit: int = 100,
    ) -> Neighbourhood:
        return await resolve_root(info)  # type: ignore[no-any-return]

    @strawberry.field(
        description="The shortest simple cooperation paths (no entity twice) between two entities, shortest "
        "first, each with the countries it passes through. Cooperation relationships are those marked so in "
        "schema/MODEL.md."
    )
    async def cooperation_paths(
        self,
        info: Info[Context, None],
        from_: Annotated[
            str, strawberry.argument(name="from", description=f"The entity to start at: {_PATH_END}")
        ],
        to: Annotated[str, strawberry.argument(description=f"The entity to reach: {_PATH_END}")],
        max_hops: int = 4,
        limit: int = 3,
        cross_border_only: bool = False,
        relationship_types: list[RelationshipType] | None = None,  # type: ignore[valid-type]
    ) -> list[CooperationPath]:
        return await resolve_root(info)  # type: ignore[no-any-return]

    @strawberry.field(
        description="Clusters and organisations in other countries that an entity reaches within `maxHops` "
        "cooperation hops, nearest first, each with the shortest path to it."
    )
    async def cross_border_partners(
        self,
        info: Info[Context, None],
        key: str,
        max_hops: int = 3,
        countries: list[str] | None = None,
        limit: int = 50,
    ) -> list[CrossBorderPartner]:
        return await resolve_root(info)  # type: ignore[no-any-return]

    @strawberry.field(
        description="For each pair of countries, how many pairs of actors (one in each) share a project: "
        "the data of a heat map or chord diagram. Optionally for one project, or projects targeting one sector."
    )
    async def cooperation_matrix(
        self, info: Info[Context, None], project: str | None = None, sector: str | None = None
    ) -> CooperationMatrix:
        return await resolve_root(info)  # type: ignore[no-any-return]
