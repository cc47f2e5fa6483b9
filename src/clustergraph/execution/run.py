"""The compiled read path: compile → bind → plan → run → shape, without graphql-core's executor.

For a query whose root fields the translator plans (`translate.roots.preparer`, and
`__typename`) and whose every field the field model can read, a request costs a cache
lookup of its compiled document, the coercion of its variables, a lookup of the plans
bound from them, one Cypher query per root field, and one walk that shapes the rows
(`execution/shape.py`). What it does not plan (introspection, mutations, subscriptions,
`history`, a document naming no operation it can run) is declined before any policy
runs, as its document says, and answered by graphql-core's executor through Strawberry,
which reads the same compiled document.

A request it does not decline is this path's whatever happens, and it passes every
policy here, once (`execution/policies.py`): a document past a bound, a value or a cost
refused, a caller who may not read are answered as graphql-core's path answers them;
an unknown key, an outage, a null in a non-null field become errors with their paths,
never a second run by graphql-core (which would read Neo4j again). A test proves both
executors give byte-identical answers.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLObjectType,
    OperationType,
    get_named_type,
    is_non_null_type,
    located_error,
)
from graphql.pyutils import Path
from strawberry.types import ExecutionResult

from clustergraph.execution import policies
from clustergraph.execution.bind import request_of, variable_key
from clustergraph.execution.compile import Compiled, DocumentCache
from clustergraph.execution.context import Context
from clustergraph.execution.errors import classify
from clustergraph.execution.shape import Errors, FieldError, Shaper, Shapers, careful, readable
from clustergraph.settings import Settings
from clustergraph.translate.roots import Prepared, RootField, prepare, preparer
from clustergraph.translate.selection import collect

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _RootPlan:
    key: str
    prepared: Prepared | None  # None: `__typename`, or a root field whose arguments are refused
    shape: Shaper
    nodes: tuple[FieldNode, ...] = ()
    non_null: bool = False
    refused: Exception | None = None  # why its plan could not be made (a bad argument)


@dataclass(frozen=True)
class BoundPlan:
    roots: tuple[_RootPlan, ...]


class CompiledReads:
    """Answers the queries it plans; returns None, before any policy runs, for the rest."""

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
        compiled = self.documents.compile(query, operation_name) if query else None
        if compiled is None or not self.plans(compiled):
            # Tests read this line to tell which executor answered.
            log.debug("compiled path declined %s", (operation_name or "an operation")[:100])
            return None
        operation = compiled.operation
        name = operation_name or (operation.name.value if operation and operation.name else None)
        answer = await self._answer(compiled, variables, context)
        policies.record(context, name, answer.errors)
        return answer

    def plans(self, compiled: Compiled) -> bool:
        """Whether this path answers the document: decided once per document, from it alone.

        It answers a document refused by a bound (as graphql-core's path would), and a query
        whose root fields it plans and whose every field the field model reads."""
        if compiled.document is None:
            return True
        operation = compiled.operation
        if operation is None or operation.operation is not OperationType.QUERY:
            return False
        if compiled.errors:
            return True
        found = compiled.memo.get("plans")
        if found is None:
            found = compiled.memo["plans"] = self._plannable(compiled)
        return bool(found)

    def _plannable(self, compiled: Compiled) -> bool:
        documents = self.documents
        root = documents.schema.query_type
        assert root is not None and compiled.operation is not None
        request = request_of(compiled, documents, {})
        seen: dict[Hashable, bool] = {}
        for selected in collect(request, [compiled.operation.selection_set], root, with_meta=True):
            name = selected.field_name
            if name == "__typename":
                continue
            if preparer(documents.fields, root.name, name) is None:
                return False
            named = get_named_type(selected.definition.type)
            for node in selected.nodes:
                if node.selection_set is not None and not readable(request, node.selection_set, named, seen):
                    return False
        return True

    async def _answer(
        self, compiled: Compiled, variables: dict[str, Any] | None, context: Context
    ) -> ExecutionResult:
        if compiled.errors:
            return _refused(compiled.errors)
        bound, errors = policies.bind_errors(compiled, self.documents, variables, self.settings)
        if errors:
            return _refused(errors)
        refusal = policies.read_refusal(context, OperationType.QUERY)
        if refusal is not None:
            return _refused([refusal])
        return await self.run(self.bind(compiled, bound), context)

    def bind(self, compiled: Compiled, variables: dict[str, Any]) -> BoundPlan:
        operation = compiled.operation
        assert operation is not None
        key: Hashable = ("plan", variable_key(compiled, operation, variables))
        return compiled.remember_plan(key, lambda: self._plan(compiled, variables))  # type: ignore[no-any-return]

    def _plan(self, compiled: Compiled, variables: dict[str, Any]) -> BoundPlan:
        root_type = self.documents.schema.query_type
        assert isinstance(root_type, GraphQLObjectType) and compiled.operation is not None
        request = request_of(compiled, self.documents, variables)
        shapers = Shapers(request)
        roots = []
        for selected in collect(request, [compiled.operation.selection_set], root_type, with_meta=True):
            if selected.field_name == "__typename":
                name = root_type.name
                roots.append(_RootPlan(selected.response_key, None, lambda _value, _path, name=name: name))  # type: ignore[misc]
                continue
            field = RootField(request, selected.definition, selected.nodes, selected.arguments, self.settings)
            nodes, non_null = tuple(selected.nodes), is_non_null_type(selected.definition.type)
            try:
                label = f"{root_type.name}.{selected.field_name}"
                shape = shapers.of(selected.definition.type, selected.nodes, label)
                roots.append(_RootPlan(selected.response_key, prepare(field), shape, nodes, non_null))
            except Exception as error:  # a bad argument: the root field's error, as its resolver's would be
                roots.append(_RootPlan(selected.response_key, None, _nothing, nodes, non_null, error))
        return BoundPlan(tuple(roots))

    async def run(self, plan: BoundPlan, context: Context) -> ExecutionResult:
        """The plan's answer. Root fields refused while planning report first, as graphql-core's
        resolvers (run together) would: they fail before any of them has read anything."""
        refused = [root for root in plan.roots if root.refused is not None]
        errors = [_located(root, root.refused) for root in refused if root.refused is not None]
        answered: dict[str, Any] = {}
        # A non-null root field is null: so is all of `data`.
        null_reached_data = any(root.non_null for root in refused)
        with policies.counting() as queries:
            for root in plan.roots:
                if null_reached_data:
                    break
                if root.refused is not None:
                    answered[root.key] = None
                    continue
                shaped, root_errors, null_reached_data = await self._root(root, context)
                errors.extend(root_errors)
                answered[root.key] = shaped
        data = None if null_reached_data else answered
        return ExecutionResult(data=data, errors=errors or None, extensions=policies.query_count(queries))

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
        except Exception as error:
            return None, [_located(root, error)], root.non_null


def _nothing(_value: Any, _path: Any) -> None:
    return None


def _located(root: _RootPlan, error: Exception) -> GraphQLError:
    # classify gives ours their code and masks the rest (logged)
    return classify(located_error(error, list(root.nodes), Path(None, root.key, None).as_list()))


def _refused(errors: Sequence[GraphQLError]) -> ExecutionResult:
    """A request refused before it ran, as graphql-core's path answers it (nothing was read)."""
    return ExecutionResult(
        data=None, errors=[classify(e) for e in errors], extensions=policies.query_count(())
    )


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
