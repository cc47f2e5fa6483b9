"""The one selection walker: which fields a request asks for under a field, per concrete type.

The cost (`cost.py`), the planner (`plan.py`, `roots.py`) and the shaper (`execution/shape.py`) all read it.

Works on graphql-core's AST as the executor sees it: fragments (named and inline, with
their type conditions), @skip/@include, aliases, and argument values with variables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    BooleanValueNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLDirective,
    GraphQLField,
    GraphQLIncludeDirective,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSkipDirective,
    InlineFragmentNode,
    SchemaMetaFieldDef,
    SelectionSetNode,
    TypeMetaFieldDef,
    TypeNameMetaFieldDef,
    Undefined,
    VariableNode,
    value_from_ast,
)

from clustergraph.translate.fields import FieldModel

META_FIELDS: dict[str, GraphQLField] = {
    "__typename": TypeNameMetaFieldDef,
    "__schema": SchemaMetaFieldDef,
    "__type": TypeMetaFieldDef,
}


@dataclass
class Request:
    """What planning and shaping a request's fields read: the schema, its field model, the
    document's fragments and the request's coerced variables."""

    schema: GraphQLSchema
    fragments: dict[str, Any]
    variables: dict[str, Any]
    fields: FieldModel


@dataclass
class Selected:
    """One response key of a selection: the field, its arguments and where its sub-selections are."""

    response_key: str
    field_name: str
    definition: GraphQLField
    arguments: dict[str, Any]
    nodes: list[FieldNode] = field(default_factory=list)

    def sub_selections(self) -> list[SelectionSetNode]:
        return [n.selection_set for n in self.nodes if n.selection_set is not None]


def _directive_if(request: Request, node: Any, directive: GraphQLDirective) -> bool | None:
    for applied in node.directives or ():
        if applied.name.value != directive.name:
            continue
        for argument in applied.arguments:
            value = argument.value
            if isinstance(value, BooleanValueNode):
                return value.value
            if isinstance(value, VariableNode):
                return bool(request.variables.get(value.name.value))
    return None


def _included(request: Request, node: FieldNode | FragmentSpreadNode | InlineFragmentNode) -> bool:
    if _directive_if(request, node, GraphQLSkipDirective) is True:
        return False
    return _directive_if(request, node, GraphQLIncludeDirective) is not False


def arguments_of(definition: GraphQLField, node: FieldNode, variables: dict[str, Any]) -> dict[str, Any]:
    """Argument values as the executor coerces them (validation has already passed)."""
    given = {argument.name.value: argument.value for argument in node.arguments or ()}
    values: dict[str, Any] = {}
    for name, argument in definition.args.items():
        value = Undefined
        if name in given:
            literal = given[name]
            if isinstance(literal, VariableNode) and literal.name.value not in variables:
                value = Undefined
            else:
                value = value_from_ast(literal, argument.type, variables)
        if value is Undefined:
            value = argument.default_value
        if value is not Undefined:
            values[name] = value
    return values


def _applies(request: Request, condition: str | None, runtime: GraphQLObjectType) -> bool:
    if condition is None or condition == runtime.name:
        return True
    conditional = request.schema.get_type(condition)
    return conditional is not None and any(i.name == condition for i in runtime.interfaces)


def collect(
    request: Request,
    selection_sets: list[SelectionSetNode],
    runtime: GraphQLObjectType,
    *,
    with_meta: bool = False,
) -> list[Selected]:
    """The fields selected on an object of type `runtime`, by response key, in order.

    `__typename` and the other meta fields are left out unless `with_meta` (for shaping).
    """
    found: dict[str, Selected] = {}
    visited: set[str] = set()

    def walk(selection_set: SelectionSetNode) -> None:
        for node in selection_set.selections:
            if not _included(request, node):  # type: ignore[arg-type]
                continue
            if isinstance(node, FieldNode):
                name = node.name.value
                meta = META_FIELDS.get(name)
                if name.startswith("__") and (not with_meta or meta is None):
                    continue
                key = node.alias.value if node.alias else name
                if key not in found:
                    definition = meta or runtime.fields[name]
                    arguments = arguments_of(definition, node, request.variables)
                    found[key] = Selected(key, name, definition, arguments)
                found[key].nodes.append(node)
            elif isinstance(node, InlineFragmentNode):
                condition = node.type_condition.name.value if node.type_condition else None
                if _applies(request, condition, runtime):
                    walk(node.selection_set)
            elif isinstance(node, FragmentSpreadNode):
                name = node.name.value
                if name in visited:
                    continue
                visited.add(name)
                fragment = request.fragments[name]
                definition = getattr(fragment, "definition", fragment)
                if _applies(request, definition.type_condition.name.value, runtime):
                    walk(definition.selection_set)

    for selection_set in selection_sets:
        walk(selection_set)
    return list(found.values())
