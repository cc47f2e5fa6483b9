"""The executor's fast path: root query fields whose answer is already shaped skip per-field completion.

Each root field's Cypher returns exactly the selected shape as nested dicts, so graphql-core's
ordinary completion (a resolve info, argument coercion, resolver wrappers and awaitable
checks for every field: about 5 µs each) mostly copies values. This execution context
completes such a subtree in one plain recursive walk instead, keeping GraphQL's semantics
by reusing graphql-core's own parts: its field collection (aliases, named and inline
fragments with type conditions, `@skip`/`@include`), the types' `coerce_output_value`
(scalars and enums), `is_type_of`/`resolve_type` (abstract types), and the same resolvers
for derived fields (global id, localized names, cursors and page info, a relationship's
type and direction).

Whatever the walk does not know how to do exactly as the ordinary executor would, it
does not try: a field with an unknown resolver, arguments it would have to coerce, a
null where the schema says non-null, a value a scalar refuses, `@defer`... raise
`_Fallback`, and the whole root field is completed the ordinary way (so errors, with
their paths and messages, are the ordinary executor's own). Completion has no side
effects (`paginated` only adds the same keys again), so starting over is safe.

Only root fields of queries are taken: mutations keep the ordinary path. Extensions'
`resolve` hooks still run for the root field itself (ReadAccess acts only there).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, cast

from graphql import (
    GraphQLAbstractType,
    GraphQLField,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    OperationType,
    Undefined,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField

from clustergraph.api import types

log = logging.getLogger(__name__)

# How a field's value is read from its parent's row: (row, response key) -> value.
Reader = Callable[[Any, str], Any]

_DEFINITION = "strawberry-definition"


class _Fallback(Exception):
    """The walk met something only the ordinary executor does exactly right."""


def _by_response_key(row: Any, key: str) -> Any:
    return row.get(key) if isinstance(row, dict) else _fallback()


def _connection(row: Any, key: str) -> Any:
    return types.paginated(row.get(key)) if isinstance(row, dict) else _fallback()


def _fallback() -> Any:
    raise _Fallback


# Resolvers that take the resolve info only to learn the response key: the same reading
# without it. Resolvers that take nothing but the parent are called as they are.
_KEYED_RESOLVERS: dict[Callable[..., Any], Reader] = {
    types.by_response_key: _by_response_key,
    types.connection_field: _connection,
    types.typed_relationships: _connection,
}


def _reader(field: GraphQLField) -> Reader | None:
    """How to read this field from a row without graphql-core, or None when only it can."""
    definition = (field.extensions or {}).get(_DEFINITION)
    if not isinstance(definition, StrawberryField) or definition.extensions or definition.permission_classes:
        return None
    resolver = definition.base_resolver
    if resolver is None:
        default = definition.default_resolver
        python_name = definition.python_name
        return lambda row, _key: default(row, python_name)
    wrapped = cast(Callable[..., Any], resolver.wrapped_func)
    keyed = _KEYED_RESOLVERS.get(wrapped)
    if keyed is not None:
        return keyed
    # A plain function of its parent (`lambda root: root["_kind"]`), with no arguments,
    # no info, and nothing to await.
    parent = resolver.root_parameter or resolver.parent_parameter
    if (
        parent is not None
        and resolver.info_parameter is None
        and resolver.self_parameter is None
        and not resolver.arguments
        and not resolver.is_async
    ):
        return lambda row, _key: wrapped(row)
    return None


class FastPathExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, with pre-shaped root query answers completed in one walk."""

    # Per schema field: its reader (None: not fast). Shared by requests: fields are immutable.
    _readers: dict[int, tuple[GraphQLField, Reader | None]] = {}

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        if path.prev is None and self.operation.operation == OperationType.QUERY:
            try:
                return _Walk(self, info).complete(return_type, field_details_list, result)
            except _Fallback:
                # Rare (errors, unknown resolvers); logged so that tests can tell which path ran.
                log.debug("fast path: %s completed the ordinary way", info.field_name)
        return super().complete_value(return_type, field_details_list, info, path, result, position_context)

    def reader(self, field: GraphQLField) -> Reader | None:
        cached = self._readers.get(id(field))
        if cached is None or cached[0] is not field:
            cached = (field, _reader(field))
            self._readers[id(field)] = cached
        return cached[1]


class _Walk:
    """One root field's completion, outside graphql-core's per-field machinery."""

    def __init__(self, executor: FastPathExecutionContext, info: GraphQLResolveInfo[Any]) -> None:
        self.executor = executor
        # Only is_type_of/resolve_type see it; they read the schema and the root field's name.
        self.info = info

    def complete(self, return_type: GraphQLOutputType, details: Sequence[Any], value: Any) -> Any:
        if isinstance(value, Exception):
            raise _Fallback
        if is_non_null_type(return_type):
            completed = self.complete(return_type.of_type, details, value)  # type: ignore[attr-defined]
            if completed is None:
                raise _Fallback  # the ordinary path raises the non-null error with its path
            return completed
        if value is None or value is Undefined:
            return None
        if is_list_type(return_type):
            if not isinstance(value, list | tuple):
                raise _Fallback
            item_type = return_type.of_type  # type: ignore[attr-defined]
            return [self.complete(item_type, details, item) for item in value]
        if is_leaf_type(return_type):
            try:
                coerced = return_type.coerce_output_value(value)  # type: ignore[attr-defined]
            except Exception as error:
                raise _Fallback from error
            if coerced is None or coerced is Undefined:
                raise _Fallback
            return coerced
        if is_abstract_type(return_type):
            return self.fields(self.runtime_type(return_type, value), details, value)  # type: ignore[arg-type]
        if is_object_type(return_type):
            return self.fields(return_type, details, value)  # type: ignore[arg-type]
        raise _Fallback

    def runtime_type(self, abstract: GraphQLAbstractType, value: Any) -> GraphQLObjectType:
        schema = self.executor.schema
        # Entities name their type in `_kind`: try it first (what is_type_of checks).
        name: Any = value.get("_kind") if isinstance(value, dict) else None
        if not isinstance(name, str):
            resolve_type = abstract.resolve_type or self.executor.type_resolver
            name = resolve_type(value, self.info, abstract)
        runtime = schema.get_type(name) if isinstance(name, str) else None
        if not is_object_type(runtime) or not schema.is_sub_type(abstract, runtime):  # type: ignore[arg-type]
            raise _Fallback
        return runtime  # type: ignore[return-value]

    def fields(self, object_type: GraphQLObjectType, details: Sequence[Any], value: Any) -> dict[str, Any]:
        if object_type.is_type_of is not None and object_type.is_type_of(value, self.info) is not True:
            raise _Fallback
        grouped, deferred, _forbidden = self.executor.collect_subfields(object_type, details)  # type: ignore[arg-type]
        if deferred:
            raise _Fallback
        completed: dict[str, Any] = {}
        for key, field_details in grouped.items():
            node = field_details[0].node
            name = node.name.value
            if name == "__typename":
                completed[key] = object_type.name
                continue
            field = object_type.fields.get(name)
            # Arguments below the root (first, after, types...) were applied by the root
            # field's Cypher, and validation already proved them well-typed: not read here.
            reader = self.executor.reader(field) if field is not None else None
            if field is None or reader is None:
                raise _Fallback
            try:
                read = reader(value, key)
            except Exception as error:  # the resolver would fail: its error is the ordinary path's
                raise _Fallback from error
            completed[key] = self.complete(field.type, field_details, read)
        return completed
