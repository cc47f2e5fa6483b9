"""Roles, the caller's identity, and the two ways a request can be refused."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from clustergraph.errors import Forbidden, Unauthenticated


class Role(StrEnum):
    READER = "reader"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


@dataclass(frozen=True)
class Identity:
    """A verified caller: `actor` is what history records as who made a change."""

    actor: str
    role: Role


__all__ = ["Forbidden", "Identity", "Role", "Unauthenticated"]
