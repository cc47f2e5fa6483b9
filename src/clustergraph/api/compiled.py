"""The compiled read path: compile → bind → plan → run → shape, without graphql-core's executor.

For a query whose root fields the translator knows (`translate.roots.PREPARERS`, and
`__typename`), a request costs a cache lookup of its compiled document, the coercion of
its variables, a lookup of the plans bound from them, one Cypher query per root field,
and one walk that shapes the rows (`api/shape.py`). What it does not plan (introspection,
mutations, `history`, a document or variables with errors) is declined before any Cypher
runs and answered by graphql-core's executor through Strawberry, which reads the same
compiled document. Once a root field's Cypher has run, its answer is this path's
whatever happens: an unknown key, an outage, a null in a non-null field become errors
with their paths here, never a second run by graphql-core (which would read Neo4j
again). A test proves both executors give byte-identical answers.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from graphql import FieldNode, GraphQLError, GraphQLObjectType, OperationType, is_non_null_type, located_error
from graphql.pyutils import Path
from strawberry.types import ExecutionResult

from clustergraph.api.context import Context
from clustergraph.api.errors import classify
from clustergraph.api.limits import bind_errors
from clustergraph.api.permissions import require
from clustergraph.api.shape import Decline, Errors, FieldError, Shaper, Shapers, careful
from clustergraph.auth.identity import Role
from clustergraph.db import query_counter
from clustergraph.errors import ClusterGraphError
from clustergraph.observe import record_operation
from clustergraph.settings import Settings
from clustergraph.translate.bind import request_of, variable_key
from clustergraph.translate.compile import Compiled, DocumentCache
from clustergraph.translate.roots import PREPARERS, Prepared, RootField, prepare
from clustergraph.translate.selection import collect

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _RootPlan:
    key: str
    prepared: Prepared | None  # None: `__typename`
    shape: Shaper
    nodes: tuple[FieldNode, ...] = ()
    non_null: bool = False


@dataclass(frozen=True)
class BoundPlan:
    roots: tuple[_RootPlan, ...]


class CompiledReads:
    """Answers the queries it can compile; returns None for the rest."""

    def __init__(self, documents: DocumentCache, settings: Settings) -> None:
        self.documents = documents
        self.settings = settings

    async def execute(
        self,
        query: str | None,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        context: Context,
    ) -> ExecutionResult | None:
        answer = await self._answer(query, operation_name, variables, context)
        if answer is None:
            # Tests read this line to tell which executor answered.
            log.debug("compiled path declined %s", (operation_name or "an operation")[:100])
        return answer

    async def _answer(
        self,
        query: str | None,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        context: Context,
    ) -> ExecutionResult | None:
        if not query or len(query.encode("utf-8", "surrogatepass")) > self.settings.max_query_bytes:
            return None  # refused by Strawberry's path, with its error
        compiled = self.documents.compile(query, operation_name)
        operation = compiled.operation
        if not compiled.ok or operation is None or operation.operation is not OperationType.QUERY:
            return None
        bound, errors = bind_errors(compiled, self.documents.schema, variables, self.settings)
        if errors:
            return None
        if not self.settings.public_reads:
            try:
                require(context, Role.READER)
            except ClusterGraphError:
                return None
        try:
            plan = self.bind(compiled, bound)
            if plan is None:
                return None
            data = await self.run(plan, context)
        except (Decline, ClusterGraphError):
            return None
        except Exception:  # anything unforeseen: graphql-core's path masks it as it always does
            log.debug("compiled path failed", exc_info=True)
            return None
        self._record(context, operation_name or (operation.name.value if operation.name else None), data)
        return data

    def bind(self, compiled: Compiled, variables: dict[str, Any]) -> BoundPlan | None:
        operation = compiled.operation
        assert operation is not None
        key: Hashable = ("plan", variable_key(compiled, operation, variables))
        return compiled.remember_plan(key, lambda: self._plan(compiled, variables))  # type: ignore[no-any-return]

    def _plan(self, compiled: Compiled, variables: dict[str, Any]) -> BoundPlan | None:
        schema = self.documents.schema
        root_type = schema.query_type
        assert isinstance(root_type, GraphQLObjectType) and compiled.operation is not None
        request = request_of(compiled, schema, variables)
        shapers = Shapers(request)
        roots = []
        for selected in collect(request, [compiled.operation.selection_set], root_type, with_meta=True):
            if selected.field_name == "__typename":
                name = root_type.name
                roots.append(_RootPlan(selected.response_key, None, lambda _value, _path, name=name: name))  # type: ignore[misc]
                continue
            if selected.field_name not in PREPARERS:
                return None
            field = RootField(request, selected.definition, selected.nodes, selected.arguments, self.settings)
            shape = shapers.of(
                selected.definition.type, selected.nodes, f"{root_type.name}.{selected.field_name}"
            )
            non_null = is_non_null_type(selected.definition.type)
            roots.append(
                _RootPlan(selected.response_key, prepare(field), shape, tuple(selected.nodes), non_null)
            )
        return BoundPlan(tuple(roots))

    async def run(self, plan: BoundPlan, context: Context) -> ExecutionResult:
        queries: list[str] = []
        token = query_counter.set(queries)
        data: dict[str, Any] | None = {}
        errors: list[GraphQLError] = []
        try:
            for root in plan.roots:
                shaped, root_errors, null_reached_data = await self._root(root, context)
                errors.extend(root_errors)
                if null_reached_data:
                    data = None  # a non-null root field is null: so is all of `data`
                    break
                data[root.key] = shaped  # type: ignore[index]
        finally:
            query_counter.reset(token)
        return ExecutionResult(data=data, errors=errors or None, extensions={"cypherQueries": len(queries)})

    async def _root(self, root: _RootPlan, context: Context) -> tuple[Any, list[GraphQLError], bool]:
        """A root field's answer from its one Cypher query, its errors, and whether its null reaches `data`.

        Whatever fails is answered here, never by graphql-core again: that would read Neo4j
        twice (and double the time an outage takes to report). The errors are graphql-core's."""
        try:
            value = None
            if root.prepared is not None:
                query = root.prepared.query
                rows = await context.graph.read(query.text, query.params)  # type: ignore[arg-type]
                value = root.prepared.finish(rows)
            shaped, field_errors, null_reached_data = _shaped(root, value)
            return shaped, [classify(e) for e in field_errors], null_reached_data
        except Exception as error:  # classify gives ours their code and masks the rest (logged)
            located = located_error(error, list(root.nodes), Path(None, root.key, None).as_list())
            return None, [classify(located)], root.non_null

    def _record(self, context: Context, operation_name: str | None, result: ExecutionResult) -> None:
        # What OperationRecord leaves for the request log and metrics on the executor's path.
        errors = result.errors or []
        outcome = str((errors[0].extensions or {}).get("code")) if errors else "ok"
        record_operation(context.request.scope, operation_name, outcome, len(errors))


def _shaped(root: _RootPlan, value: Any) -> tuple[Any, Errors, bool]:
    """The root field's answer, its field errors, and whether a null reached a non-null root.

    The first walk keeps no paths; only an answer with an error is walked again, with them."""
    errors = Errors()
    try:
        return root.shape(value, None), errors, False
    except FieldError:
        pass
    try:
        return careful(root.shape, value, root.key, root.non_null, errors), errors, False
    except FieldError:
        return None, errors, True
