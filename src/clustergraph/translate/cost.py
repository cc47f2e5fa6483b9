"""The cost of an operation, read by the same selection walker as the planner (`selection.collect`).

Every field costs 1; what is below a field with a page size (`first`, `limit`) costs that
many times over; a path search costs `hop_cost` times the square of its hop bound.
Argument values are the executor's own: literals, variables (their defaults included)
and the schema's argument defaults, so leaving `first` out counts the page a list really
returns. Below an interface, the costliest of its kinds counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from graphql import (
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    SelectionSetNode,
    get_named_type,
)

from clustergraph.model import Kind
from clustergraph.translate.plan import DEFAULT_PAGE_SIZE
from clustergraph.translate.selection import Request, Selected, collect

# Root fields that search paths, and the argument that bounds their hops.
PATH_SEARCHES: Mapping[str, str] = {
    "cooperationPaths": "maxHops",
    "crossBorderPartners": "maxHops",
    "neighbourhood": "depth",
}
# Arguments that multiply the cost of everything selected below a field.
PAGE_ARGUMENTS = ("first", "limit")


@dataclass(frozen=True)
class CostRules:
    """The weights, and the caps at which out-of-bound arguments are counted (the resolver
    refuses those as BAD_USER_INPUT, with a more precise message)."""

    hop_cost: int = 10
    max_hops: int = 6
    max_page: int = 500


@dataclass
class _Costing:
    request: Request
    rules: CostRules
    # (field nodes, type) -> cost: a selection below an interface is priced once per kind.
    memo: dict[tuple[tuple[int, ...], str], int] = field(default_factory=dict)

    def selection(self, named: GraphQLNamedType, sets: list[SelectionSetNode], nodes: tuple[int, ...]) -> int:
        if isinstance(named, GraphQLInterfaceType):
            kinds = [
                t for t in self.request.schema.get_possible_types(named) if t.name in Kind._value2member_map_
            ]
            return max((self.selection(t, sets, nodes) for t in kinds), default=0)
        if not isinstance(named, GraphQLObjectType) or not sets:
            return 0
        key = (nodes, named.name)
        if key not in self.memo:
            self.memo[key] = sum(self.field(s) for s in collect(self.request, sets, named))
        return self.memo[key]

    def field(self, selected: Selected) -> int:
        below = self.selection(
            get_named_type(selected.definition.type),
            selected.sub_selections(),
            tuple(id(n) for n in selected.nodes),
        )
        return self._own(selected) + self._multiplier(selected) * below

    def _own(self, selected: Selected) -> int:
        argument = PATH_SEARCHES.get(selected.field_name)
        if argument is None:
            return 1
        hops = _int(selected.arguments.get(argument), 1)
        hops = min(max(hops, 1), self.rules.max_hops)
        return self.rules.hop_cost * hops * hops

    def _multiplier(self, selected: Selected) -> int:
        for name in PAGE_ARGUMENTS:
            if name in selected.definition.args:
                size = _int(selected.arguments.get(name), DEFAULT_PAGE_SIZE)
                return min(max(size, 1), self.rules.max_page)
        return 1


def _int(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def operation_cost(
    request: Request, root: GraphQLObjectType, selection_set: SelectionSetNode, rules: CostRules
) -> int:
    """The cost of an operation's selection set on its root type."""
    return _Costing(request, rules).selection(root, [selection_set], ())
