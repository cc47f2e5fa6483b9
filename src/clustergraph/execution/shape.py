"""The shape stage: a root field's rows become its answer, keyed by response keys, in one walk.

The Cypher of a root field already returns the selected shape as nested maps; what is
left is what GraphQL's completion does to them: response keys in document order,
`__typename`, derived fields (global ids, localized names, cursors and page info, a
relationship's type and direction), and scalars and enums coerced by their own types.
A shaper is built once per selection (the same walker as the planner,
`translate.selection.collect`) and run for every request that binds the same plan.

How each field is read from its parent's row is the field model's (`translate/fields.py`,
what the type definitions declare). A selection holding a field the model gives no
reading of raises `Decline` while its shaper is built, before any Cypher runs: that
request goes to graphql-core's executor. What goes wrong in the data itself (a null in a
non-null field, a value a scalar refuses) raises `FieldError` while shaping. The first
walk keeps no paths (nothing to pay for on the way of an answer without errors); when
it meets an error, the same rows are walked again with paths (`careful`), the field
becomes null and the null propagates to the nearest nullable field as the GraphQL spec
says, each error kept with its path and locations.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Hashable, Iterator
from typing import Any, TypeAlias

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLBoolean,
    GraphQLError,
    GraphQLID,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLString,
    InlineFragmentNode,
    SelectionSetNode,
    Undefined,
    get_named_type,
    is_abstract_type,
    is_enum_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
    located_error,
)
from graphql.pyutils import inspect

from clustergraph.translate.fields import Reader
from clustergraph.translate.selection import Request, collect

# Where a value sits in the answer: None on the first walk, which keeps no paths.
Path: TypeAlias = tuple[str | int, ...] | None
# How a field's value becomes its part of the answer: (value, its path) -> shaped value.
Shaper = Callable[[Any, Path], Any]


class Decline(Exception):
    """The selection holds a field only graphql-core's executor can resolve (raised while building)."""


def readable(
    request: Request, selection_set: SelectionSetNode, parent: GraphQLNamedType, seen: dict[Hashable, bool]
) -> bool:
    """Whether every field below `selection_set` is one the field model can read (decided per
    document, before its variables are bound: each fragment counts, whatever its directives).

    `seen` remembers the answer per selection set and type, so a selection under an
    interface is looked at once however many types implement it."""
    key = (id(selection_set), parent.name)
    if key not in seen:
        seen[key] = _readable(request, selection_set, parent, seen)
    return seen[key]


def _readable(
    request: Request, selection_set: SelectionSetNode, parent: GraphQLNamedType, seen: dict[Hashable, bool]
) -> bool:
    schema = request.schema
    possible = schema.get_possible_types(parent) if is_abstract_type(parent) else [parent]
    for node in _field_nodes(request, selection_set, set()):
        name = node.name.value
        if name == "__typename":
            continue
        if name.startswith("__"):
            return False
        for runtime in possible:
            field = runtime.fields.get(name)  # type: ignore[attr-defined]
            if field is None:
                continue  # in a fragment on another type
            if request.fields.reader(runtime.name, name) is None:
                return False
            below = node.selection_set
            if below is not None and not readable(request, below, get_named_type(field.type), seen):
                return False
    return True


def _field_nodes(request: Request, selection_set: SelectionSetNode, spread: set[str]) -> Iterator[FieldNode]:
    for node in selection_set.selections:
        if isinstance(node, FieldNode):
            yield node
        elif isinstance(node, InlineFragmentNode):
            yield from _field_nodes(request, node.selection_set, spread)
        elif isinstance(node, FragmentSpreadNode) and node.name.value not in spread:
            spread.add(node.name.value)
            fragment = request.fragments[node.name.value]
            yield from _field_nodes(request, fragment.selection_set, spread)


class FieldError(Exception):
    """A value its field cannot complete, at `path` (None on the first walk).

    `internal`: graphql-core raises this one as a TypeError (a null in a non-null field),
    which the error classifier masks as an internal error, as it is: the data is wrong."""

    def __init__(self, message: str, nodes: list[FieldNode], path: Path, internal: bool = False) -> None:
        super().__init__(message)
        self.message, self.nodes, self.path, self.internal = message, nodes, path, internal

    def located(self) -> GraphQLError:
        original = TypeError(self.message) if self.internal else GraphQLError(self.message)
        return located_error(original, self.nodes, list(self.path or ()))


class Errors(list[GraphQLError]):
    """The field errors of one careful walk, in the order graphql-core would report them."""

    def keep(self, error: FieldError) -> None:
        self.append(error.located())


def careful(shape: Shaper, value: Any, key: str, non_null: bool, errors: Errors) -> Any:
    """A root field's value walked with paths: its errors kept, nulls propagated.

    Returns the shaped value (None where the error stopped), and raises the `FieldError`
    when the null reaches a non-null root field (the whole `data` is then null)."""
    sink = _sink.set(errors)
    try:
        return shape(value, (key,))
    except FieldError as error:
        errors.keep(error)
        if non_null:
            raise
        return None
    finally:
        _sink.reset(sink)


_sink: contextvars.ContextVar[Errors] = contextvars.ContextVar("shape_errors")


def _stopped(error: FieldError, path: Path, non_null: bool) -> None:
    """A field's error met on a walk: re-raised to propagate, or kept where a null may stand."""
    if path is None or non_null:
        raise error
    _sink.get().keep(error)


# Values these scalars pass through unchanged (what their coercion returns too), checked
# by exact type so that a bool is never taken for an Int. (Not Float: it refuses NaN.)
_AS_IS: dict[GraphQLScalarType, type] = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool}


def _leaf(leaf: Any, nodes: list[FieldNode]) -> Shaper:
    plain = _AS_IS.get(leaf)
    coerce = leaf.coerce_output_value
    # Enums have a handful of values each: each one's output is remembered.
    known: dict[tuple[type, Any], Any] | None = {} if is_enum_type(leaf) else None

    def shape(value: Any, path: Path) -> Any:
        if value is None:
            return None
        if type(value) is plain:
            return value
        if known is not None:
            coerced = known.get((type(value), value), Undefined)
            if coerced is not Undefined:
                return coerced
        try:
            coerced = coerce(value)
        except GraphQLError as error:  # what graphql-core reports, e.g. "Int cannot represent ..."
            raise FieldError(error.message, nodes, path) from None
        if coerced is None or coerced is Undefined:
            raise FieldError(
                f"Expected `{leaf.name}.serialize({inspect(value)})` to return non-nullish value.",
                nodes,
                path,
            )
        if known is not None:
            known[(type(value), value)] = coerced
        return coerced

    return shape


def _identity(value: Any, _path: Path) -> Any:
    return value


class Shapers:
    """Shapers for one request's selections, built once per type and selection.

    A list of 2,000 nodes shares one selection, so its shaper is built once and run
    2,000 times; nothing per value is left but reading, coercing and building the dict.
    """

    def __init__(self, request: Request) -> None:
        self.request = request
        self.objects: dict[tuple[str, tuple[int, ...]], Shaper] = {}

    def of(self, return_type: GraphQLOutputType, nodes: list[FieldNode], label: str) -> Shaper:
        """The shaper of a value of `return_type`, for the field `label` (`Type.field`) asked by `nodes`.

        Every object shaper below is built here, before any value is shaped."""
        if is_non_null_type(return_type):
            inner = self.of(return_type.of_type, nodes, label)  # type: ignore[attr-defined]
            message = f"Cannot return null for non-nullable field {label}."

            def non_null(value: Any, path: Path) -> Any:
                shaped = inner(value, path)
                if shaped is None:
                    raise FieldError(message, nodes, path, internal=True)
                return shaped

            return non_null
        if is_list_type(return_type):
            item_type = return_type.of_type  # type: ignore[attr-defined]
            item = self.of(item_type, nodes, label)
            item_non_null = is_non_null_type(item_type)
            not_a_list = f"Expected Iterable, but did not find one for field '{label}'."

            def many(value: Any, path: Path) -> Any:
                if value is None:
                    return None
                if not isinstance(value, list | tuple):
                    raise FieldError(not_a_list, nodes, path)
                if path is None:
                    return [item(v, None) for v in value]
                shaped = []
                for index, v in enumerate(value):
                    try:
                        shaped.append(item(v, (*path, index)))
                    except FieldError as error:
                        _stopped(error, path, item_non_null)
                        shaped.append(None)
                return shaped

            return many
        if is_leaf_type(return_type):
            return _leaf(return_type, nodes)
        if is_abstract_type(return_type):
            abstract = return_type
            kinds = {t.name: self.object(t, nodes) for t in self.request.schema.get_possible_types(abstract)}

            def some(value: Any, path: Path) -> Any:
                if value is None:
                    return None
                # Entities name their type in `#kind` (what their is_type_of checks).
                name = value.get("#kind") if isinstance(value, dict) else None
                shape = kinds.get(name) if isinstance(name, str) else None
                if shape is None:
                    raise FieldError(
                        f"Abstract type '{abstract.name}' must resolve to an Object type at runtime "
                        f"for field '{label}'. Got: {inspect(name)}.",
                        nodes,
                        path,
                    )
                return shape(value, path)

            return some
        if is_object_type(return_type):
            concrete = self.object(return_type, nodes)
            return lambda value, path: None if value is None else concrete(value, path)
        raise Decline

    def object(self, object_type: GraphQLObjectType, nodes: list[FieldNode]) -> Shaper:
        key = (object_type.name, tuple(id(n) for n in nodes))
        built = self.objects.get(key)
        if built is None:
            built = self.objects[key] = self._build(object_type, nodes)
        return built

    def _build(self, object_type: GraphQLObjectType, nodes: list[FieldNode]) -> Shaper:
        sets = [n.selection_set for n in nodes if n.selection_set is not None]
        plan: list[tuple[str, Reader, Shaper, bool]] = []
        for selected in collect(self.request, sets, object_type, with_meta=True):
            if selected.field_name == "__typename":
                name = object_type.name
                plan.append((selected.response_key, lambda _row, _key, name=name: name, _identity, True))  # type: ignore[misc]
                continue
            reader = self.request.fields.reader(object_type.name, selected.field_name)
            if reader is None or selected.field_name.startswith("__"):
                raise Decline
            label = f"{object_type.name}.{selected.field_name}"
            field_type = selected.definition.type
            finish = self.of(field_type, selected.nodes, label)
            plan.append((selected.response_key, reader, finish, is_non_null_type(field_type)))
        is_type_of = object_type.is_type_of
        wrong_type = f"Expected value of type '{object_type.name}' but got: "

        def shape(value: Any, path: Path) -> dict[str, Any]:
            if is_type_of is not None and is_type_of(value, None) is not True:  # type: ignore[arg-type]
                raise FieldError(f"{wrong_type}{inspect(value)}.", nodes, path)
            if path is None:
                return {key: finish(read(value, key), None) for key, read, finish, _ in plan}
            shaped: dict[str, Any] = {}
            for key, read, finish, non_null in plan:
                try:
                    shaped[key] = finish(read(value, key), (*path, key))
                except FieldError as error:
                    _stopped(error, path, non_null)
                    shaped[key] = None
            return shaped

        return shape
