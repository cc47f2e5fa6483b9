"""Subscriptions over graphql-transport-ws, idle for almost nothing: a record each, no task.

Strawberry runs every operation as a task holding graphql-core's execution, the
extensions' hooks and a chain of async generators, some 20 KB while the subscription
waits. For a valid `entityChanged` or `relationshipChanged` subscription that may start,
this handler keeps instead one `LiveSubscriber` in the feed's fan-out: the tail offers it
each event, it filters it and queues the frame its plan rendered (`http/live_plan.py`,
once per event for all who share the plan) on its connection's `FrameSender`, whose one
task writes them while there are any. A replay (`since`) runs in the operation's task,
which ends once the subscriber is live. Everything else (queries, errors, documents the
plan does not read) goes through Strawberry's path as before, which says why it refused.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque

import orjson
from graphql import GraphQLError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import Message, SubscribeMessage

from clustergraph.errors import VALIDATION_FAILED, TooManySubscriptions, to_graphql_error
from clustergraph.execution.context import Context
from clustergraph.graph.db import GraphUnavailable, QueryTimeout
from clustergraph.http.live_plan import LivePlan, live_plan
from clustergraph.live.bounds import SLOW_CONSUMER, LiveConnection
from clustergraph.live.feed import ChangeEvent, ChangeFeed, Pending
from clustergraph.observe import record_operation
from clustergraph.schema.subscription import Admission, admit, release, unavailable

log = logging.getLogger(__name__)

# What the query count (`execution/policies.py`) adds to every result: a live event costs no query.
_EXTENSIONS = b',"extensions":{"cypherQueries":0}}'


class LiveSubscriber:
    """One subscription in the feed's fan-out: what it wants, what it was sent last, what waits to go."""

    __slots__ = ("active", "admission", "id", "kept", "last", "pending", "plan", "sender")

    def __init__(self, operation_id: str, plan: LivePlan, admission: Admission, sender: FrameSender) -> None:
        self.id = operation_id
        self.plan = plan
        self.admission = admission
        self.sender = sender
        self.last = 0
        self.pending = 0  # frames queued on the connection and not yet written
        self.kept: Pending | None = None  # what arrives while the log is replayed
        self.active = True

    def offer(self, event: ChangeEvent) -> None:
        if self.kept is not None:
            self.kept.offer(event)
        else:
            self.deliver(event)

    def deliver(self, event: ChangeEvent) -> None:
        if event.seq <= self.last or not self.active:
            return
        self.last = event.seq
        if self.plan.filter.wanted(event):
            self.sender.put(self, self.frame(event))

    def frame(self, event: ChangeEvent) -> str:
        data = self.plan.data(event, self.admission.named)
        head = b'{"id":' + orjson.dumps(self.id) + b',"type":"next","payload":'
        return (head + data[:-1] + _EXTENSIONS + b"}").decode()


class FrameSender:
    """One connection's frames from its live subscribers, written in order by one task while there are any.

    A subscriber with more frames waiting than the bound is a slow consumer: the connection
    is closed with 4008, and the client resumes with `since`.
    """

    __slots__ = ("_closing", "_connection", "_frames", "_task", "limit")

    def __init__(self, connection: LiveConnection, limit: int) -> None:
        self._connection = connection
        self.limit = limit
        self._frames: deque[tuple[LiveSubscriber, str]] = deque()
        self._task: asyncio.Task[None] | None = None
        self._closing: asyncio.Task[None] | None = None

    def put(self, subscriber: LiveSubscriber, frame: str) -> None:
        if self._closing is not None:
            return
        if subscriber.pending >= self.limit:
            self._frames.clear()
            self._closing = asyncio.create_task(
                self._connection.close(SLOW_CONSUMER, "slow consumer: resume with since")
            )
            return
        subscriber.pending += 1
        self._frames.append((subscriber, frame))
        if self._task is None:
            self._task = asyncio.create_task(self._write())

    async def send(self, frame: str) -> None:
        """One frame now (a replay's, which the replay's own pace bounds)."""
        await self._connection.send({"type": "websocket.send", "text": frame})

    async def _write(self) -> None:
        try:
            while self._frames:
                subscriber, frame = self._frames.popleft()
                subscriber.pending -= 1
                if subscriber.active:
                    await self.send(frame)
        except Exception:  # the client went away: the handler's shutdown ends its subscribers
            log.debug("a live frame could not be written", exc_info=True)
            self._frames.clear()
        finally:
            self._task = None


class LiveTransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """Strawberry's graphql-transport-ws handler, with live subscriptions kept as records."""

    context: Context

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.live: dict[str, LiveSubscriber] = {}
        self.sender: FrameSender | None = None

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        # Strawberry's own refusal past the per-connection bound carries no code: answer it here.
        limit = self.max_subscriptions_per_connection
        if (
            self.connection_acknowledged
            and message["id"] not in self.operations
            and limit is not None
            and len(self.operations) >= limit
        ):
            text = f"this connection already runs {limit} operations, the most it may (per connection)"
            error = to_graphql_error(TooManySubscriptions(text, "connection"))
            await self.send_message({"id": message["id"], "type": "error", "payload": [error.formatted]})
            return
        await super().handle_subscribe(message)

    async def send_message(self, message: Message) -> None:
        await super().send_message(_coded(message))

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        context = self.context
        connection = context.live_connection
        plan = live_plan(
            self.schema.documents,  # type: ignore[attr-defined]
            context.settings,
            operation.query,
            operation.operation_name,
            operation.variables,
        )
        if plan is None or connection is None:
            return await super().run_operation(operation)
        try:
            admission = admit(context, plan.since)
        except GraphQLError:
            # Strawberry's path checks again and answers the error as it always has.
            return await super().run_operation(operation)
        if self.sender is None:
            self.sender = FrameSender(connection, context.settings.live_queue_limit)
        subscriber = LiveSubscriber(operation.id, plan, admission, self.sender)
        self.live[operation.id] = subscriber
        connection.started()
        try:
            await self._follow(subscriber, context.request.app.state.live_feed)
        except (GraphUnavailable, QueryTimeout):
            self._end(operation.id, "SERVICE_UNAVAILABLE")
            error = unavailable().formatted
            await operation.send_operation_message(
                {"id": operation.id, "type": "next", "payload": {"data": None, "errors": [error]}}
            )
            await operation.send_operation_message({"id": operation.id, "type": "complete"})
        except BaseException:
            self._end(operation.id, "ok")
            raise
        return None

    async def _follow(self, subscriber: LiveSubscriber, feed: ChangeFeed) -> None:
        """From the log after `since` (if given) to the live events, without a gap or a repeat."""
        await feed.start()
        since = subscriber.plan.since
        if since is None:
            subscriber.last = feed.position
            feed.add(subscriber)
            return
        subscriber.last = since
        subscriber.kept = Pending(feed.queue_limit)
        feed.add(subscriber)
        assert self.sender is not None
        async for event in feed.replay(since, subscriber.kept):
            subscriber.last = event.seq
            if subscriber.plan.filter.wanted(event):
                await self.sender.send(subscriber.frame(event))
        kept, subscriber.kept = subscriber.kept, None
        for event in kept.take():
            subscriber.deliver(event)

    async def cleanup_operation(self, operation_id: str) -> None:
        self._end(operation_id, "ok")
        await super().cleanup_operation(operation_id)

    def _end(self, operation_id: str, outcome: str) -> None:
        subscriber = self.live.pop(operation_id, None)
        if subscriber is None:
            return
        subscriber.active = False
        context = self.context
        context.request.app.state.live_feed.discard(subscriber)
        release(context, subscriber.admission)
        if context.live_connection is not None:
            context.live_connection.ended()
        # The operation record (`execution/policies.py`) of a subscription, once it ends.
        record_operation(context.request.scope, subscriber.plan.name, outcome, 0 if outcome == "ok" else 1)


def _coded(message: Message) -> Message:
    """Every error a subscription is sent carries `extensions.code`: those Strawberry makes
    itself before execution (an operation the transport cannot run) get VALIDATION_FAILED."""
    if message["type"] == "error":
        errors = message["payload"]
    elif message["type"] == "next":
        errors = message["payload"].get("errors") or []
    else:
        return message
    for error in errors:
        extensions = error.setdefault("extensions", {})
        extensions.setdefault("code", VALIDATION_FAILED)
    return message
