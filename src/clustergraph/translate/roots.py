"""The plan stage, per root field: its arguments checked, its selection planned, its one Cypher query.

A `RootField` is what both executors know of a root field: its definition, field nodes,
arguments (coerced, schema defaults applied) and the request's fragments and variables.
`prepare` turns it into a `Prepared`: the Cypher query, and `finish`, which turns the
rows Neo4j returns into the field's answer (the rows already carry the selection's
shape; `finish` adds only what the query cannot know, such as "no entity has this key").
The GraphQL resolvers (`schema/query.py`) and the compiled path (`execution/run.py`) both
call it, so the two cannot plan differently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    SelectionSetNode,
    get_named_type,
)

from clustergraph import values
from clustergraph.cypher import lucene, plan, reads
from clustergraph.cypher.lookup import EntityText
from clustergraph.cypher.plan import EdgePlan, KindPlans, Page
from clustergraph.cypher.reads import CypherQuery
from clustergraph.errors import BadUserInput, NotOneEntity
from clustergraph.model import COOPERATION_TYPES, PROVENANCE_TYPES, REL_TYPES, Kind
from clustergraph.settings import Settings
from clustergraph.translate import arguments
from clustergraph.translate.cursors import encode_cursor, parse_global_id
from clustergraph.translate.fields import FieldModel
from clustergraph.translate.plan import Limits, Planner
from clustergraph.translate.selection import Request, Selected, collect
from clustergraph.translate.specs import EntityList, Spec
from clustergraph.translate.suggest import unknown_key

Row = dict[str, Any]
Rows = list[dict[str, Any]]


@dataclass
class RootField:
    """One root field of a request, as both executors see it."""

    request: Request
    definition: GraphQLField
    nodes: list[FieldNode]
    arguments: dict[str, Any]
    settings: Settings

    @property
    def name(self) -> str:
        return self.nodes[0].name.value

    @property
    def spec(self) -> Spec | None:
        """The root field's graph spec in the field model."""
        root = self.request.schema.query_type
        return None if root is None else self.request.fields.graph(root.name, self.name)

    @property
    def selection_sets(self) -> list[SelectionSetNode]:
        return [n.selection_set for n in self.nodes if n.selection_set is not None]


@dataclass(frozen=True)
class Prepared:
    query: CypherQuery
    finish: Callable[[Rows], Any]


class _Root:
    """One root field's planning context."""

    def __init__(self, field: RootField) -> None:
        self.field = field
        self.planner = Planner(field.request, Limits(max_page_size=field.settings.max_page_size))
        self.return_type = get_named_type(field.definition.type)
        self.selection_sets = field.selection_sets

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

    def connection_plans(self) -> plan.ConnectionPlans:
        edges: list[tuple[str, plan.RootEdgePlan]] = []
        nodes: list[tuple[str, KindPlans]] = []
        for selected in self.fields():
            if selected.field_name == "nodes":
                nodes.append(self.planner.keyed(selected))
            elif selected.field_name == "edges":
                edges.append((selected.response_key, self._root_edge(selected)))
        return plan.ConnectionPlans(tuple(edges), tuple(nodes))

    def _root_edge(self, selected: Selected) -> plan.RootEdgePlan:
        nodes: list[tuple[str, KindPlans]] = []
        scores: list[str] = []
        for part in self.fields(*self.sub(selected)):
            if part.field_name == "node":
                nodes.append(self.planner.keyed(part))
            elif part.field_name == "score":
                scores.append(part.response_key)
        return plan.RootEdgePlan(tuple(nodes), tuple(scores))

    def path_plans(self, path_type: GraphQLNamedType, sets: list[SelectionSetNode]) -> plan.PathPlans:
        nodes: list[tuple[str, KindPlans]] = []
        edges: list[tuple[str, EdgePlan]] = []
        for selected in self.fields(path_type, sets):
            if selected.field_name == "nodes":
                nodes.append(self.planner.keyed(selected))
            elif selected.field_name == "edges":
                edges.append((selected.response_key, self.planner.edge(selected)))
        return plan.PathPlans(tuple(nodes), tuple(edges))


# -- arguments --------------------------------------------------------------------------------


def _value(value: Any) -> Any:
    """An enum member's value, or the value itself (graphql-core gives members for enums)."""
    return getattr(value, "value", value)


def _member(value: Any, name: str) -> Any:
    """A member of an input object, coerced by graphql-core (a dict) or by Strawberry (an object)."""
    if value is None:
        return None
    return value.get(name) if isinstance(value, dict) else getattr(value, name, None)


def bounded(name: str, value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise BadUserInput(f"`{name}` must be between {low} and {high}, not {value}")
    return value


# -- answers ----------------------------------------------------------------------------------


def paginated(data: Row | None) -> Row | None:
    """Give a projected connection (`#total`, `#offset`, `#first`, and the keys of its
    edges in `#edges`) its cursors and page info, once."""
    if data is None or "#page_info" in data:
        return data
    offset, total = int(data["#offset"]), int(data["#total"])
    # The page's length whether or not its items were selected.
    count = max(0, min(int(data["#first"]), total - offset))
    for key in data["#edges"]:
        for index, edge in enumerate(data[key]):
            edge["#cursor"] = encode_cursor(offset + index + 1)
    data["#page_info"] = {
        "has_next_page": offset + count < total,
        "has_previous_page": offset > 0,
        "start_cursor": encode_cursor(offset + 1) if count else None,
        "end_cursor": encode_cursor(offset + count) if count else None,
    }
    return data


def _page_result(rows: Rows, page: Page, plans: plan.ConnectionPlans) -> Row:
    """A root connection from its hits, each holding its edge and entity under their response keys."""
    row = rows[0]
    items = row["items"]
    data: Row = {
        "#total": row["total"],
        "#offset": page.offset,
        "#first": page.first,
        "#edges": [key for key, _ in plans.edges],
    }
    for key in [key for key, _ in plans.edges] + [key for key, _ in plans.nodes]:
        data[key] = [item[key] for item in items]
    return paginated(data) or {}


# -- the root fields --------------------------------------------------------------------------


def entity_by_key(field: RootField, key: str) -> Prepared:
    """The entity with `key`, shaped by the field's selection (also what a mutation answers)."""
    query = reads.entity(key, _Root(field).entity_plans())
    return Prepared(query, lambda rows: rows[0]["result"] if rows else None)


def _entity(field: RootField) -> Prepared:
    return entity_by_key(field, field.arguments["key"])


def _node(field: RootField) -> Prepared:
    given = str(field.arguments["id"])
    parsed = parse_global_id(given)
    if parsed is None:
        raise BadUserInput(f"`id` is not a global id this API gave: {given!r}")
    root = _Root(field)

    def finish(rows: Rows) -> Any:
        if not rows or rows[0]["result"]["#kind"] != parsed[0]:
            return None
        return rows[0]["result"]

    return Prepared(reads.entity(parsed[1], root.entity_plans()), finish)


def _search(field: RootField) -> Prepared:
    args = field.arguments
    root = _Root(field)
    page = root.planner.page(args)
    kinds = args.get("kinds")
    chosen = None if kinds is None else tuple(Kind(_value(k)) for k in kinds)
    settings = field.settings
    words = arguments.search_words(args["query"], settings.max_search_chars, settings.max_search_words)
    plans = root.connection_plans()
    countries = arguments.countries(args.get("countries"))
    regions = arguments.regions(args.get("regions"))
    query = reads.search(lucene.compose(words), chosen, countries, page, plans, regions)
    return Prepared(query, lambda rows: _page_result(rows, page, plans))


def _entity_list(field: RootField) -> Prepared:
    args = field.arguments
    root = _Root(field)
    page = root.planner.page(args)
    where = args.get("filter")
    list_filter = plan.ListFilter(
        arguments.countries(_member(where, "countries")),
        _member(where, "sector"),
        _member(where, "project"),
        arguments.regions(_member(where, "regions")),
    )
    descending = _value(args.get("orderBy")) == "NAME_DESC"
    plans = root.connection_plans()
    spec = field.spec
    assert isinstance(spec, EntityList)
    query = reads.entity_list(spec.kind, list_filter, descending, page, plans)

    def finish(rows: Rows) -> Any:
        # An unknown key in a filter is a mistake to say, not an empty list to return.
        row = rows[0]
        if not row["sectorFound"]:
            raise unknown_key("filter.sector", "sector", str(list_filter.sector), row["sectorCandidates"])
        if not row["projectFound"]:
            raise unknown_key("filter.project", "project", str(list_filter.project), row["projectCandidates"])
        return _page_result(rows, page, plans)

    return Prepared(query, finish)


def _neighbourhood(field: RootField) -> Prepared:
    args, settings = field.arguments, field.settings
    depth = bounded("depth", args["depth"], 1, settings.max_neighbourhood_depth)
    limit = bounded("limit", args["limit"], 1, settings.max_neighbourhood_limit)
    default = tuple(t for t in REL_TYPES if t not in PROVENANCE_TYPES)
    types = arguments.rel_types(args.get("relationshipTypes"), default)
    root = _Root(field)
    center: list[tuple[str, KindPlans]] = []
    nodes: list[tuple[str, KindPlans]] = []
    edges: list[tuple[str, EdgePlan]] = []
    for selected in root.fields():
        if selected.field_name == "center":
            center.append(root.planner.keyed(selected))
        elif selected.field_name == "nodes":
            nodes.append(root.planner.keyed(selected))
        elif selected.field_name == "edges":
            edges.append((selected.response_key, root.planner.edge(selected)))
    key = args["key"]

    def finish(rows: Rows) -> Any:
        if not rows[0]["found"]:
            raise unknown_key("key", "entity", key, rows[0]["candidates"])
        return rows[0]["result"]

    query = reads.neighbourhood(key, types, depth, limit, tuple(center), tuple(nodes), tuple(edges))
    return Prepared(query, finish)


def _entity_text(name: str, given: str, settings: Settings) -> EntityText:
    """A path end as given (a key or a name), and the search that suggests keys for it:
    the words of the name, or of a key's slug ("cluster:euroregion-beskidi")."""
    try:
        text = values.clean(given, f"`{name}`", values.TextClass.NAME).strip()
    except ValueError as error:
        raise BadUserInput(str(error)) from None
    if not text:
        raise BadUserInput(f"`{name}` is empty: give an entity's key or its name")
    words = text.split(":", 1)[1].replace("-", " ") if values.KEY_PATTERN.fullmatch(text) else text
    try:
        words_given = arguments.search_words(words, settings.max_search_chars, settings.max_search_words)
        # Suggestions come from the folded names' index (`entity_by_key_or_name`).
        search = lucene.compose(words_given).near
    except BadUserInput:
        search = None  # nothing to search for: no suggestions
    return EntityText(text, search)


def _not_one_entity(name: str, text: str, candidates: list[str], ambiguous: bool) -> NotOneEntity:
    if ambiguous:
        message = f"`{name}`: several entities are named {text!r}; give the key of one"
    else:
        message = f"`{name}`: no entity has the key or the name {text!r}"
        if candidates:
            message += "; search finds"
    if candidates:
        message += ": " + ", ".join(candidates)
    return NotOneEntity(message, name, candidates)


def _cooperation_paths(field: RootField) -> Prepared:
    args, settings = field.arguments, field.settings
    max_hops = bounded("maxHops", args["maxHops"], 1, settings.max_hops)
    limit = bounded("limit", args["limit"], 1, settings.max_paths)
    types = arguments.rel_types(args.get("relationshipTypes"), COOPERATION_TYPES)
    root = _Root(field)
    plans = root.path_plans(root.return_type, root.selection_sets)
    start, end = _entity_text("from", args["from"], settings), _entity_text("to", args["to"], settings)

    def finish(rows: Rows) -> Any:
        row = rows[0]
        for name, given in (("from", start), ("to", end)):
            if not row[f"{name}Found"]:
                raise _not_one_entity(name, given.text, row[f"{name}Candidates"], row[f"{name}Ambiguous"])
        return row["paths"]

    query = reads.cooperation_paths(start, end, types, max_hops, limit, args["crossBorderOnly"], plans)
    return Prepared(query, finish)


def _cross_border_partners(field: RootField) -> Prepared:
    args, settings = field.arguments, field.settings
    max_hops = bounded("maxHops", args["maxHops"], 1, settings.max_hops)
    limit = bounded("limit", args["limit"], 1, settings.max_page_size)
    root = _Root(field)
    partners: list[tuple[str, KindPlans]] = []
    paths: list[tuple[str, plan.PathPlans]] = []
    for selected in root.fields():
        if selected.field_name == "partner":
            partners.append(root.planner.keyed(selected))
        elif selected.field_name == "path":
            paths.append((selected.response_key, root.path_plans(*root.sub(selected))))
    key = args["key"]

    def finish(rows: Rows) -> Any:
        row = rows[0]
        if not row["found"]:
            raise unknown_key("key", "entity", key, row["candidates"])
        return row["partners"]

    countries = arguments.countries(args.get("countries"))
    regions = arguments.regions(args.get("regions"))
    query = reads.cross_border_partners(
        key, COOPERATION_TYPES, max_hops, countries, limit, tuple(partners), tuple(paths), regions
    )
    return Prepared(query, finish)


def _cooperation_matrix(field: RootField) -> Prepared:
    project, sector = field.arguments.get("project"), field.arguments.get("sector")

    def finish(rows: Rows) -> Any:
        row = rows[0]
        if not row["projectFound"]:
            raise unknown_key("project", "project", str(project), row["projectCandidates"])
        if not row["sectorFound"]:
            raise unknown_key("sector", "sector", str(sector), row["sectorCandidates"])
        return matrix(row["cells"], {n["code"]: n["name"] for n in row["names"]})

    return Prepared(reads.cooperation_matrix(project, sector), finish)


def matrix(pairs: Rows, names: dict[str, str]) -> Row:
    """The matrix from its links per pair of countries: as cells, and as rows by columns with totals.

    The matrix is symmetric: a link between two countries is in both their rows (and
    columns), a link within one country on the diagonal; so each row's total is its
    column's total, and the totals add up to more than `total_links` when links cross borders.
    """
    cells = [
        {
            "from_": c["a"],
            "to": c["b"],
            "links": c["links"],
            "from_name": names.get(c["a"]),
            "to_name": names.get(c["b"]),
        }
        for c in pairs
    ]
    countries = sorted({c["from_"] for c in cells} | {c["to"] for c in cells})
    position = {code: i for i, code in enumerate(countries)}
    table = [[0] * len(countries) for _ in countries]
    for c in cells:
        i, j = position[c["from_"]], position[c["to"]]
        table[i][j] = table[j][i] = c["links"]
    totals = [sum(links) for links in table]
    rows = [
        {"code": code, "name": names.get(code), "links": table[i], "total": totals[i]}
        for i, code in enumerate(countries)
    ]
    columns = [
        {"code": code, "name": names.get(code), "total": totals[i]} for i, code in enumerate(countries)
    ]
    return {
        "countries": countries,
        "cells": cells,
        "total_links": sum(c["links"] for c in cells),
        "rows": rows,
        "columns": columns,
    }


_BY_NAME: dict[str, Callable[[RootField], Prepared]] = {
    "entity": _entity,
    "node": _node,
    "search": _search,
    "neighbourhood": _neighbourhood,
    "cooperationPaths": _cooperation_paths,
    "crossBorderPartners": _cross_border_partners,
    "cooperationMatrix": _cooperation_matrix,
}


def preparer(fields: FieldModel, root: str, name: str) -> Callable[[RootField], Prepared] | None:
    """How the root field `name` of the type `root` is planned; None when the translator does not plan it."""
    if isinstance(fields.graph(root, name), EntityList):
        return _entity_list
    return _BY_NAME.get(name)


def prepare(field: RootField) -> Prepared:
    """The Cypher query of a root field this module plans (see `preparer`), and how to finish it."""
    request = field.request
    assert request.schema.query_type is not None
    planned = preparer(request.fields, request.schema.query_type.name, field.name)
    if planned is None:
        raise LookupError(f"the translator does not plan the root field {field.name}")
    return planned(field)
