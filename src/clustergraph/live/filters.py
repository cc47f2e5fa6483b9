"""What a subscription asks to see of the log: one small record per distinct set of filter arguments.

A filter is built once from a subscription's arguments and shared by every subscriber that
gave the same ones; `wanted` runs for each event that reaches the process.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from clustergraph.live.feed import ChangeEvent

ENTITY_ACTIONS = frozenset({"create", "update", "delete", "merge"})
RELATIONSHIP_ACTIONS = frozenset({"link", "unlink"})


def values_of(items: Iterable[Any] | None) -> frozenset[str] | None:
    """The filter's values (enum members as their values); None when the filter was omitted."""
    if items is None:
        return None
    return frozenset(item.value if isinstance(item, Enum) else item for item in items)


def _country(state: Any) -> str | None:
    if not isinstance(state, dict):
        return None
    # A deletion's `before` holds the entity's properties under `properties`.
    return state.get("country") or (state.get("properties") or {}).get("country")


def _relationship_type(state: Any) -> str | None:
    return state.get("type") if isinstance(state, dict) else None


@dataclass(frozen=True, slots=True)
class EntityFilter:
    """`entityChanged(keys, kinds, countries)`: every given filter must match (None: any)."""

    keys: frozenset[str] | None = None
    kinds: frozenset[str] | None = None
    countries: frozenset[str] | None = None

    def wanted(self, event: ChangeEvent) -> bool:
        return (
            event.action in ENTITY_ACTIONS
            and (self.keys is None or not self.keys.isdisjoint(event.keys))
            and (self.kinds is None or event.kind in self.kinds)
            and (
                self.countries is None
                or not self.countries.isdisjoint((_country(event.before), _country(event.after)))
            )
        )


@dataclass(frozen=True, slots=True)
class RelationshipFilter:
    """`relationshipChanged(keys, types)`: `keys` matches either end (None: any)."""

    keys: frozenset[str] | None = None
    types: frozenset[str] | None = None

    def wanted(self, event: ChangeEvent) -> bool:
        return (
            event.action in RELATIONSHIP_ACTIONS
            and (self.keys is None or not self.keys.isdisjoint(event.keys))
            and (
                self.types is None
                or not self.types.isdisjoint(
                    (_relationship_type(event.before), _relationship_type(event.after))
                )
            )
        )


ChangeFilter = EntityFilter | RelationshipFilter


def filter_of(field_name: str, arguments: dict[str, Any]) -> ChangeFilter:
    """The filter of a subscription root field (`entityChanged` or `relationshipChanged`) and its arguments."""
    keys = values_of(arguments.get("keys"))
    if field_name == "relationshipChanged":
        return RelationshipFilter(keys, values_of(arguments.get("types")))
    return EntityFilter(keys, values_of(arguments.get("kinds")), values_of(arguments.get("countries")))
