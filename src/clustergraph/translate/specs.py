"""How each GraphQL field maps onto the graph.

Schema types attach one of these to a field as `metadata={"graph": spec}`; the planner
reads them to turn a selection into Cypher. A scalar field without a spec reads the
node property of the field's GraphQL name.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from clustergraph.model import Kind


class Direction(StrEnum):
    OUT = "OUT"
    IN = "IN"
    BOTH = "BOTH"


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


@dataclass(frozen=True)
class AnyRelated:
    """The generic `relationships(types, direction)` field: types chosen by the request."""


@dataclass(frozen=True)
class CoPartners:
    """Actors that share a project with this one, with the projects they share."""


@dataclass(frozen=True)
class Sources:
    """The Source nodes an entity is SOURCED_FROM (on an edge: the keys in `r.sources`)."""


@dataclass(frozen=True)
class Claims:
    """What each source claims about an entity's values (CLAIMS from Source nodes)."""


@dataclass(frozen=True)
class CountryOf:
    """The Country node whose code is the entity's `country` property."""


@dataclass(frozen=True)
class EdgeNode:
    """The other end of a relationship edge."""


@dataclass(frozen=True)
class ClaimSource:
    """The Source node of a claim."""


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
)
