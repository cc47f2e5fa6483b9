"""The bind stage: a request's variables, coerced against the operation, and what depends on them.

Coercion is graphql-core's (defaults of variable definitions included), so every later
stage reads the values the executor would. A value that does not fit its type is
BAD_USER_INPUT with `extensions.field` naming where (`input.kind`). The cost bound is
checked here, with those values: it cannot be passed by hiding a page size in a variable.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

from graphql import (
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    Node,
    OperationDefinitionNode,
    Undefined,
    VariableNode,
    Visitor,
    get_variable_values,
    type_from_ast,
    validate_input_value,
    visit,
)

from clustergraph.errors import BAD_USER_INPUT, QueryTooComplex
from clustergraph.execution.compile import Compiled, DocumentCache
from clustergraph.execution.cost import CostRules, operation_cost
from clustergraph.translate.selection import Request


def coerce_variables(
    schema: GraphQLSchema, operation: OperationDefinitionNode, raw: Mapping[str, Any] | None
) -> dict[str, Any] | list[GraphQLError]:
    """The operation's variables as the executor coerces them, or the errors that stop it."""
    inputs = dict(raw or {})
    coerced = get_variable_values(schema, operation.variable_definitions or (), inputs)
    if not isinstance(coerced, list):
        return dict(coerced.coerced)
    return [_tagged(schema, operation, inputs, error) for error in coerced]


def _tagged(
    schema: GraphQLSchema, operation: OperationDefinitionNode, inputs: dict[str, Any], error: GraphQLError
) -> GraphQLError:
    extensions = {**(error.extensions or {}), "code": BAD_USER_INPUT}
    field = _field_of(schema, operation, inputs, error)
    if field is not None:
        extensions["field"] = field
    return GraphQLError(
        error.message, error.nodes, original_error=error.original_error, extensions=extensions
    )


def _field_of(
    schema: GraphQLSchema, operation: OperationDefinitionNode, inputs: dict[str, Any], error: GraphQLError
) -> str | None:
    """Where in a variable the value did not fit, e.g. `input.kind` (from graphql-core's own check)."""
    for definition in operation.variable_definitions or ():
        if not error.nodes or definition not in error.nodes:
            continue
        name = definition.variable.name.value
        var_type = type_from_ast(schema, definition.type)
        if name not in inputs or var_type is None:
            return name
        return name + _first_path(inputs[name], var_type)
    return None


def _first_path(value: Any, var_type: Any) -> str:
    paths: list[list[str | int]] = []
    validate_input_value(value, var_type, lambda _error, path: paths.append(list(path)))
    first = paths[0] if paths else []
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first)


def request_of(compiled: Compiled, documents: DocumentCache, variables: dict[str, Any]) -> Request:
    return Request(documents.schema, compiled.fragments, variables, documents.fields)


def check_cost(
    compiled: Compiled, documents: DocumentCache, variables: dict[str, Any], rules: CostRules, limit: int
) -> None:
    """Raises QueryTooComplex when the bound operation costs more than `limit`."""
    operation = compiled.operation
    assert operation is not None
    root = documents.schema.get_root_type(operation.operation)
    assert isinstance(root, GraphQLObjectType)
    key: Hashable = ("cost", variable_key(compiled, operation.selection_set, variables))
    cost = compiled.memo.get(key)
    if cost is None:
        cost = compiled.memo[key] = operation_cost(
            request_of(compiled, documents, variables), root, operation.selection_set, rules
        )
    if cost > limit:
        raise QueryTooComplex("cost", cost, limit, "the computed cost")


def used_variables(compiled: Compiled, node: Node) -> tuple[str, ...]:
    """The variables a field or selection set reads (its fragments included), in a stable order."""
    memo_key = ("vars", id(node))
    found = compiled.memo.get(memo_key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    names: set[str] = set()
    seen: set[str] = set()

    class Collect(Visitor):
        def enter_variable(self, node: VariableNode, *_: Any) -> None:
            names.add(node.name.value)

        def enter_fragment_spread(self, node: FragmentSpreadNode, *_: Any) -> None:
            name = node.name.value
            fragment = compiled.fragments.get(name)
            if fragment is not None and name not in seen:
                seen.add(name)
                visit(fragment.selection_set, self)

    visit(node, Collect())
    result = compiled.memo[memo_key] = tuple(sorted(names))
    return result


def variable_key(compiled: Compiled, node: Node, variables: dict[str, Any]) -> Hashable:
    """The values of the variables a field or selection reads: what a plan bound from it depends on."""
    names = used_variables(compiled, node)
    return (id(node), tuple((name, _frozen(variables.get(name, Undefined))) for name in names))


def _frozen(value: Any) -> Hashable:
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if value is Undefined:
        return "<undefined>"
    return (type(value).__name__, repr(value))
