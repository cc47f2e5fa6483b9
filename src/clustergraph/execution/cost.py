"""The cost of an operation, read by the same selection walker as the planner (`selection.collect`).

Every field costs 1; what is below a field with a page size (`first`, `limit`) costs that
many times over. Argument values are the executor's own: literals, variables (their
defaults included) and the schema's argument defaults, so leaving `first` out counts the
page a list really returns. Below an interface, the costliest of its kinds counts.

The root fields that walk the graph cost more, in units of about one millisecond of Neo4j
time, measured at full scale (the synthetic network at scale 1.0: 204k nodes, 1.09M
relationships; `bench/calibrate.py`) from the best-connected start nodes:

    search                 own cost                          measured slowest, ms (hops 1..6)
    crossBorderPartners    hop_cost x 5^(maxHops-1)          12, 46, 123, 531, 9,259, >12,000
    cooperationPaths       2 hop_cost x 2^(maxHops-1)        61, 476, 90, 125, 320, 374
    neighbourhood          3 hop_cost x 15^(depth-1)         23, 458, 6,108 (sector hubs, all types)
    cooperationMatrix      900 hop_cost unfiltered,          8,808 unfiltered, 267 by sector,
                           30 hop_cost by sector, 2 by project   18 by project

A walk grows with the branching factor of the graph, so its cost is exponential in the
hop bound, not quadratic. The fan-out of the start node matters as much, but it is not
known before any Cypher runs: the cost assumes the best-connected start node, and the
request's database-time budget (`db.DbBudget`) bounds what it really takes. No root field
can run longer than that budget, so its own cost is capped at the budget (`cap`, in the
same units; at most half the cost bound): one search alone is always admitted up to its
published bounds, and the budget cuts it on a hub; several (aliases) add up and are
refused past the limit. Figures: 2 shared cores, load average 3 to 11 (other test suites).
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

# Root fields that walk the graph: the argument that bounds their hops, the multiple of
# `hop_cost` a walk of one hop costs, and how much each further hop multiplies it.
PATH_SEARCHES: Mapping[str, tuple[str, int, int]] = {
    "crossBorderPartners": ("maxHops", 1, 5),
    "cooperationPaths": ("maxHops", 2, 2),
    "neighbourhood": ("depth", 3, 15),
}
# The matrix walks every project unless one project or one sector anchors it.
MATRIX = "cooperationMatrix"
MATRIX_COST = {"project": 2, "sector": 30, None: 900}
# Arguments that multiply the cost of everything selected below a field.
PAGE_ARGUMENTS = ("first", "limit")


@dataclass(frozen=True)
class CostRules:
    """The weights, and the caps at which out-of-bound arguments are counted (the resolver
    refuses those as BAD_USER_INPUT, with a more precise message)."""

    hop_cost: int = 10
    max_hops: int = 6
    max_page: int = 500
    # The most one root field's own cost may be: the request's database-time budget in
    # milliseconds, at most half the cost bound (None: no cap).
    cap: int | None = 2000


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
        rules = self.rules
        if selected.field_name == MATRIX:
            anchor = next((a for a in ("project", "sector") if selected.arguments.get(a) is not None), None)
            return self._capped(rules.hop_cost * MATRIX_COST[anchor])
        search = PATH_SEARCHES.get(selected.field_name)
        if search is None:
            return 1
        argument, base, growth = search
        hops = min(max(_int(selected.arguments.get(argument), 1), 1), rules.max_hops)
        return self._capped(rules.hop_cost * base * growth ** (hops - 1))

    def _capped(self, cost: int) -> int:
        return cost if self.rules.cap is None else min(cost, max(self.rules.cap, 1))

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
