"""Bounds on what one GraphQL document may ask for, checked before any Cypher runs.

Each bound is a Strawberry extension; a document past one is refused with
`extensions.code` = QUERY_TOO_COMPLEX and `extensions.bound` naming the bound
(`bytes`, `aliases`, `cost`; `depth` and `tokens` come from Strawberry's own limiters).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    value_from_ast_untyped,
)
from strawberry.extensions import SchemaExtension

from clustergraph.api.errors import QUERY_TOO_COMPLEX
from clustergraph.translate.plan import DEFAULT_PAGE_SIZE

# Root fields that search paths: their own cost grows with the hop bound they are given.
PATH_SEARCHES: Mapping[str, tuple[str, int]] = {
    "cooperationPaths": ("maxHops", 4),
    "crossBorderPartners": ("maxHops", 3),
    "neighbourhood": ("depth", 1),
}
# Arguments that multiply the cost of everything selected below a field.
PAGE_ARGUMENTS = ("first", "limit")
# Defaults of `limit` where the schema gives one (the page default otherwise).
DEFAULT_LIMITS: Mapping[str, int] = {"cooperationPaths": 3, "crossBorderPartners": 50, "neighbourhood": 100}


def too_complex(bound: str, value: int, limit: int, what: str) -> GraphQLError:
    return GraphQLError(
        f"The query is too complex: {what} is {value}, over the limit of {limit} ({bound}).",
        extensions={"code": QUERY_TOO_COMPLEX, "bound": bound, "limit": limit, "value": value},
    )


class QuerySizeLimiter(SchemaExtension):
    """Refuses a document longer than `max_bytes` (UTF-8) before it is parsed."""

    def __init__(self, *, max_bytes: int) -> None:
        self.max_bytes = max_bytes

    def on_parse(self) -> Iterator[None]:
        query = self.execution_context.query or ""
        size = len(query.encode("utf-8", "surrogatepass"))
        if size > self.max_bytes:
            # Raised before the parser runs; Strawberry returns it as the only error.
            raise too_complex("bytes", size, self.max_bytes, "the document's size in bytes")
        yield


class _DocumentRule(ValidationRule):
    """A validation rule that looks at the whole document once, when it is created."""

    def check(self, document: DocumentNode, context: ValidationContext) -> None:
        raise NotImplementedError

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.check(context.document, context)


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _operations(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


@dataclass
class _Walker:
    fragments: dict[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]
    hop_cost: int
    # Arguments past their own bounds are refused by the resolver as BAD_USER_INPUT (a more
    # precise message); the cost counts them at those bounds.
    max_hops: int = 6
    max_page: int = 500

    def aliases(self, selection_set: SelectionSetNode | None, seen: frozenset[str] = frozenset()) -> int:
        count = 0
        for node, seen_below in self._fields(selection_set, seen):
            count += (1 if node.alias else 0) + self.aliases(node.selection_set, seen_below)
        return count

    def cost(self, selection_set: SelectionSetNode | None, seen: frozenset[str] = frozenset()) -> int:
        total = 0
        for node, seen_below in self._fields(selection_set, seen):
            total += self._field_cost(node) + self._multiplier(node) * self.cost(
                node.selection_set, seen_below
            )
        return total

    def _fields(
        self, selection_set: SelectionSetNode | None, seen: frozenset[str]
    ) -> Iterator[tuple[FieldNode, frozenset[str]]]:
        """The fields of a selection set, fragments expanded (each at most once per path)."""
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection, seen
            elif isinstance(selection, InlineFragmentNode):
                yield from self._fields(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:  # cycles are another rule's error
                    yield from self._fields(fragment.selection_set, seen | {name})

    def _argument(self, node: FieldNode, name: str) -> int | None:
        for argument in node.arguments or ():
            if argument.name.value == name:
                value = value_from_ast_untyped(argument.value, dict(self.variables))
                return value if isinstance(value, int) and not isinstance(value, bool) else None
        return None

    def _field_cost(self, node: FieldNode) -> int:
        search = PATH_SEARCHES.get(node.name.value)
        if search is None:
            return 1
        argument, default = search
        hops = self._argument(node, argument)
        hops = default if hops is None else min(max(hops, 1), self.max_hops)
        # Path searches expand the graph hop by hop: each hop of the bound weighs `hop_cost`.
        return self.hop_cost * hops * hops

    def _multiplier(self, node: FieldNode) -> int:
        for name in PAGE_ARGUMENTS:
            if any(a.name.value == name for a in node.arguments or ()):
                size = self._argument(node, name)
                if size is None:
                    size = DEFAULT_LIMITS.get(node.name.value, DEFAULT_PAGE_SIZE)
                return min(max(size, 1), self.max_page)
        if node.name.value in DEFAULT_LIMITS:
            return DEFAULT_LIMITS[node.name.value]
        return 1


def _walker(context: ValidationContext, variables: Mapping[str, Any], hop_cost: int, **caps: int) -> _Walker:
    return _Walker(_fragments(context.document), variables, hop_cost, **caps)


class MaxAliases(SchemaExtension):
    """Bounds the number of aliased fields, which multiply the work of one document."""

    def __init__(self, *, max_aliases: int) -> None:
        self.max_aliases = max_aliases

    def on_operation(self) -> Iterator[None]:
        limit = self.max_aliases

        class AliasRule(_DocumentRule):
            def check(self, document: DocumentNode, context: ValidationContext) -> None:
                walker = _walker(context, {}, 0)
                count = sum(walker.aliases(op.selection_set) for op in _operations(document))
                if count > limit:
                    context.report_error(too_complex("aliases", count, limit, "the number of aliases"))

        self.execution_context.validation_rules = (*self.execution_context.validation_rules, AliasRule)
        yield


class MaxCost(SchemaExtension):
    """Bounds a computed cost: every field costs 1, what is below a list costs its page size
    times over, and a path search costs `hop_cost` times the square of its hop bound."""

    def __init__(self, *, max_cost: int, hop_cost: int, max_hops: int, max_page: int) -> None:
        self.max_cost = max_cost
        self.hop_cost = hop_cost
        self.caps = {"max_hops": max_hops, "max_page": max_page}

    def on_operation(self) -> Iterator[None]:
        limit, hop_cost, caps = self.max_cost, self.hop_cost, self.caps
        variables = self.execution_context.variables or {}
        operation_name = self.execution_context.operation_name

        class CostRule(_DocumentRule):
            def check(self, document: DocumentNode, context: ValidationContext) -> None:
                walker = _walker(context, variables, hop_cost, **caps)
                for op in _operations(document):
                    if operation_name and (op.name is None or op.name.value != operation_name):
                        continue
                    cost = walker.cost(op.selection_set)
                    if cost > limit:
                        context.report_error(too_complex("cost", cost, limit, "the computed cost"))
                        return

        self.execution_context.validation_rules = (*self.execution_context.validation_rules, CostRule)
        yield


def query_cost(document: DocumentNode, variables: Mapping[str, Any] | None = None, hop_cost: int = 10) -> int:
    """The cost of every operation of a document (what MaxCost bounds), for tests and tools."""
    walker = _Walker(_fragments(document), variables or {}, hop_cost)
    return max((walker.cost(op.selection_set) for op in _operations(document)), default=0)
