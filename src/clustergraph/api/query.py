"""The root query fields. Each one: check its arguments, plan the selection, run one Cypher query."""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, Any

import strawberry
from graphql import GraphQLNamedType, GraphQLObjectType, SelectionSetNode, get_named_type
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
    paginated,
)
from clustergraph.cypher import reads
from clustergraph.model import COOPERATION_TYPES, PROVENANCE_TYPES, REL_TYPES, Kind
from clustergraph.translate import arguments
from clustergraph.translate.cursors import parse_global_id
from clustergraph.translate.plan import BadInput, EdgePlan, KindPlans, Limits, Page, Planner
from clustergraph.translate.selection import Selected, collect, request_of

LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


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


# -- helpers ----------------------------------------------------------------------------------


class Root:
    """One root field's planning context."""

    def __init__(self, info: Info[Context, None]) -> None:
        # graphql-core's own resolve info: the AST, fragments and variables the planner reads.
        raw = info._raw_info
        self.context = info.context
        self.planner = Planner(request_of(raw), Limits(max_page_size=info.context.settings.max_page_size))
        self.return_type = get_named_type(raw.return_type)
        self.selection_sets: list[SelectionSetNode] = [
            node.selection_set for node in raw.field_nodes if node.selection_set is not None
        ]

    def fields(
        self, graphql_type: GraphQLNamedType | None = None, sets: list[SelectionSetNode] | None = None
    ) -> list[Selected]:
        runtime = graphql_type or self.return_type
        assert isinstance(runtime, GraphQLObjectType)
        return collect(self.planner.request, self.selection_sets if sets is None else sets, runtime)

    def sub(self, selected: Selected) -> tuple[GraphQLNamedType, list[SelectionSetNode]]:
        return get_named_type(selected.definition.type), selected.sub_selections()

    def entity_plans(self) -> KindPlans:
        return self.planner.entity(self.return_type, self.selection_sets)

    def connection_plans(self) -> reads.ConnectionPlans:
        edge_node = nodes = None
        for selected in self.fields():
            if selected.field_name == "nodes":
                nodes = (selected.response_key, self.planner.entity(*self.sub(selected)))
            elif selected.field_name == "edges":
                edge_type, sets = self.sub(selected)
                for part in self.fields(edge_type, sets):
                    if part.field_name == "node":
                        edge_node = (part.response_key, self.planner.entity(*self.sub(part)))
        return reads.ConnectionPlans(edge_node, nodes)

    def path_plans(self, path_type: GraphQLNamedType, sets: list[SelectionSetNode]) -> reads.PathPlans:
        nodes: KindPlans | None = None
        edges: EdgePlan | None = None
        for selected in self.fields(path_type, sets):
            if selected.field_name == "nodes":
                nodes = self.planner.entity(*self.sub(selected))
            elif selected.field_name == "edges":
                edges = self.planner.edge(selected)
        return reads.PathPlans(nodes, edges)

    async def run(self, query: reads.CypherQuery) -> list[dict[str, Any]]:
        return await self.context.graph.read(query.text, query.params)  # type: ignore[arg-type]


def _bounded(name: str, value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise BadInput(f"`{name}` must be between {low} and {high}, not {value}")
    return value


def _page_result(rows: list[dict[str, Any]], page: Page) -> Row:
    row = rows[0]
    items = row["items"]
    return (
        paginated(
            {
                "total_count": row["total"],
                "offset": page.offset,
                "edges": [{"node": item.get("node"), "score": item.get("score")} for item in items],
                "nodes": [item.get("listed") for item in items],
            }
        )
        or {}
    )


def _lucene(words: list[str]) -> str:
    # Lower case keeps words such as AND/OR/NOT from acting as Lucene operators.
    terms = [LUCENE_SPECIAL.sub(r"\\\1", t.lower()) for t in words]
    # Every word must match, as itself or as the start of a longer word.
    return " AND ".join(f"({t} OR {t}*)" for t in terms)


def _fold_countries(raw: list[str | None]) -> list[str]:
    folded: list[str] = []
    for code in raw:
        if code and (not folded or folded[-1] != code):
            folded.append(code)
    return folded


def _finish_path(path: Row) -> Row:
    countries = _fold_countries(path.pop("_countries", []))
    path["countries"] = countries
    path["border_crossings"] = max(len(countries) - 1, 0)
    path["crosses_border"] = len(countries) > 1
    return path


async def _entity_list(
    info: Info[Context, None],
    kind: Kind,
    where: EntityFilter | None,
    order: EntityOrder,
    first: int | None,
    after: str | None,
) -> Row:
    root = Root(info)
    page = root.planner.page({"first": first, "after": after})
    where = where or EntityFilter()
    list_filter = reads.ListFilter(arguments.countries(where.countries), where.sector, where.project)
    query = reads.entity_list(
        kind, list_filter, order == EntityOrder.NAME_DESC, page, root.connection_plans()
    )
    rows = await root.run(query)
    # An unknown key in a filter is a mistake to say, not an empty list to return.
    if not rows[0]["sectorFound"]:
        raise BadInput(f"`filter.sector`: no sector has the key {where.sector!r}")
    if not rows[0]["projectFound"]:
        raise BadInput(f"`filter.project`: no project has the key {where.project!r}")
    return _page_result(rows, page)


def _list_field(kind: Kind, description: str) -> Any:
    async def resolve(
        info: Info[Context, None],
        filter: EntityFilter | None = None,
        order_by: EntityOrder = EntityOrder.NAME_ASC,
        first: int | None = 20,
        after: str | None = None,
    ) -> Row:
        return await _entity_list(info, kind, filter, order_by, first, after)

    return strawberry.field(resolver=resolve, description=description)


# -- the root type ----------------------------------------------------------------------------


@strawberry.type(description="Questions about European industrial clusters and their cooperation.")
class Query:
    @strawberry.field(description="The entity with this key, or null.")
    async def entity(self, info: Info[Context, None], key: str) -> Entity | None:
        root = Root(info)
        rows = await root.run(reads.entity(key, root.entity_plans()))
        return rows[0]["result"] if rows else None

    @strawberry.field(description="The object with this global id (Relay), or null.")
    async def node(self, info: Info[Context, None], id: strawberry.ID) -> Node | None:
        parsed = parse_global_id(str(id))
        if parsed is None:
            raise BadInput(f"`id` is not a global id this API gave: {id!r}")
        root = Root(info)
        rows = await root.run(reads.entity(parsed[1], root.entity_plans()))
        if not rows or rows[0]["result"]["_kind"] != parsed[0]:
            return None
        return rows[0]["result"]

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
        root = Root(info)
        page = root.planner.page({"first": first, "after": after})
        chosen = None if kinds is None else tuple(Kind(k) for k in kinds)
        settings = info.context.settings
        words = arguments.search_words(query, settings.max_search_chars, settings.max_search_words)
        cypher = reads.search(
            _lucene(words), chosen, arguments.countries(countries), page, root.connection_plans()
        )
        return _page_result(await root.run(cypher), page)  # type: ignore[return-value]

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
        settings = info.context.settings
        _bounded("depth", depth, 1, settings.max_neighbourhood_depth)
        _bounded("limit", limit, 1, settings.max_neighbourhood_limit)
        default = tuple(t for t in REL_TYPES if t not in PROVENANCE_TYPES)
        types = arguments.rel_types(relationship_types, default)
        root = Root(info)
        center = nodes = edges = None
        want_edges = False
        for selected in root.fields():
            if selected.field_name == "center":
                center = root.planner.entity(*root.sub(selected))
            elif selected.field_name == "nodes":
                nodes = root.planner.entity(*root.sub(selected))
            elif selected.field_name == "edges":
                edges, want_edges = root.planner.edge(selected), True
        rows = await root.run(reads.neighbourhood(key, types, depth, limit, center, nodes, edges, want_edges))
        if not rows[0]["found"]:
            raise BadInput(f"no entity has the key {key!r}")
        return rows[0]["result"]  # type: ignore[no-any-return]

    @strawberry.field(
        description="The shortest cooperation paths between two entities, shortest first, each with the "
        "countries it passes through. Cooperation relationships are those marked so in schema/MODEL.md."
    )
    async def cooperation_paths(
        self,
        info: Info[Context, None],
        from_: Annotated[str, strawberry.argument(name="from", description="Key of the entity to start at.")],
        to: Annotated[str, strawberry.argument(description="Key of the entity to reach.")],
        max_hops: int = 4,
        limit: int = 3,
        cross_border_only: bool = False,
        relationship_types: list[RelationshipType] | None = None,  # type: ignore[valid-type]
    ) -> list[CooperationPath]:
        settings = info.context.settings
        _bounded("maxHops", max_hops, 1, settings.max_hops)
        _bounded("limit", limit, 1, settings.max_paths)
        types = arguments.rel_types(relationship_types, COOPERATION_TYPES)
        root = Root(info)
        plans = root.path_plans(root.return_type, root.selection_sets)
        query = reads.cooperation_paths(from_, to, types, max_hops, limit, cross_border_only, plans)
        row = (await root.run(query))[0]
        for name, found, key in (("from", row["fromFound"], from_), ("to", row["toFound"], to)):
            if not found:
                raise BadInput(f"`{name}`: no entity has the key {key!r}")
        return [_finish_path(p) for p in row["paths"]]  # type: ignore[misc]

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
        settings = info.context.settings
        _bounded("maxHops", max_hops, 1, settings.max_hops)
        _bounded("limit", limit, 1, settings.max_page_size)
        root = Root(info)
        partner = path = None
        for selected in root.fields():
            if selected.field_name == "partner":
                partner = root.planner.entity(*root.sub(selected))
            elif selected.field_name == "path":
                path = root.path_plans(*root.sub(selected))
        query = reads.cross_border_partners(
            key, COOPERATION_TYPES, max_hops, arguments.countries(countries), limit, partner, path
        )
        row = (await root.run(query))[0]
        if not row["found"]:
            raise BadInput(f"no entity has the key {key!r}")
        for item in row["partners"]:
            if "path" in item:
                _finish_path(item["path"])
        return row["partners"]  # type: ignore[no-any-return]

    @strawberry.field(
        description="For each pair of countries, how many pairs of actors (one in each) share a project: "
        "the data of a heat map or chord diagram. Optionally for one project, or projects targeting one sector."
    )
    async def cooperation_matrix(
        self, info: Info[Context, None], project: str | None = None, sector: str | None = None
    ) -> CooperationMatrix:
        root = Root(info)
        row = (await root.run(reads.cooperation_matrix(project, sector)))[0]
        if not row["projectFound"]:
            raise BadInput(f"`project`: no project has the key {project!r}")
        if not row["sectorFound"]:
            raise BadInput(f"`sector`: no sector has the key {sector!r}")
        cells = [{"from_": c["a"], "to": c["b"], "links": c["links"]} for c in row["cells"]]
        countries = sorted({c["from_"] for c in cells} | {c["to"] for c in cells})
        return CooperationMatrix(
            countries=countries,
            cells=cells,  # type: ignore[arg-type]
            total_links=sum(c["links"] for c in cells),
        )
