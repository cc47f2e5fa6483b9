"""Who may run which field: a permission class per role for mutations (reads: `execution/policies.py`).

A refused field never reaches its resolver, so nothing is written.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info

from clustergraph.auth.identity import Forbidden, Identity, Role, Unauthenticated
from clustergraph.execution.context import Context


def require(context: Context, role: Role) -> Identity:
    """The caller, when their role is at least `role`; else the reason they are refused."""
    if context.auth_error is not None:
        raise context.auth_error
    if context.identity is None:
        raise Unauthenticated("this needs a credential: send `Authorization: Bearer <API key or JWT>`")
    if not context.identity.role.allows(role):
        raise Forbidden(f"this needs the role {role.value}; the credential has {context.identity.role.value}")
    return context.identity


class _RoleNeeded(BasePermission):
    role = Role.ADMIN

    def has_permission(self, source: Any, info: Info[Context, None], **kwargs: Any) -> bool:
        require(info.context, self.role)
        return True


class IsReader(_RoleNeeded):
    role = Role.READER


class IsEditor(_RoleNeeded):
    role = Role.EDITOR


class IsAdmin(_RoleNeeded):
    role = Role.ADMIN
