"""The Emitter: what every plan node writes its Cypher with (`cypher.plan`).

It collects parameters and hands out fresh variable names while one query is written,
and writes what many nodes share: an entity projected by the plan of its kind, the
pattern and filter of one hop, a page's bounds, the sources of a relationship. Nested
relationships become COUNT/COLLECT subqueries inside one expression, so a root field
costs Neo4j one query however deep the request nests. Labels, relationship types and
property names come from the plan, which took them from the data model only; values
(page bounds, roles) become parameters.
"""

from __future__ import annotations

from typing import Any

from clustergraph.cypher.plan import EdgePlan, Keyed, KindPlans, Page
from clustergraph.model import ENTITY_LABEL, REL_TYPES, Direction, Kind


class Emitter:
    """Collects parameters and fresh variable names while writing one query."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}
        self._counter = 0

    def param(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"${name}"

    def var(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}{self._counter}"

    # -- entities ------------------------------------------------------------------------------

    def node(self, var: str, plans: KindPlans) -> str:
        """An expression for the entity in `var`, projected by the plan of its kind."""
        if len(plans) == 1:
            return plans[0][1].emit(self, var)
        branches = []
        for kinds, plan in plans[:-1]:
            test = " OR ".join(f"{var}:{kind_label(k)}" for k in sorted(kinds))
            branches.append(f"WHEN {test} THEN {plan.emit(self, var)}")
        return f"CASE {' '.join(branches)} ELSE {plans[-1][1].emit(self, var)} END"

    # -- relationships -------------------------------------------------------------------------

    def pattern(self, var: str, rel: str, other: str, types: tuple[str, ...], direction: Direction) -> str:
        joined = "|".join(rel_label(t) for t in types)
        left, right = {"OUT": ("-", "->"), "IN": ("<-", "-"), "BOTH": ("-", "-")}[direction.value]
        return f"({var}){left}[{rel}:{joined}]{right}({other}:{ENTITY_LABEL})"

    def where(self, rel: str, other: str, targets: tuple[Kind, ...], role: str | None) -> str:
        tests = []
        if targets:
            tests.append("(" + " OR ".join(f"{other}:{kind_label(k)}" for k in targets) + ")")
        if role is not None:
            tests.append(f"{rel}.role = {self.param(role)}")
        return f" WHERE {' AND '.join(tests)}" if tests else ""

    def keyed(self, var: str, keyed: Keyed) -> list[str]:
        """`key: projection` of the entity in `var`, for each selection of it."""
        return [f"`{key}`: {self.node(var, plans)}" for key, plans in keyed]

    def keyed_sources(self, r: str, keyed: Keyed) -> list[str]:
        return [f"`{key}`: {self.relationship_sources(r, plans)}" for key, plans in keyed]

    def graph_edge(self, r: str, plan: EdgePlan) -> str:
        """A relationship as a free-standing edge: type, ends, selected properties and sources."""
        entries = [
            f"`#type`: type({r})",
            f"`#from`: startNode({r}).key",
            f"`#to`: endNode({r}).key",
            f"`#id`: elementId({r})",
            *(s.emit(r) for s in plan.scalars),
            *self.keyed_sources(r, plan.sources),
        ]
        return "{" + ", ".join(entries) + "}"

    def relationship_sources(self, r: str, plans: KindPlans) -> str:
        """The Source nodes whose keys a relationship lists in `sources`."""
        s = self.var("s")
        return (
            f"COLLECT {{ MATCH ({s}:{kind_label(Kind.SOURCE)}) WHERE {s}.key IN coalesce({r}.sources, []) "
            f"WITH {s} ORDER BY {s}.key RETURN {self.node(s, plans)} }}"
        )

    def page(self, page: Page, edges: tuple[tuple[str, Any], ...]) -> tuple[str, list[str]]:
        """`SKIP … LIMIT …` of a page, and the entries that tell its answer where the page starts,
        how long it is and which keys hold its edges (they get cursors), on the same parameters."""
        offset, first = self.param(page.offset), self.param(page.first)
        edge_keys = self.param([key for key, _ in edges])
        return f"SKIP {offset} LIMIT {first}", [
            f"`#offset`: {offset}",
            f"`#first`: {first}",
            f"`#edges`: {edge_keys}",
        ]


def kind_label(kind: Kind) -> str:
    return Kind(kind).value


def rel_label(name: str) -> str:
    return REL_TYPES[name].name
