"""Bounds on what one GraphQL document may ask for, checked before any Cypher runs.

A document past one is refused with `extensions.code` = QUERY_TOO_COMPLEX and
`extensions.bound` naming the bound: `bytes` (before parsing), `tokens` (while lexing),
`depth` and `aliases` (validation rules), `cost` (once the variables are bound).

The validation rules are classes built once from the settings (`limit_rules`), so a
document validates once and its outcome is cached with it (`execution/compile.py`);
`execution/policies.py` runs these bounds, and the cost, on every path.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    ValuesOfCorrectTypeRule,
    specified_rules,
)
from graphql.validation import NoSchemaIntrospectionCustomRule

from clustergraph.errors import BAD_USER_INPUT, VALIDATION_FAILED, QueryTooComplex, to_graphql_error
from clustergraph.execution.compile import DocumentCache
from clustergraph.execution.cost import CostRules
from clustergraph.settings import Settings
from clustergraph.translate.fields import FieldModel


def too_complex(bound: str, value: int, limit: int, what: str) -> GraphQLError:
    return to_graphql_error(QueryTooComplex(bound, value, limit, what))


def _fields(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str] = frozenset(),
) -> Iterator[tuple[FieldNode, frozenset[str]]]:
    """The fields of a selection set, fragments expanded (each at most once per path)."""
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection, seen
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:  # cycles are another rule's error
                yield from _fields(fragment.selection_set, fragments, seen | {name})


def _aliases(selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode]) -> int:
    return sum(
        (1 if node.alias else 0) + _aliases(node.selection_set, fragments)
        for node, _seen in _fields(selection_set, fragments)
    )


def _depth(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str] = frozenset(),
) -> int:
    deepest = 0
    for node, seen_below in _fields(selection_set, fragments, seen):
        if node.name.value.startswith("__"):
            continue  # introspection is as deep as the schema, not as the data
        below = _depth(node.selection_set, fragments, seen_below) if node.selection_set else 0
        deepest = max(deepest, below + (1 if node.selection_set else 0))
    return deepest


class _DocumentRule(ValidationRule):
    """A validation rule that looks at the whole document once, when it is created."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        document = context.document
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        self.check(operations, fragments)

    def check(self, operations: list[OperationDefinitionNode], fragments: dict[str, Any]) -> None:
        raise NotImplementedError


def max_aliases_rule(limit: int) -> type[ValidationRule]:
    """Bounds the number of aliased fields, which multiply the work of one document."""

    class MaxAliases(_DocumentRule):
        def check(self, operations: list[OperationDefinitionNode], fragments: dict[str, Any]) -> None:
            count = sum(_aliases(op.selection_set, fragments) for op in operations)
            if count > limit:
                self.report_error(too_complex("aliases", count, limit, "the number of aliases"))

    return MaxAliases


def max_depth_rule(limit: int) -> type[ValidationRule]:
    """Bounds how deeply fields nest (levels of selection sets below the root's)."""

    class MaxDepth(_DocumentRule):
        def check(self, operations: list[OperationDefinitionNode], fragments: dict[str, Any]) -> None:
            for op in operations:
                depth = _depth(op.selection_set, fragments)
                if depth > limit:
                    self.report_error(too_complex("depth", depth, limit, "the depth"))
                    return

    return MaxDepth


def _coded(rule: type[ASTValidationRule], code: str) -> type[ASTValidationRule]:
    """graphql-core's rule, its errors tagged with `code` where they are made."""

    def report_error(self: ASTValidationRule, error: GraphQLError) -> None:
        if "code" not in (error.extensions or {}):
            error.extensions = {**(error.extensions or {}), "code": code}
        self.context.report_error(error)

    return type(rule.__name__, (rule,), {"report_error": report_error})


def limit_rules(settings: Settings) -> tuple[type[ASTValidationRule], ...]:
    """Every validation rule, built once: graphql-core's (tagged) and the bounds of the settings."""
    rules: list[type[ASTValidationRule]] = [
        _coded(rule, BAD_USER_INPUT if rule is ValuesOfCorrectTypeRule else VALIDATION_FAILED)
        for rule in specified_rules
    ]
    rules += [
        max_depth_rule(settings.max_query_depth),
        max_aliases_rule(settings.max_aliases),
    ]
    if not settings.introspection:
        # Production can hide the schema (GraphiQL then has no completion).
        rules.append(_coded(NoSchemaIntrospectionCustomRule, VALIDATION_FAILED))
    return tuple(rules)


def cost_rules(settings: Settings) -> CostRules:
    return CostRules(
        hop_cost=settings.hop_cost,
        max_hops=settings.max_hops,
        max_page=max(settings.max_page_size, settings.max_neighbourhood_limit, settings.max_paths),
        # A walk never costs more than the budget lets it run, nor half the cost bound: one walk
        # at its published bounds is always admitted alone (and the budget cuts it on a hub).
        cap=min(
            round(settings.request_db_budget * 1000) or settings.max_query_cost, settings.max_query_cost // 2
        ),
    )


def document_cache(schema: GraphQLSchema, fields: FieldModel, settings: Settings) -> DocumentCache:
    return DocumentCache(
        schema,
        limit_rules(settings),
        fields=fields,
        max_bytes=settings.max_query_bytes,
        max_tokens=settings.max_query_tokens,
    )
