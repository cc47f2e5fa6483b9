"""Planning (the plan stage): turn a selection into a tree of what to fetch, checked against the data model.

A plan says, per concrete kind of entity, which properties to read and which
relationships to follow with which page bounds, and the response key (alias included)
each answer goes under. Its nodes are `clustergraph.cypher.plan`'s, which write their
own Cypher; this module only reads the selection and the fields' graph specs from the
field model (`translate.fields`; each spec, `translate.specs`, names the planner method
that plans its field).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    SelectionSetNode,
    get_named_type,
    is_leaf_type,
)

from clustergraph.cypher.plan import (
    Child,
    ClaimsPlan,
    CountryPlan,
    EdgePlan,
    KindPlans,
    NodePlan,
    Page,
    PartnerEdgePlan,
    PartnersPlan,
    RelatedPlan,
    Scalar,
    SinglePlan,
    SourcesPlan,
)
from clustergraph.errors import BadUserInput
from clustergraph.model import (
    COMMON_PROPERTIES,
    COMMON_REL_PROPERTIES,
    KIND_PROPERTIES,
    REL_TYPES,
    Direction,
    Kind,
)
from clustergraph.translate import specs
from clustergraph.translate.cursors import decode_cursor
from clustergraph.translate.selection import Request, Selected, collect

NODE_PROPERTIES = frozenset(COMMON_PROPERTIES) | {p for props in KIND_PROPERTIES.values() for p in props}
REL_PROPERTIES = frozenset(COMMON_REL_PROPERTIES) | {p for r in REL_TYPES.values() for p in r.properties}
DEFAULT_PAGE_SIZE = 20


# The translator's name for the error tree's BadUserInput (kept: curation imports it from here).
BadInput = BadUserInput


@dataclass(frozen=True)
class Limits:
    max_page_size: int = 100


class Planner:
    def __init__(self, request: Request, limits: Limits) -> None:
        self.request = request
        self.limits = limits

    # -- entry points --------------------------------------------------------------------------

    def entity(self, graphql_type: GraphQLNamedType, selection_sets: list[SelectionSetNode]) -> KindPlans:
        """Plans for an entity-valued position whose declared type is `graphql_type`."""
        groups: dict[NodePlan, set[Kind]] = {}
        for runtime in self._possible_types(graphql_type):
            plan = self._node(runtime, selection_sets)
            groups.setdefault(plan, set()).add(Kind(runtime.name))
        return tuple((frozenset(kinds), plan) for plan, kinds in groups.items())

    def page(self, arguments: dict[str, Any]) -> Page:
        first = arguments.get("first")
        first = DEFAULT_PAGE_SIZE if first is None else first
        if not 0 <= first <= self.limits.max_page_size:
            raise BadInput(f"`first` must be between 0 and {self.limits.max_page_size}, not {first}")
        return Page(first=first, offset=decode_after(arguments.get("after")))

    # -- entities ------------------------------------------------------------------------------

    def _possible_types(self, graphql_type: GraphQLNamedType) -> list[GraphQLObjectType]:
        if isinstance(graphql_type, GraphQLInterfaceType):
            possible = self.request.schema.get_possible_types(graphql_type)
            return [t for t in possible if t.name in Kind._value2member_map_]
        assert isinstance(graphql_type, GraphQLObjectType)
        return [graphql_type]

    def _node(self, runtime: GraphQLObjectType, selection_sets: list[SelectionSetNode]) -> NodePlan:
        scalars: list[Scalar] = []
        children: list[Child] = []
        fields = self.request.fields
        for selected in collect(self.request, selection_sets, runtime):
            spec = fields.graph(runtime.name, selected.field_name)
            if isinstance(spec, specs.Derived):
                continue
            if spec is None or isinstance(spec, specs.Property):
                prop = spec.name if spec else selected.field_name
                scalars.append(
                    Scalar(selected.response_key, node_property(prop), spec.is_list if spec else False)
                )
                continue
            if not isinstance(spec, specs.ChildSpec):
                raise TypeError(f"no plan for {spec!r} at {selected.response_key}")
            children.append(spec.plan(self, selected))
        return NodePlan(tuple(scalars), tuple(children))

    # -- fields that read more of the graph (each planned at its spec's request) ----------------

    def single(
        self,
        selected: Selected,
        types: tuple[str, ...],
        direction: Direction,
        targets: tuple[Kind, ...],
        role: str | None,
    ) -> SinglePlan:
        entity = self.entity(get_named_type(selected.definition.type), selected.sub_selections())
        return SinglePlan(selected.response_key, types, direction, targets, role, entity)

    def any_related(self, selected: Selected) -> RelatedPlan:
        chosen = selected.arguments.get("types") or list(REL_TYPES)
        types = tuple(rel_type(getattr(t, "value", t)) for t in chosen)
        direction = Direction(
            getattr(selected.arguments["direction"], "value", selected.arguments["direction"])
        )
        return self.related(selected, types, direction, (), None)

    def sources(self, selected: Selected) -> SourcesPlan:
        return SourcesPlan(*self.keyed(selected))

    def country(self, selected: Selected) -> CountryPlan:
        return CountryPlan(*self.keyed(selected))

    # -- connections ---------------------------------------------------------------------------

    def related(
        self,
        selected: Selected,
        types: tuple[str, ...],
        direction: Direction,
        targets: tuple[Kind, ...],
        role: str | None,
    ) -> RelatedPlan:
        connection = self._object(selected)
        edges: list[tuple[str, EdgePlan]] = []
        nodes: list[tuple[str, KindPlans]] = []
        for part in collect(self.request, selected.sub_selections(), connection):
            if part.field_name == "edges":
                edges.append((part.response_key, self.edge(part)))
            elif part.field_name == "nodes":
                nodes.append(self.keyed(part))
        return RelatedPlan(
            selected.response_key,
            types,
            direction,
            targets,
            role,
            self.page(selected.arguments),
            tuple(edges),
            tuple(nodes),
        )

    def keyed(self, selected: Selected) -> tuple[str, KindPlans]:
        """An entity-valued field's response key and plans."""
        return selected.response_key, self.entity(
            get_named_type(selected.definition.type), selected.sub_selections()
        )

    def edge(self, selected: Selected) -> EdgePlan:
        scalars: list[Scalar] = []
        nodes: list[tuple[str, KindPlans]] = []
        sources: list[tuple[str, KindPlans]] = []
        edge = self._object(selected)
        for part in collect(self.request, selected.sub_selections(), edge):
            spec = self.request.fields.graph(edge.name, part.field_name)
            if isinstance(spec, specs.EdgeNode):
                nodes.append(self.keyed(part))
            elif isinstance(spec, specs.Sources):
                sources.append(self.keyed(part))
            elif spec is None and is_leaf_type(get_named_type(part.definition.type)):
                scalars.append(Scalar(part.response_key, rel_property(part.field_name)))
        return EdgePlan(tuple(scalars), tuple(nodes), tuple(sources))

    def partners(self, selected: Selected) -> PartnersPlan:
        edges: list[tuple[str, PartnerEdgePlan]] = []
        nodes: list[tuple[str, KindPlans]] = []
        for part in collect(self.request, selected.sub_selections(), self._object(selected)):
            if part.field_name == "nodes":
                nodes.append(self.keyed(part))
            elif part.field_name == "edges":
                edges.append((part.response_key, self._partner_edge(part)))
        return PartnersPlan(selected.response_key, self.page(selected.arguments), tuple(edges), tuple(nodes))

    def _partner_edge(self, selected: Selected) -> PartnerEdgePlan:
        nodes: list[tuple[str, KindPlans]] = []
        projects: list[tuple[str, KindPlans]] = []
        for part in collect(self.request, selected.sub_selections(), self._object(selected)):
            if part.field_name == "node":
                nodes.append(self.keyed(part))
            elif part.field_name == "projects":
                projects.append(self.keyed(part))
        return PartnerEdgePlan(tuple(nodes), tuple(projects))

    def claims(self, selected: Selected) -> ClaimsPlan:
        scalars: list[Scalar] = []
        sources: list[tuple[str, KindPlans]] = []
        claim = self._object(selected)
        for part in collect(self.request, selected.sub_selections(), claim):
            spec = self.request.fields.graph(claim.name, part.field_name)
            if isinstance(spec, specs.ClaimSource):
                sources.append(self.keyed(part))
            else:
                scalars.append(Scalar(part.response_key, rel_property(part.field_name)))
        disputed = bool(selected.arguments.get("disputed"))
        return ClaimsPlan(selected.response_key, tuple(scalars), tuple(sources), disputed)

    def _object(self, selected: Selected) -> GraphQLObjectType:
        named = get_named_type(selected.definition.type)
        assert isinstance(named, GraphQLObjectType)
        return named


def node_property(name: str) -> str:
    if name not in NODE_PROPERTIES:
        raise TypeError(f"{name!r} is not a node property of the data model")
    return name


def rel_property(name: str) -> str:
    if name not in REL_PROPERTIES:
        raise TypeError(f"{name!r} is not a relationship property of the data model")
    return name


def rel_type(name: str) -> str:
    if name not in REL_TYPES:
        raise BadInput(f"unknown relationship type {name!r}")
    return name


def decode_after(after: str | None) -> int:
    if after is None:
        return 0
    offset = decode_cursor(after)
    if offset is None:
        raise BadInput(f"`after` is not a cursor this API gave: {after!r}")
    return offset
