"""The root query fields. Each resolver reads its root field, lets the translator plan it
(`translate/roots.py`), runs the one Cypher query and returns the shaped rows."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from clustergraph.execution.bind import request_of
from clustergraph.execution.compile import DocumentCache
from clustergraph.execution.context import Context
from clustergraph.model import Kind
from clustergraph.schema import docs
from clustergraph.schema.results import (
    CooperationMatrix,
    CooperationPath,
    CrossBorderPartner,
    ListConnection,
    Neighbourhood,
    SearchConnection,
)
from clustergraph.schema.types import (
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
    graph,
)
from clustergraph.translate.roots import RootField, prepare
from clustergraph.translate.selection import collect
from clustergraph.translate.specs import EntityList


@strawberry.input(description="Filters of the entity lists; each narrows the list.")
class EntityFilter:
    countries: list[str] | None = strawberry.field(default=None, description=docs.COUNTRY_CODES)
    regions: list[str] | None = strawberry.field(default=None, description=docs.REGION_CODES)
    sector: str | None = strawberry.field(
        default=None,
        description="Key of a sector: entities IN_SECTOR it, projects that TARGET it. "
        "A key no sector has: BAD_USER_INPUT.",
    )
    project: str | None = strawberry.field(
        default=None,
        description="Key of a project: entities linked to it by one cooperation relationship "
        "(partners, clusters, events, meta-clusters, contacts). A key no project has: BAD_USER_INPUT.",
    )


class EntityOrder(Enum):
    NAME_ASC = "NAME_ASC"
    NAME_DESC = "NAME_DESC"


docs.describe_values(
    strawberry.enum(EntityOrder, description="Order of entity lists."),
    {
        "NAME_ASC": "By `name`, A to Z by Unicode code point (so Ś after z); ties by key.",
        "NAME_DESC": "By `name`, Z to A; ties by key, descending.",
    },
)


# -- the resolvers: read the root field, translate, run ------------------------------------


def root_field(info: Info[Context, None]) -> RootField:
    """What the translator needs of a root field: its selection in the compiled document
    (the walk the compiled path makes), found by the response key being resolved."""
    documents: DocumentCache = info.schema.documents  # type: ignore[attr-defined]
    compiled = documents.compile(info.query or "")  # the fragments of the document executed
    request = request_of(compiled, documents, dict(info.variable_values or {}))
    root_type = documents.schema.get_root_type(info.operation.operation)  # mutations answer entities too
    assert root_type is not None
    key = info.path.key
    for selected in collect(request, [info.operation.selection_set], root_type):
        if selected.response_key == key:
            return RootField(
                request, selected.definition, selected.nodes, selected.arguments, info.context.settings
            )
    raise LookupError(f"no root field {key!r} in the operation")


async def resolve_root(info: Info[Context, None]) -> Any:
    prepared = prepare(root_field(info))
    rows = await info.context.graph.read(prepared.query.text, prepared.query.params)  # type: ignore[arg-type]
    return prepared.finish(rows)


def _list_field(entity: type, description: str) -> Any:
    """A root list of the entities of one type: its GraphQL type and its `graph` spec (which
    kind the planner reads) both follow from `entity`."""

    async def resolve(
        info: Info[Context, None],
        filter: Annotated[
            EntityFilter | None,
            strawberry.argument(description="Only entities that pass every filter given."),
        ] = None,
        order_by: Annotated[EntityOrder, strawberry.argument(description="The order of the list.")] = (
            EntityOrder.NAME_ASC
        ),
        first: docs.First = 20,
        after: docs.After = None,
    ) -> Row:
        return await resolve_root(info)  # type: ignore[no-any-return]

    return strawberry.field(
        resolver=resolve,
        description=f"{description} One page, filtered by `filter`, in `orderBy` order.",
        metadata=graph(EntityList(Kind(entity.__name__))),
        graphql_type=ListConnection[entity],  # type: ignore[valid-type]
    )


# The annotation of a root list: its type is the page of its entities (`_list_field`).
EntityPage = Any

Key = Annotated[str, strawberry.argument(description=docs.KEY)]
Countries = Annotated[list[str] | None, strawberry.argument(description=docs.COUNTRY_CODES)]
Regions = Annotated[list[str] | None, strawberry.argument(description=docs.REGION_CODES)]
MaxHops = Annotated[
    int,
    strawberry.argument(description=f"The most relationships a path may have: {docs.bounded('max_hops')}"),
]


# -- the root type ----------------------------------------------------------------------------


# What `cooperationPaths` takes as a path end: what the explorer's suggestions give.
_PATH_END = (
    "its key (or a key it was merged from), or its exact name as search shows it. A name that "
    "no entity or several have is refused (BAD_USER_INPUT) with `extensions.candidates`: the keys "
    "it may mean."
)


@strawberry.type(description="Questions about European industrial clusters and their cooperation.")
class Query:
    @strawberry.field(description="The entity with this key, or null when no entity has it.")
    async def entity(self, info: Info[Context, None], key: Key) -> Entity | None:
        return await resolve_root(info)  # type: ignore[no-any-return]

    @strawberry.field(description="The object with this global id (Relay), or null when it is gone.")
    async def node(
        self,
        info: Info[Context, None],
        id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="A global id this API gave (an entity's `id`); any other string: BAD_USER_INPUT."
            ),
        ],
    ) -> Node | None:
        return await resolve_root(info)  # type: ignore[no-any-return]

    @strawberry.field(
        description="Ranked full-text search over names, localized names and aliases, and (weighted "
        "down) descriptions: case, diacritics and stop words do not matter, the last word may be "
        "unfinished, and a longer word that no name holds as typed may be slightly misspelt "
        '("skała" and "skalaka" find "Skałacka"); a whole name or a key comes first.'
    )
    async def search(
        self,
        info: Info[Context, None],
        query: Annotated[
            str,
            strawberry.argument(
                description=f"What to look for: at most {docs.default('max_search_chars')} characters and "
                f"{docs.default('max_search_words')} words (by default), at least one word; else BAD_USER_INPUT."
            ),
        ],
        kinds: Annotated[
            list[EntityKind] | None,  # type: ignore[valid-type]
            strawberry.argument(
                description="Only entities of these kinds. Null: any kind; empty: nothing matches."
            ),
        ] = None,
        countries: Countries = None,
        regions: Regions = None,
        first: docs.First = 20,
        after: docs.After = None,
    ) -> SearchConnection:
        return await resolve_root(info)  # type: ignore[no-any-return]

    clusters: EntityPage = _list_field(Cluster, "Clusters.")
    meta_clusters: EntityPage = _list_field(MetaCluster, "Meta-clusters.")
    organisations: EntityPage = _list_field(Organisation, "Organisations.")
    people: EntityPage = _list_field(Person, "People.")
    sectors: EntityPage = _list_field(Sector, "Sectors.")
    projects: EntityPage = _list_field(Project, "Projects.")
    programmes: EntityPage = _list_field(Programme, "Funding programmes.")
    events: EntityPage = _list_field(Event, "Events.")
    countries: EntityPage = _list_field(Country, "Countries.")
    regions: EntityPage = _list_field(Region, "NUTS regions.")
    cities: EntityPage = _list_field(City, "Cities.")
    sources: EntityPage = _list_field(Source, "Sources of facts.")

    @strawberry.field(description="The subgraph within `depth` hops of an entity (provenance left out).")
    async def neighbourhood(
        self,
        info: Info[Context, None],
        key: Annotated[str, strawberry.argument(description=f"{docs.KEY} {docs.UNKNOWN_KEY}")],
        depth: Annotated[
            int,
            strawberry.argument(
                description=f"How many hops from the entity, either way: {docs.bounded('max_neighbourhood_depth')}"
            ),
        ] = 1,
        relationship_types: Annotated[
            list[RelationshipType] | None,  # type: ignore[valid-type]
            strawberry.argument(
                description="The relationships to follow. Null: every type but the provenance types "
                "SOURCED_FROM and CLAIMS (which are refused here); empty: BAD_USER_INPUT."
            ),
        ] = None,
        limit: Annotated[
            int,
            strawberry.argument(
                description="The most entities to return, the entity itself included, nearest first: "
                + docs.bounded("max_neighbourhood_limit")
            ),
        ] = 100,
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
            str,
            strawberry.argument(name="from", description=f"The entity to start at: {_PATH_END}"),
        ],
        to: Annotated[
            str,
            strawberry.argument(
                description=f"The entity to reach (the same as `from`: no paths): {_PATH_END}"
            ),
        ],
        max_hops: MaxHops = 4,
        limit: Annotated[
            int, strawberry.argument(description=f"The most paths to return: {docs.bounded('max_paths')}")
        ] = 3,
        cross_border_only: Annotated[
            bool,
            strawberry.argument(
                description="Only paths whose entities lie in more than one country (`crossesBorder`); the "
                "shortest such paths are searched for, not filtered from the shortest ones."
            ),
        ] = False,
        relationship_types: Annotated[
            list[RelationshipType] | None,  # type: ignore[valid-type]
            strawberry.argument(
                description="The cooperation relationships a path may use. Null: all of them; empty, or a type "
                "that is not a cooperation type: BAD_USER_INPUT."
            ),
        ] = None,
    ) -> list[CooperationPath]:
        return await resolve_root(info)  # type: ignore[no-any-return]

    @strawberry.field(
        description="Clusters and organisations in other countries that an entity reaches within `maxHops` "
        "cooperation hops, nearest first, each with the shortest path to it."
    )
    async def cross_border_partners(
        self,
        info: Info[Context, None],
        key: Annotated[
            str,
            strawberry.argument(
                description=f"{docs.KEY} Partners are in another country than this entity's (any country when "
                f"it has none). {docs.UNKNOWN_KEY}"
            ),
        ],
        max_hops: MaxHops = 3,
        countries: Annotated[
            list[str] | None,
            strawberry.argument(
                description='Only partners in these countries: ISO 3166-1 alpha-2 codes such as ["CZ"]. '
                "Null: any other country; empty: none."
            ),
        ] = None,
        regions: Regions = None,
        limit: Annotated[
            int,
            strawberry.argument(description=f"The most partners to return: {docs.bounded('max_page_size')}"),
        ] = 50,
    ) -> list[CrossBorderPartner]:
        return await resolve_root(info)  # type: ignore[no-any-return]

    @strawberry.field(
        description="For each pair of countries, how many pairs of actors (one in each) share a project: "
        "the data of a heat map or chord diagram. Optionally for one project, or projects targeting one sector."
    )
    async def cooperation_matrix(
        self,
        info: Info[Context, None],
        project: Annotated[
            str | None,
            strawberry.argument(
                description="Key of a project: count only the actors of this project. Null: every project. "
                "A key no project has: BAD_USER_INPUT."
            ),
        ] = None,
        sector: Annotated[
            str | None,
            strawberry.argument(
                description="Key of a sector: count only projects that target it (TARGETS_SECTOR). Null: every "
                "project. A key no sector has: BAD_USER_INPUT."
            ),
        ] = None,
    ) -> CooperationMatrix:
        return await resolve_root(info)  # type: ignore[no-any-return]
