"""Cypher (the plan stage's last step): write the Cypher map projection that returns exactly what a plan selects.

Nested relationships become COUNT/COLLECT subqueries inside one expression, so a root
field costs Neo4j one query however deep the request nests. Labels, relationship types
and property names come from the plan, which took them from the data model only;
values (page bounds, roles) become parameters. Map keys are the plan's response keys,
and the `__` keys of what every answer needs (see `translate.plan`).
"""

from __future__ import annotations

from typing import Any

from clustergraph.model import ENTITY_LABEL, REL_TYPES, Kind
from clustergraph.translate.plan import (
    ClaimsPlan,
    CountryPlan,
    EdgePlan,
    Keyed,
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
from clustergraph.translate.specs import Direction

COOPERATION_IN_PROJECTS = "PARTNER_IN|PARTICIPATES_IN"


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
            return self._node_map(var, plans[0][1])
        branches = []
        for kinds, plan in plans[:-1]:
            test = " OR ".join(f"{var}:{kind_label(k)}" for k in sorted(kinds))
            branches.append(f"WHEN {test} THEN {self._node_map(var, plan)}")
        last = self._node_map(var, plans[-1][1])
        return f"CASE {' '.join(branches)} ELSE {last} END"

    def _node_map(self, var: str, plan: NodePlan) -> str:
        entries = [
            f"`#kind`: head([label IN labels({var}) WHERE label <> '{ENTITY_LABEL}'])",
            f"`#key`: {var}.key",
            *(_scalar(var, s) for s in plan.scalars),
            *(f"`{child.key}`: {self._child(var, child)}" for child in plan.children),
        ]
        return f"{var} {{{', '.join(entries)}}}"

    def _child(
        self,
        var: str,
        child: RelatedPlan | SinglePlan | PartnersPlan | SourcesPlan | CountryPlan | ClaimsPlan,
    ) -> str:
        if isinstance(child, RelatedPlan):
            return self._related(var, child)
        if isinstance(child, SinglePlan):
            return self._single(var, child)
        if isinstance(child, PartnersPlan):
            return self._partners(var, child)
        if isinstance(child, SourcesPlan):
            s = self.var("s")
            return (
                f"COLLECT {{ MATCH ({var})-[:SOURCED_FROM]->({s}:{kind_label(Kind.SOURCE)}) "
                f"WITH {s} ORDER BY {s}.key RETURN {self.node(s, child.node)} }}"
            )
        if isinstance(child, CountryPlan):
            c = self.var("c")
            return (
                f"head(COLLECT {{ MATCH ({c}:{kind_label(Kind.COUNTRY)}) WHERE {c}.code = {var}.country "
                f"RETURN {self.node(c, child.node)} }})"
            )
        return self._claims(var, child)

    # -- relationships -------------------------------------------------------------------------

    def _pattern(self, var: str, rel: str, other: str, types: tuple[str, ...], direction: Direction) -> str:
        joined = "|".join(rel_label(t) for t in types)
        left, right = {"OUT": ("-", "->"), "IN": ("<-", "-"), "BOTH": ("-", "-")}[direction.value]
        return f"({var}){left}[{rel}:{joined}]{right}({other}:{ENTITY_LABEL})"

    def _where(self, rel: str, other: str, targets: tuple[Kind, ...], role: str | None) -> str:
        tests = []
        if targets:
            tests.append("(" + " OR ".join(f"{other}:{kind_label(k)}" for k in targets) + ")")
        if role is not None:
            tests.append(f"{rel}.role = {self.param(role)}")
        return f" WHERE {' AND '.join(tests)}" if tests else ""

    def _related(self, var: str, plan: RelatedPlan) -> str:
        r, m = self.var("r"), self.var("m")
        match = self._pattern(var, r, m, plan.types, plan.direction) + self._where(
            r, m, plan.targets, plan.role
        )
        bounds, page_entries = self._page(plan.page, plan.edges)
        order = f"ORDER BY {r}.partnerNumber, {m}.name, {m}.key {bounds}"
        parts = [f"`#total`: COUNT {{ MATCH {match} }}", *page_entries]
        for key, edge in plan.edges:
            parts.append(
                f"`{key}`: COLLECT {{ MATCH {match} WITH {var}, {r}, {m} {order} "
                f"RETURN {self._edge_map(var, r, m, edge)} }}"
            )
        for key, plans in plan.nodes:
            parts.append(
                f"`{key}`: COLLECT {{ MATCH {match} WITH {r}, {m} {order} RETURN {self.node(m, plans)} }}"
            )
        return "{" + ", ".join(parts) + "}"

    def _edge_map(self, var: str, r: str, m: str, plan: EdgePlan) -> str:
        entries = [
            f"`#type`: type({r})",
            f"`#direction`: CASE WHEN startNode({r}) = {var} THEN 'OUT' ELSE 'IN' END",
            *(_scalar(r, s) for s in plan.scalars),
            *self.keyed(m, plan.nodes),
            *self._keyed_sources(r, plan.sources),
        ]
        return "{" + ", ".join(entries) + "}"

    def keyed(self, var: str, keyed: Keyed) -> list[str]:
        """`key: projection` of the entity in `var`, for each selection of it."""
        return [f"`{key}`: {self.node(var, plans)}" for key, plans in keyed]

    def _keyed_sources(self, r: str, keyed: Keyed) -> list[str]:
        return [f"`{key}`: {self.relationship_sources(r, plans)}" for key, plans in keyed]

    def graph_edge(self, r: str, plan: EdgePlan) -> str:
        """A relationship as a free-standing edge: type, ends, selected properties and sources."""
        entries = [
            f"`#type`: type({r})",
            f"`#from`: startNode({r}).key",
            f"`#to`: endNode({r}).key",
            f"`#id`: elementId({r})",
            *(_scalar(r, s) for s in plan.scalars),
            *self._keyed_sources(r, plan.sources),
        ]
        return "{" + ", ".join(entries) + "}"

    def relationship_sources(self, r: str, plans: KindPlans) -> str:
        """The Source nodes whose keys a relationship lists in `sources`."""
        s = self.var("s")
        return (
            f"COLLECT {{ MATCH ({s}:{kind_label(Kind.SOURCE)}) WHERE {s}.key IN coalesce({r}.sources, []) "
            f"WITH {s} ORDER BY {s}.key RETURN {self.node(s, plans)} }}"
        )

    def _single(self, var: str, plan: SinglePlan) -> str:
        r, m = self.var("r"), self.var("m")
        match = self._pattern(var, r, m, plan.types, plan.direction) + self._where(
            r, m, plan.targets, plan.role
        )
        return f"head(COLLECT {{ MATCH {match} WITH {m} ORDER BY {m}.key LIMIT 1 RETURN {self.node(m, plan.node)} }})"

    def _partners(self, var: str, plan: PartnersPlan) -> str:
        p, m = self.var("p"), self.var("m")
        project = kind_label(Kind.PROJECT)

        def shared_with(other: str, p: str) -> str:
            return (
                f"({var})-[:{COOPERATION_IN_PROJECTS}]->({p}:{project})"
                f"<-[:{COOPERATION_IN_PROJECTS}]-({other})"
            )

        match = f"{shared_with(f'{m}:{ENTITY_LABEL}', p)} WHERE {m} <> {var}"
        # No aggregating function inside: Neo4j would read it as aggregating the outer RETURN.
        bounds, page_entries = self._page(plan.page, plan.edges)
        page = f"WITH DISTINCT {m} ORDER BY {m}.name, {m}.key {bounds}"
        parts = [
            f"`#total`: size(COLLECT {{ MATCH {match} RETURN DISTINCT {m}.key }})",
            *page_entries,
        ]

        def edge_map(edge: PartnerEdgePlan) -> str:
            entries = self.keyed(m, edge.nodes)
            for key, plans in edge.projects:
                q = self.var("p")
                entries.append(
                    f"`{key}`: COLLECT {{ MATCH {shared_with(m, q)} WITH DISTINCT {q} ORDER BY {q}.key "
                    f"RETURN {self.node(q, plans)} }}"
                )
            return "{" + ", ".join(entries) + "}"

        for key, edge in plan.edges:
            parts.append(f"`{key}`: COLLECT {{ MATCH {match} {page} RETURN {edge_map(edge)} }}")
        for key, plans in plan.nodes:
            parts.append(f"`{key}`: COLLECT {{ MATCH {match} {page} RETURN {self.node(m, plans)} }}")
        return "{" + ", ".join(parts) + "}"

    def _claims(self, var: str, plan: ClaimsPlan) -> str:
        c, s = self.var("c"), self.var("s")
        entries = [*(_scalar(c, sc) for sc in plan.scalars), *self.keyed(s, plan.sources)]
        where = ""
        if plan.disputed:
            # Disputed: another claim on the same property states another value or unit.
            o = self.var("c")
            where = (
                f" WHERE EXISTS {{ MATCH ({var})<-[{o}:CLAIMS]-(:{kind_label(Kind.SOURCE)}) "
                f"WHERE {o}.property = {c}.property AND ({o}.value <> {c}.value "
                f"OR coalesce({o}.unit, '') <> coalesce({c}.unit, '')) }}"
            )
        return (
            f"COLLECT {{ MATCH ({var})<-[{c}:CLAIMS]-({s}:{kind_label(Kind.SOURCE)}){where} "
            f"WITH {c}, {s} ORDER BY {c}.property, {s}.key RETURN {{{', '.join(entries)}}} }}"
        )

    def _page(self, page: Page, edges: tuple[tuple[str, Any], ...]) -> tuple[str, list[str]]:
        """`SKIP … LIMIT …` of a page, and the entries that tell its answer where the page starts,
        how long it is and which keys hold its edges (they get cursors), on the same parameters."""
        offset, first = self.param(page.offset), self.param(page.first)
        edge_keys = self.param([key for key, _ in edges])
        return f"SKIP {offset} LIMIT {first}", [
            f"`#offset`: {offset}",
            f"`#first`: {first}",
            f"`#edges`: {edge_keys}",
        ]


def _scalar(var: str, scalar: Scalar) -> str:
    value = f"{var}.{scalar.property}"
    return f"`{scalar.key}`: coalesce({value}, [])" if scalar.is_list else f"`{scalar.key}`: {value}"


def kind_label(kind: Kind) -> str:
    return Kind(kind).value


def rel_label(name: str) -> str:
    return REL_TYPES[name].name
