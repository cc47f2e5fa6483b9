"""How each GraphQL field maps onto the graph.

Schema types attach one of these to a field as `metadata={"graph": spec}`; the planner
reads them to turn a selection into Cypher. A scalar field without a spec reads the
node property of the field's GraphQL name. A spec of a field that reads more of the
graph plans that field itself (`plan`, with the planner's help), so no dispatcher has to
tell the specs apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from clustergraph.model import Direction, Kind

if TYPE_CHECKING:
    from clustergraph.cypher.plan import Child
    from clustergraph.translate.plan import Planner
    from clustergraph.translate.selection import Selected


@dataclass(frozen=True)
class Derived:
    """Computed in Python from what every node projection carries (`_kind`, `key`)."""


@dataclass(frozen=True)
class Property:
    """A node or relationship property; lists default to [] rather than null."""

    name: str
    is_list: bool = False


@dataclass(frozen=True)
class Related:
    """Entities one hop away over `types`, as a connection (or one entity with `single`)."""

    types: tuple[str, ...]
    direction: Direction
    targets: tuple[Kind, ...] = ()
    role: str | None = None  # only relationships with this `role` property
    single: bool = False

    def plan(self, planner: Planner, selected: Selected) -> Child:
        if self.single:
            return planner.single(selected, self.types, self.direction, self.targets, self.role)
        return planner.related(selected, self.types, self.direction, self.targets, self.role)


@dataclass(frozen=True)
class AnyRelated:
    """The generic `relationships(types, direction)` field: types chosen by the request."""

    def plan(self, planner: Planner, selected: Selected) -> Child:
        return planner.any_related(selected)


@dataclass(frozen=True)
class CoPartners:
    """Actors that share a project with this one, with the projects they share."""

    def plan(self, planner: Planner, selected: Selected) -> Child:
        return planner.partners(selected)


@dataclass(frozen=True)
class Sources:
    """The Source nodes an entity is SOURCED_FROM (on an edge: the keys in `r.sources`)."""

    def plan(self, planner: Planner, selected: Selected) -> Child:
        return planner.sources(selected)


@dataclass(frozen=True)
class Claims:
    """What each source claims about an entity's values (CLAIMS from Source nodes)."""

    def plan(self, planner: Planner, selected: Selected) -> Child:
        return planner.claims(selected)


@dataclass(frozen=True)
class CountryOf:
    """The Country node whose code is the entity's `country` property."""

    def plan(self, planner: Planner, selected: Selected) -> Child:
        return planner.country(selected)


@dataclass(frozen=True)
class EntityList:
    """A root field: one page of the entities of `kind`."""

    kind: Kind


@dataclass(frozen=True)
class EdgeNode:
    """The other end of a relationship edge."""


@dataclass(frozen=True)
class ClaimSource:
    """The Source node of a claim."""


# The specs of fields that read more of the graph than their entity's own properties.
ChildSpec = Related | AnyRelated | CoPartners | Sources | Claims | CountryOf

Spec = (
    Derived
    | Property
    | Related
    | AnyRelated
    | CoPartners
    | Sources
    | Claims
    | CountryOf
    | EdgeNode
    | ClaimSource
    | EntityList
)
