"""A subscription over WebSocket served without graphql-core's executor: what it asks for.

A plan is one subscription document with its variables, read once: the root field
(`entityChanged` or `relationshipChanged`), the filter its arguments make, `since`, and
the shaper of its selection (`execution/shape.py`, as the compiled read path shapes rows).
Subscribers that sent the same document and variables share one plan, and a plan renders
each event once per visibility (with or without the writer's name): the JSON every one of
them is sent. A document it cannot read exactly as graphql-core would gets no plan.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from typing import Any

import orjson
from graphql import GraphQLObjectType, OperationType

from clustergraph.errors import INTERNAL_MESSAGE, ClusterGraphError, to_graphql_error
from clustergraph.execution.bind import request_of, variable_key
from clustergraph.execution.compile import DocumentCache
from clustergraph.execution.policies import bind_errors
from clustergraph.execution.shape import Decline, FieldError, Shaper, Shapers
from clustergraph.live.feed import ChangeEvent
from clustergraph.live.filters import ChangeFilter, filter_of
from clustergraph.schema.subscription import live_change
from clustergraph.settings import Settings
from clustergraph.translate.selection import collect

log = logging.getLogger(__name__)

LIVE_FIELDS = frozenset({"entityChanged", "relationshipChanged"})


class LivePlan:
    """One subscription document and its variables; renders an event's `data` once for all its subscribers."""

    __slots__ = ("_event", "_rendered", "_shape", "filter", "name", "root_key", "since")

    def __init__(
        self, name: str | None, root_key: str, wanted: ChangeFilter, since: int | None, shape: Shaper
    ) -> None:
        self.name = name  # the operation's, as the request log shows it
        self.root_key = root_key
        self.filter = wanted
        self.since = since
        self._shape = shape
        self._event: ChangeEvent | None = None
        self._rendered: dict[bool, bytes] = {}

    def data(self, event: ChangeEvent, named: bool) -> bytes:
        """The event as the JSON of a result's `data` (with its errors, when it cannot be shown)."""
        if self._event is not event:
            # Events reach the plan one at a time, in log order: only the last one is kept.
            self._event, self._rendered = event, {}
        rendered = self._rendered.get(named)
        if rendered is None:
            rendered = self._rendered[named] = self._render(event, named)
        return rendered

    def _render(self, event: ChangeEvent, named: bool) -> bytes:
        try:
            return orjson.dumps({"data": {self.root_key: self._shape(live_change(event, named), None)}})
        except (FieldError, TypeError):
            log.exception("change %s could not be shown to a subscriber", event.seq)
            error = to_graphql_error(ClusterGraphError(INTERNAL_MESSAGE), path=[self.root_key])
            return orjson.dumps({"data": None, "errors": [error.formatted]})


def live_plan(
    documents: DocumentCache,
    settings: Settings,
    query: str | None,
    operation_name: str | None,
    variables: dict[str, Any] | None,
) -> LivePlan | None:
    """The plan of a valid subscription of one live root field, or None (graphql-core's path then)."""
    if not query:
        return None
    compiled = documents.compile(query, operation_name)
    operation = compiled.operation
    if not compiled.ok or operation is None or operation.operation is not OperationType.SUBSCRIPTION:
        return None
    bound, errors = bind_errors(compiled, documents, variables, settings)
    if errors:
        return None
    key: Hashable = ("live", variable_key(compiled, operation.selection_set, bound))
    return compiled.remember_plan(key, lambda: _plan(compiled, documents, bound))  # type: ignore[no-any-return]


def _plan(compiled: Any, documents: DocumentCache, bound: dict[str, Any]) -> LivePlan | None:
    root = documents.schema.subscription_type
    assert isinstance(root, GraphQLObjectType) and compiled.operation is not None
    request = request_of(compiled, documents, bound)
    selected = collect(request, [compiled.operation.selection_set], root, with_meta=True)
    if len(selected) != 1 or selected[0].field_name not in LIVE_FIELDS:
        return None
    (field,) = selected
    try:
        shape = Shapers(request).of(field.definition.type, field.nodes, f"{root.name}.{field.field_name}")
    except Decline:
        return None
    since = field.arguments.get("since")
    name = compiled.operation.name.value if compiled.operation.name else None
    return LivePlan(name, field.response_key, filter_of(field.field_name, field.arguments), since, shape)
