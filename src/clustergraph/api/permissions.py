"""Who may run which field: a permission class per role for mutations, an extension for reads.

A refused field never reaches its resolver, so nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from graphql import OperationType
from strawberry.extensions import SchemaExtension
from strawberry.permission import BasePermission
from strawberry.types import Info

from clustergraph.api.context import Context
from clustergraph.auth.identity import Forbidden, Identity, Role, Unauthenticated


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


class ReadAccess(SchemaExtension):
    """When reads are not public, every root query field needs at least a reader."""

    # Its resolve hook acts on root fields only: the executor's fast path may skip it below.
    ROOT_FIELDS_ONLY: ClassVar[bool] = True

    def resolve(self, _next: Callable[..., Any], root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        context: Context = info.context
        if (
            info.path.prev is None
            and info.operation.operation == OperationType.QUERY
            and not context.settings.public_reads
        ):
            require(context, Role.READER)
        return _next(root, info, *args, **kwargs)
