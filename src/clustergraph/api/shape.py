"""The shape stage: a root field's rows become its answer, keyed by response keys, in one walk.

The Cypher of a root field already returns the selected shape as nested maps; what is
left is what GraphQL's completion does to them: response keys in document order,
`__typename`, derived fields (global ids, localized names, cursors and page info, a
relationship's type and direction), and scalars and enums coerced by their own types.
A shaper is built once per selection (the same walker as the planner,
`translate.selection.collect`) and run for every request that binds the same plan.

Whatever the walk does not know how to do exactly as graphql-core's executor would
(a null in a non-null field, an unknown resolver, a value a scalar refuses) raises
`Decline`, and the request is answered by that executor instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from graphql import (
    FieldNode,
    GraphQLAbstractType,
    GraphQLBoolean,
    GraphQLField,
    GraphQLID,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLString,
    Undefined,
    is_abstract_type,
    is_enum_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from strawberry.types.field import StrawberryField

from clustergraph.api import types
from clustergraph.translate.roots import paginated
from clustergraph.translate.selection import Request, collect

# How a field's value is read from its parent's row: (row, response key) -> value.
Reader = Callable[[Any, str], Any]
Shaper = Callable[[Any], Any]


class Decline(Exception):
    """The walk met something only graphql-core's executor does exactly right."""


def _by_response_key(row: Any, key: str) -> Any:
    if not isinstance(row, dict):
        raise Decline
    return row.get(key)


def _localized_names(row: Any, key: str) -> Any:
    if not isinstance(row, dict):
        raise Decline
    return types.localized(row.get(key))


def _connection(row: Any, key: str) -> Any:
    if not isinstance(row, dict):
        raise Decline
    return paginated(row.get(key))


# Resolvers that take the resolve info only to learn the response key: the same reading
# without it. Resolvers that take nothing but the parent are called as they are.
_KEYED_RESOLVERS: dict[Callable[..., Any], Reader] = {
    types.by_response_key: _by_response_key,
    types.connection_field: _connection,
    types.typed_relationships: _connection,
    types.claims_field: _by_response_key,
    types.localized_names: _localized_names,
}


def reader_of(field: GraphQLField) -> Reader | None:
    """How to read this field from a row without graphql-core, or None when only it can."""
    definition = (field.extensions or {}).get("strawberry-definition")
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
    # A plain function of its parent (`lambda root: root["#kind"]`), with no arguments,
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


# Values these scalars pass through unchanged (what their coercion returns too), checked
# by exact type so that a bool is never taken for an Int. (Not Float: it refuses NaN.)
_AS_IS: dict[GraphQLScalarType, type] = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool}


def _leaf(leaf: Any) -> Shaper:
    plain = _AS_IS.get(leaf)
    coerce = leaf.coerce_output_value
    # Enums have a handful of values each: each one's output is remembered.
    known: dict[tuple[type, Any], Any] | None = {} if is_enum_type(leaf) else None

    def shape(value: Any) -> Any:
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
            raise Decline
        if known is not None:
            known[(type(value), value)] = coerced
        return coerced

    return shape


def _identity(value: Any) -> Any:
    return value


class Shapers:
    """Shapers for one request's selections, built once per type and selection.

    A list of 2,000 nodes shares one selection, so its shaper is built once and run
    2,000 times; nothing per value is left but reading, coercing and building the dict.
    """

    def __init__(self, request: Request) -> None:
        self.request = request
        self.objects: dict[tuple[str, tuple[int, ...]], Shaper] = {}
        self.readers: dict[int, Reader | None] = {}

    def of(self, return_type: GraphQLOutputType, nodes: list[FieldNode]) -> Shaper:
        if is_non_null_type(return_type):
            inner = self.of(return_type.of_type, nodes)  # type: ignore[attr-defined]

            def non_null(value: Any) -> Any:
                shaped = inner(value)
                if shaped is None:
                    raise Decline  # graphql-core raises the non-null error with its path
                return shaped

            return non_null
        if is_list_type(return_type):
            item = self.of(return_type.of_type, nodes)  # type: ignore[attr-defined]

            def many(value: Any) -> Any:
                if value is None:
                    return None
                if not isinstance(value, list | tuple):
                    raise Decline
                return [item(v) for v in value]

            return many
        if is_leaf_type(return_type):
            return _leaf(return_type)
        if is_abstract_type(return_type):
            abstract = return_type

            def some(value: Any) -> Any:
                if value is None:
                    return None
                return self.object(self.runtime_type(abstract, value), nodes)(value)

            return some
        if is_object_type(return_type):
            concrete = return_type
            return lambda value: None if value is None else self.object(concrete, nodes)(value)
        raise Decline

    def runtime_type(self, abstract: GraphQLAbstractType, value: Any) -> GraphQLObjectType:
        # Entities name their type in `#kind` (what their is_type_of checks).
        name = value.get("#kind") if isinstance(value, dict) else None
        schema = self.request.schema
        runtime = schema.get_type(name) if isinstance(name, str) else None
        if not isinstance(runtime, GraphQLObjectType) or not schema.is_sub_type(abstract, runtime):
            raise Decline
        return runtime

    def object(self, object_type: GraphQLObjectType, nodes: list[FieldNode]) -> Shaper:
        key = (object_type.name, tuple(id(n) for n in nodes))
        built = self.objects.get(key)
        if built is None:
            built = self.objects[key] = self._build(object_type, nodes)
        return built

    def reader(self, field: GraphQLField) -> Reader | None:
        if id(field) not in self.readers:
            self.readers[id(field)] = reader_of(field)
        return self.readers[id(field)]

    def _build(self, object_type: GraphQLObjectType, nodes: list[FieldNode]) -> Shaper:
        sets = [n.selection_set for n in nodes if n.selection_set is not None]
        plan: list[tuple[str, Reader, Shaper]] = []
        for selected in collect(self.request, sets, object_type, with_meta=True):
            if selected.field_name == "__typename":
                name = object_type.name
                plan.append((selected.response_key, lambda _row, _key, name=name: name, _identity))  # type: ignore[misc]
                continue
            reader = self.reader(selected.definition)
            if reader is None or selected.field_name.startswith("__"):
                raise Decline
            plan.append((selected.response_key, reader, self.of(selected.definition.type, selected.nodes)))
        is_type_of = object_type.is_type_of

        def shape(value: Any) -> dict[str, Any]:
            if is_type_of is not None and is_type_of(value, None) is not True:  # type: ignore[arg-type]
                raise Decline
            return {key: finish(read(value, key)) for key, read, finish in plan}

        return shape
