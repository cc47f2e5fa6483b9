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
`resolve` hooks still run for the root field itself; fields below it skip them, so the
fast path runs only when every such hook declares `ROOT_FIELDS_ONLY = True` (ReadAccess
acts only on root fields): an extension that watches every field turns it off.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, cast

from graphql import (
    GraphQLAbstractType,
    GraphQLBoolean,
    GraphQLField,
    GraphQLID,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLString,
    OperationType,
    Undefined,
    is_abstract_type,
    is_enum_type,
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
        if (
            path.prev is None
            and self.operation.operation == OperationType.QUERY
            # Introspection answers are graphql-core's own objects: nothing pre-shaped there.
            and not info.field_name.startswith("__")
            and self.hooks_allow_it()
        ):
            try:
                return _Compiler(self, info).completer(return_type, field_details_list)(result)
            except Exception:
                # Rare (a null in a non-null field, an unknown resolver, any error): the ordinary
                # path then says what it says. Logged so that tests can tell which path ran.
                log.debug("fast path: %s completed the ordinary way", info.field_name)
        return super().complete_value(return_type, field_details_list, info, path, result, position_context)

    def hooks_allow_it(self) -> bool:
        manager = self.middleware_manager
        hooks = manager.middlewares if manager is not None else ()
        return all(getattr(hook, "ROOT_FIELDS_ONLY", False) for hook in hooks)

    def reader(self, field: GraphQLField) -> Reader | None:
        cached = self._readers.get(id(field))
        if cached is None or cached[0] is not field:
            cached = (field, _reader(field))
            self._readers[id(field)] = cached
        return cached[1]


Completer = Callable[[Any], Any]

# Values these scalars pass through unchanged (what their coerce_output_value returns too),
# checked by exact type so that, say, a bool is never taken for an Int. (Not Float: it
# refuses NaN and infinities.)
_AS_IS: dict[GraphQLScalarType, type] = {
    GraphQLString: str,
    GraphQLID: str,
    GraphQLBoolean: bool,
}


def _leaf(leaf: Any) -> Completer:
    plain = _AS_IS.get(leaf)
    coerce = leaf.coerce_output_value
    # Enums: a handful of values each, serialised by Strawberry at some cost; remembered per
    # (type, value) for this request, since an enum's output depends on nothing else.
    known: dict[tuple[type, Any], Any] | None = {} if is_enum_type(leaf) else None

    def complete(value: Any) -> Any:
        if value is None:
            return None
        if type(value) is plain:
            return value
        if known is not None:
            coerced = known.get((type(value), value), Undefined)
            if coerced is not Undefined:
                return coerced
        coerced = coerce(value)
        if coerced is None or coerced is Undefined:
            raise _Fallback
        if known is not None:
            known[(type(value), value)] = coerced
        return coerced

    return complete


class _Compiler:
    """One root field's completion as plain closures, built once per type and selection.

    A list of 2,000 nodes shares one selection, so its closure is built once and run
    2,000 times; nothing per value is left but reading, coercing and building the dict.
    """

    def __init__(self, executor: FastPathExecutionContext, info: GraphQLResolveInfo[Any]) -> None:
        self.executor = executor
        # Only is_type_of/resolve_type see it; they read the schema and the root field's name.
        self.info = info
        self.objects: dict[tuple[str, int], Completer] = {}

    def completer(self, return_type: GraphQLOutputType, details: Sequence[Any]) -> Completer:
        if is_non_null_type(return_type):
            inner = self.completer(return_type.of_type, details)  # type: ignore[attr-defined]

            def non_null(value: Any) -> Any:
                completed = inner(value)
                if completed is None:
                    raise _Fallback  # the ordinary path raises the non-null error with its path
                return completed

            return non_null
        if is_list_type(return_type):
            item = self.completer(return_type.of_type, details)  # type: ignore[attr-defined]

            def many(value: Any) -> Any:
                if value is None:
                    return None
                if not isinstance(value, list | tuple):
                    raise _Fallback
                return [item(v) for v in value]

            return many
        if is_leaf_type(return_type):
            return _leaf(return_type)
        if is_abstract_type(return_type):
            abstract = return_type

            def some(value: Any) -> Any:
                if value is None:
                    return None
                return self.object(self.runtime_type(abstract, value), details)(value)

            return some
        if is_object_type(return_type):
            concrete = return_type
            return lambda value: None if value is None else self.object(concrete, details)(value)
        raise _Fallback

    def runtime_type(self, abstract: GraphQLAbstractType, value: Any) -> GraphQLObjectType:
        schema = self.executor.schema
        # Entities name their type in `_kind` (what their is_type_of checks): try it first.
        name: Any = value.get("_kind") if isinstance(value, dict) else None
        if not isinstance(name, str):
            resolve_type = abstract.resolve_type or self.executor.type_resolver
            name = resolve_type(value, self.info, abstract)
        runtime = schema.get_type(name) if isinstance(name, str) else None
        if not is_object_type(runtime) or not schema.is_sub_type(abstract, runtime):  # type: ignore[arg-type]
            raise _Fallback
        return runtime  # type: ignore[return-value]

    def object(self, object_type: GraphQLObjectType, details: Sequence[Any]) -> Completer:
        built = self.objects.get((object_type.name, id(details)))
        if built is None:
            built = self.objects[(object_type.name, id(details))] = self.build_object(object_type, details)
        return built

    def build_object(self, object_type: GraphQLObjectType, details: Sequence[Any]) -> Completer:
        # graphql-core's own collection: aliases, fragments, type conditions, @skip/@include.
        grouped, deferred, _forbidden = self.executor.collect_subfields(object_type, details)  # type: ignore[arg-type]
        if deferred:
            raise _Fallback
        plan: list[tuple[str, Reader, Completer]] = []
        for key, field_details in grouped.items():
            name = field_details[0].node.name.value
            if name == "__typename":
                plan.append((key, _typename(object_type.name), _identity))
                continue
            field = object_type.fields.get(name)
            # Arguments below the root (first, after, types...) were applied by the root
            # field's Cypher, and validation already proved them well-typed: not read here.
            reader = self.executor.reader(field) if field is not None else None
            if field is None or reader is None:
                raise _Fallback
            plan.append((key, reader, self.completer(field.type, field_details)))
        is_type_of = object_type.is_type_of
        info = self.info

        def complete(value: Any) -> dict[str, Any]:
            if is_type_of is not None and is_type_of(value, info) is not True:
                raise _Fallback
            return {key: finish(read(value, key)) for key, read, finish in plan}

        return complete


def _identity(value: Any) -> Any:
    return value


def _typename(name: str) -> Reader:
    return lambda _row, _key: name
