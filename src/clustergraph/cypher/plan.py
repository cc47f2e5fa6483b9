"""Plan nodes: what one root field reads, as a tree whose every node writes its own Cypher.

The translator (`clustergraph.translate.plan`) builds the tree from a request's selection,
checked against the data model; each node here knows only how to write its fragment,
with an `Emitter` (`cypher.projection`) for parameters and fresh variable names. As in
@neo4j/graphql's queryAST, no dispatcher inspects a node's type: a parent asks each of
its children for its Cypher (`emit`).

Every node carries the response key (alias included) its answer goes under, so aliases
of one field with different arguments or sub-selections never share an entry. What the
answer needs beyond the selection (an entity's kind and key, a connection's total and
offset, a relationship's type) goes under keys that start with `#`, which no GraphQL
name can, so no response key collides with them (aliases starting with `__`, such as
Relay's `__isEntity`, are the client's own).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from clustergraph.model import ENTITY_LABEL, Direction, Kind

if TYPE_CHECKING:
    from clustergraph.cypher.projection import Emitter

# Both kinds of cooperation through a project: a partnership, or taking part.
COOPERATION_IN_PROJECTS = "PARTNER_IN|PARTICIPATES_IN"


@dataclass(frozen=True)
class Scalar:
    key: str  # the response key the value is stored under
    property: str
    is_list: bool = False

    def emit(self, var: str) -> str:
        value = f"{var}.{self.property}"
        return f"`{self.key}`: coalesce({value}, [])" if self.is_list else f"`{self.key}`: {value}"


@dataclass(frozen=True)
class Page:
    first: int
    offset: int


class Child(Protocol):
    """A field of an entity that reads more of the graph than its own properties."""

    @property
    def key(self) -> str:
        """The response key its answer goes under."""
        ...

    def emit(self, e: Emitter, var: str) -> str:
        """The Cypher expression of this field's value, for the entity in `var`."""
        ...


@dataclass(frozen=True)
class NodePlan:
    scalars: tuple[Scalar, ...]
    children: tuple[Child, ...]

    def emit(self, e: Emitter, var: str) -> str:
        entries = [
            f"`#kind`: head([label IN labels({var}) WHERE label <> '{ENTITY_LABEL}'])",
            f"`#key`: {var}.key",
            *(s.emit(var) for s in self.scalars),
            *(f"`{child.key}`: {child.emit(e, var)}" for child in self.children),
        ]
        return f"{var} {{{', '.join(entries)}}}"


# A plan per group of kinds that select the same fields.
KindPlans = tuple[tuple[frozenset[Kind], NodePlan], ...]
# (response key, plans) of each entity-valued field selected under one parent.
Keyed = tuple[tuple[str, KindPlans], ...]


@dataclass(frozen=True)
class EdgePlan:
    scalars: tuple[Scalar, ...]
    nodes: Keyed = ()  # each selection of the other end
    sources: Keyed = ()

    def emit(self, e: Emitter, var: str, r: str, m: str) -> str:
        """The edge `r` from the entity in `var` to the one in `m`."""
        entries = [
            f"`#type`: type({r})",
            f"`#direction`: CASE WHEN startNode({r}) = {var} THEN 'OUT' ELSE 'IN' END",
            *(s.emit(r) for s in self.scalars),
            *e.keyed(m, self.nodes),
            *e.keyed_sources(r, self.sources),
        ]
        return "{" + ", ".join(entries) + "}"


@dataclass(frozen=True)
class RelatedPlan:
    """Entities one hop away, as a connection."""

    key: str
    types: tuple[str, ...]
    direction: Direction
    targets: tuple[Kind, ...]
    role: str | None
    page: Page
    edges: tuple[tuple[str, EdgePlan], ...]
    nodes: Keyed

    def emit(self, e: Emitter, var: str) -> str:
        r, m = e.var("r"), e.var("m")
        match = e.pattern(var, r, m, self.types, self.direction) + e.where(r, m, self.targets, self.role)
        bounds, page_entries = e.page(self.page, self.edges)
        order = f"ORDER BY {r}.partnerNumber, {m}.name, {m}.key {bounds}"
        parts = [f"`#total`: COUNT {{ MATCH {match} }}", *page_entries]
        for key, edge in self.edges:
            parts.append(
                f"`{key}`: COLLECT {{ MATCH {match} WITH {var}, {r}, {m} {order} "
                f"RETURN {edge.emit(e, var, r, m)} }}"
            )
        for key, plans in self.nodes:
            parts.append(
                f"`{key}`: COLLECT {{ MATCH {match} WITH {r}, {m} {order} RETURN {e.node(m, plans)} }}"
            )
        return "{" + ", ".join(parts) + "}"


@dataclass(frozen=True)
class SinglePlan:
    """The one entity one hop away (the first by key, should there be more)."""

    key: str
    types: tuple[str, ...]
    direction: Direction
    targets: tuple[Kind, ...]
    role: str | None
    node: KindPlans

    def emit(self, e: Emitter, var: str) -> str:
        r, m = e.var("r"), e.var("m")
        match = e.pattern(var, r, m, self.types, self.direction) + e.where(r, m, self.targets, self.role)
        return f"head(COLLECT {{ MATCH {match} WITH {m} ORDER BY {m}.key LIMIT 1 RETURN {e.node(m, self.node)} }})"


@dataclass(frozen=True)
class PartnerEdgePlan:
    nodes: Keyed
    projects: Keyed


@dataclass(frozen=True)
class PartnersPlan:
    """Actors that share a project with this one, with the projects shared."""

    key: str
    page: Page
    edges: tuple[tuple[str, PartnerEdgePlan], ...]
    nodes: Keyed

    def emit(self, e: Emitter, var: str) -> str:
        p, m = e.var("p"), e.var("m")
        project = Kind.PROJECT.value

        def shared_with(other: str, p: str) -> str:
            return (
                f"({var})-[:{COOPERATION_IN_PROJECTS}]->({p}:{project})"
                f"<-[:{COOPERATION_IN_PROJECTS}]-({other})"
            )

        match = f"{shared_with(f'{m}:{ENTITY_LABEL}', p)} WHERE {m} <> {var}"
        # No aggregating function inside: Neo4j would read it as aggregating the outer RETURN.
        bounds, page_entries = e.page(self.page, self.edges)
        page = f"WITH DISTINCT {m} ORDER BY {m}.name, {m}.key {bounds}"
        parts = [
            f"`#total`: size(COLLECT {{ MATCH {match} RETURN DISTINCT {m}.key }})",
            *page_entries,
        ]

        def edge_map(edge: PartnerEdgePlan) -> str:
            entries = e.keyed(m, edge.nodes)
            for key, plans in edge.projects:
                q = e.var("p")
                entries.append(
                    f"`{key}`: COLLECT {{ MATCH {shared_with(m, q)} WITH DISTINCT {q} ORDER BY {q}.key "
                    f"RETURN {e.node(q, plans)} }}"
                )
            return "{" + ", ".join(entries) + "}"

        for key, edge in self.edges:
            parts.append(f"`{key}`: COLLECT {{ MATCH {match} {page} RETURN {edge_map(edge)} }}")
        for key, plans in self.nodes:
            parts.append(f"`{key}`: COLLECT {{ MATCH {match} {page} RETURN {e.node(m, plans)} }}")
        return "{" + ", ".join(parts) + "}"


@dataclass(frozen=True)
class SourcesPlan:
    """The Source nodes an entity is SOURCED_FROM."""

    key: str
    node: KindPlans

    def emit(self, e: Emitter, var: str) -> str:
        s = e.var("s")
        return (
            f"COLLECT {{ MATCH ({var})-[:SOURCED_FROM]->({s}:{Kind.SOURCE.value}) "
            f"WITH {s} ORDER BY {s}.key RETURN {e.node(s, self.node)} }}"
        )


@dataclass(frozen=True)
class CountryPlan:
    """The Country node whose code is the entity's `country`."""

    key: str
    node: KindPlans

    def emit(self, e: Emitter, var: str) -> str:
        c = e.var("c")
        return (
            f"head(COLLECT {{ MATCH ({c}:{Kind.COUNTRY.value}) WHERE {c}.code = {var}.country "
            f"RETURN {e.node(c, self.node)} }})"
        )


@dataclass(frozen=True)
class ClaimsPlan:
    """What each source claims about the entity's values."""

    key: str
    scalars: tuple[Scalar, ...]
    sources: Keyed
    disputed: bool = False  # only the properties whose sources disagree

    def emit(self, e: Emitter, var: str) -> str:
        c, s = e.var("c"), e.var("s")
        entries = [*(sc.emit(c) for sc in self.scalars), *e.keyed(s, self.sources)]
        where = ""
        if self.disputed:
            # Disputed: another claim on the same property states another value or unit.
            o = e.var("c")
            where = (
                f" WHERE EXISTS {{ MATCH ({var})<-[{o}:CLAIMS]-(:{Kind.SOURCE.value}) "
                f"WHERE {o}.property = {c}.property AND ({o}.value <> {c}.value "
                f"OR coalesce({o}.unit, '') <> coalesce({c}.unit, '')) }}"
            )
        return (
            f"COLLECT {{ MATCH ({var})<-[{c}:CLAIMS]-({s}:{Kind.SOURCE.value}){where} "
            f"WITH {c}, {s} ORDER BY {c}.property, {s}.key RETURN {{{', '.join(entries)}}} }}"
        )


# -- what root fields select ---------------------------------------------------------------


@dataclass(frozen=True)
class ListFilter:
    countries: tuple[str, ...] | None = None
    sector: str | None = None
    project: str | None = None
    regions: tuple[str, ...] | None = None  # NUTS codes: the region and everything inside it


@dataclass(frozen=True)
class RootEdgePlan:
    """What one selection of a root connection's `edges` selects: the entity and the score."""

    nodes: Keyed
    scores: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConnectionPlans:
    """What a root connection selects: each selection of its `edges`, and of its `nodes`."""

    edges: tuple[tuple[str, RootEdgePlan], ...]
    nodes: Keyed


@dataclass(frozen=True)
class PathPlans:
    """What a path selects: each selection of its `nodes` and of its `edges`."""

    nodes: Keyed
    edges: tuple[tuple[str, EdgePlan], ...]
