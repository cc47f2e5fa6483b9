"""The policies every GraphQL operation passes, each written once and run once.

Both executors run the same functions in the same order. graphql-core's (through
Strawberry: introspection, mutations, subscriptions, and queries the compiled path does
not plan) meets them as the schema extensions below; the compiled read path
(`execution/run.py`) calls the functions itself for the queries it answers, and it
answers every query it starts, so no operation passes a policy twice:

1. Bounds: bytes, tokens, depth, aliases and graphql-core's validation rules, in the
   compile stage (`execution/compile.py`; the rules are `execution/limits.py`'s), once per
   document: `CompiledDocuments` gives graphql-core the document that stage compiled.
2. Variables and cost: `bind_errors`, once the variables are bound.
3. Read access: `read_refusal`, once per operation, before anything runs.
4. The query count: `counting`, around execution, answered as `extensions.cypherQueries`.
5. The operation record: `record`, once the answer is known.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from graphql import GraphQLError, OperationType
from strawberry.extensions import SchemaExtension

from clustergraph.auth.identity import Role
from clustergraph.errors import ClusterGraphError, QueryTooComplex, to_graphql_error
from clustergraph.execution.bind import check_cost, coerce_variables
from clustergraph.execution.compile import Compiled, DocumentCache
from clustergraph.execution.context import Context
from clustergraph.execution.limits import cost_rules
from clustergraph.execution.permissions import require
from clustergraph.graph.db import query_counter
from clustergraph.observe import record_operation
from clustergraph.settings import Settings

# -- 2. variables and cost ---------------------------------------------------------------------


def bind_errors(
    compiled: Compiled, documents: DocumentCache, raw: dict[str, Any] | None, settings: Settings
) -> tuple[dict[str, Any], list[GraphQLError]]:
    """The bound variables of a valid document, or the errors that refuse it (bad values, cost)."""
    operation = compiled.operation
    if operation is None:
        return {}, []  # no operation to run: graphql-core's executor says why
    variables = coerce_variables(documents.schema, operation, raw)
    if isinstance(variables, list):
        return {}, variables
    try:
        check_cost(compiled, documents, variables, cost_rules(settings), settings.max_query_cost)
    except QueryTooComplex as error:
        return variables, [to_graphql_error(error)]
    return variables, []


# -- 3. read access ----------------------------------------------------------------------------


def reads_refused(context: Context) -> ClusterGraphError | None:
    """Why this caller may not read, when reads are not public; None when they may."""
    if context.settings.public_reads:
        return None
    try:
        require(context, Role.READER)
    except ClusterGraphError as error:
        return error
    return None


def read_refusal(context: Context, operation: OperationType) -> GraphQLError | None:
    """The error that refuses a whole query operation to this caller, or None.

    (A subscription is refused by its root field, `schema/subscription.py`, with the same rule:
    graphql-transport-ws answers an operation refused before it runs with no `next`.)"""
    if operation is not OperationType.QUERY:
        return None
    refused = reads_refused(context)
    return None if refused is None else to_graphql_error(refused)


# -- 4. the query count ------------------------------------------------------------------------


@contextmanager
def counting() -> Iterator[list[str]]:
    """Collects the Cypher queries sent within (every read and write of `clustergraph.graph.db` adds itself)."""
    queries: list[str] = []
    token = query_counter.set(queries)
    try:
        yield queries
    finally:
        query_counter.reset(token)


def query_count(queries: Sequence[str]) -> dict[str, Any]:
    """The result's `extensions` entry that says what the operation cost."""
    return {"cypherQueries": len(queries)}


# -- 5. the operation record -------------------------------------------------------------------


def record(context: Any, operation_name: str | None, errors: Sequence[GraphQLError] | None) -> None:
    """Leaves the operation's name and outcome (its first error's code, or ok) for the request log and metrics."""
    request = getattr(context, "request", None)
    if request is None:
        return
    errors = errors or []
    outcome = str((errors[0].extensions or {}).get("code")) if errors else "ok"
    record_operation(request.scope, operation_name, outcome, len(errors))


# -- the stages as graphql-core's path meets them --------------------------------------------------


class CompiledDocuments(SchemaExtension):
    """Bounds, variables and cost: graphql-core's executor takes its parsed, validated
    document from the compile stage, and has the cost checked once the variables are bound."""

    def __init__(self, cache: Callable[[], DocumentCache], settings: Settings) -> None:
        self.cache = cache
        self.settings = settings

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query:
            compiled = self.cache().compile(context.query, context.operation_name)
            if compiled.document is None:
                raise compiled.errors[0]  # Strawberry answers it as the only error
            context.graphql_document = compiled.document
            self.compiled = compiled
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        compiled: Compiled | None = getattr(self, "compiled", None)
        if compiled is not None:
            errors = list(compiled.errors)
            if not errors:
                _variables, errors = bind_errors(compiled, self.cache(), context.variables, self.settings)
            context.pre_execution_errors = errors
        yield


class ReadAccess(SchemaExtension):
    """Read access, once per operation, after the document passed its bounds (listed after them)."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if not context.pre_execution_errors and context.graphql_document is not None:
            refusal = read_refusal(context.context, OperationType(context.operation_type.value))
            if refusal is not None:
                context.pre_execution_errors = [refusal]
        yield


class QueryCount(SchemaExtension):
    """The query count, as `extensions.cypherQueries`."""

    def on_execute(self) -> Iterator[None]:
        with counting() as self.queries:
            yield

    def get_results(self) -> dict[str, Any]:
        return query_count(getattr(self, "queries", ()))


class OperationRecord(SchemaExtension):
    """The operation record."""

    def on_operation(self) -> Iterator[None]:
        yield
        context = self.execution_context
        result = context.result
        record(context.context, context.operation_name, result.errors if result is not None else None)
