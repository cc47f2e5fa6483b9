"""One process's tail of the change log, and each subscriber's ordered stream of it.

The feed reads "changes after the last one seen" from Neo4j on a bounded poll, and at
once when this process has just written (`wake`), so a write through any replica reaches
the subscribers of every replica. A subscriber that asks for `since` reads the log from
Neo4j first, then the live events, skipping what it already had: no change is missed or
repeated, because the log's numbers follow commit order (see cypher/changelog.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol

from clustergraph.cypher.changelog import CHANGES_AFTER, LAST_SEQ
from clustergraph.errors import SlowConsumer
from clustergraph.graph.db import Graph, GraphUnavailable, QueryTimeout

log = logging.getLogger("clustergraph.live")


@dataclass(frozen=True)
class ChangeEvent:
    seq: int
    at: str
    actor: str
    actor_role: str
    action: str
    key: str
    keys: list[str]
    kind: str | None
    before: Any
    after: Any
    sources: list[str]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ChangeEvent:
        return cls(
            seq=int(row["seq"]),
            at=row["at"],
            actor=row["actor"],
            actor_role=row["actorRole"] or "system",
            action=row["action"],
            key=row["key"],
            keys=list(row["keys"]),
            kind=row["kind"],
            before=None if row["before"] is None else json.loads(row["before"]),
            after=None if row["after"] is None else json.loads(row["after"]),
            sources=list(row["sources"] or []),
        )


class Subscriber(Protocol):
    """Whatever the tail hands each event to, in log order, from its own loop (never awaits)."""

    def offer(self, event: ChangeEvent) -> None: ...


class Pending:
    """A subscriber read by `ChangeFeed.events`: the events offered and not yet read, up to a bound.

    Idle, it holds no buffer and no waiter: both are made when needed (thousands of
    subscribers sit idle in one process).
    """

    __slots__ = ("dropped", "events", "limit", "waiter")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.events: deque[ChangeEvent] | None = None
        self.waiter: asyncio.Future[None] | None = None
        self.dropped = False

    def reset(self) -> None:
        if self.dropped:
            self.events = None
            self.dropped = False

    def offer(self, event: ChangeEvent) -> None:
        if self.dropped:
            return
        if self.events is None:
            self.events = deque()
        if len(self.events) >= self.limit:
            # Nothing more is kept for it: once it has read what is here, it learns it fell behind.
            self.dropped = True
        else:
            self.events.append(event)
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    async def next(self) -> ChangeEvent | None:
        """The next event offered, or None once it fell behind (after those kept)."""
        while not self.events:
            if self.dropped:
                return None
            self.waiter = asyncio.get_running_loop().create_future()
            try:
                await self.waiter
            finally:
                self.waiter = None
        event = self.events.popleft()
        if not self.events and not self.dropped:
            self.events = None
        return event

    def take(self) -> list[ChangeEvent]:
        """What it holds, in order; it holds nothing after."""
        events, self.events = list(self.events or ()), None
        return events


class ChangeFeed:
    def __init__(self, graph: Graph, poll_interval: float, queue_limit: int, page_size: int = 500) -> None:
        self.graph = graph
        self.poll_interval = poll_interval
        self.queue_limit = queue_limit
        self.page_size = page_size
        self.position = 0
        self._subscribers: set[Subscriber] = set()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._starting = asyncio.Lock()

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    def wake(self) -> None:
        """This process committed a write: read the log now rather than at the next poll."""
        self._wake.set()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    def add(self, subscriber: Subscriber) -> None:
        """From now on `subscriber` is offered every event the tail reads (call `start` first)."""
        self._subscribers.add(subscriber)

    def discard(self, subscriber: Subscriber) -> None:
        self._subscribers.discard(subscriber)

    async def start(self) -> None:
        # Polling starts with the first subscriber: a process nobody listens to reads nothing.
        async with self._starting:
            if self._task is None:
                self.position = await self._last()
                # A context of its own: the polls are the process's, not the first
                # subscriber's request (its query count, its bookmarks).
                self._task = asyncio.create_task(self._run(), context=contextvars.Context())

    async def _last(self) -> int:
        return int((await self.graph.read(LAST_SEQ))[0]["last"])

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_interval)
            self._wake.clear()
            try:
                await self._catch_up()
            except (GraphUnavailable, QueryTimeout) as error:
                log.warning("the change feed cannot read the log: %s", error)
            except Exception:
                # The tail must outlive any one failed read, or every subscriber would stall.
                log.exception("the change feed failed to read the log")

    async def _catch_up(self) -> None:
        while True:
            rows = await self.page(self.position)
            for row in rows:
                event = ChangeEvent.from_row(row)
                self.position = event.seq
                for subscriber in list(self._subscribers):
                    subscriber.offer(event)
            if len(rows) < self.page_size:
                break
        if not rows and await self._last() < self.position:
            # The graph was emptied and loaded again: its log starts over.
            self.position = await self._last()

    async def page(self, after: int) -> list[dict[str, Any]]:
        return await self.graph.read(CHANGES_AFTER, {"after": after, "limit": self.page_size})

    async def replay(self, since: int, kept: Pending) -> AsyncIterator[ChangeEvent]:
        """Every change after `since`, from the log, until what `kept` holds continues it.

        `kept` must be added before: it keeps what is committed meanwhile, so nothing falls
        between the log and the live events. If it fell behind, the log is read on instead.
        """
        last = since
        while True:
            rows = await self.page(last)
            for row in rows:
                event = ChangeEvent.from_row(row)
                last = event.seq
                yield event
            if len(rows) < self.page_size:
                if not kept.dropped:
                    return
                kept.reset()

    async def events(self, since: int | None = None) -> AsyncIterator[ChangeEvent]:
        """Every change after `since` (from the log), then the live ones; only live ones without it."""
        await self.start()
        subscriber = Pending(self.queue_limit)
        # Added before the replay, so nothing committed meanwhile falls between the two.
        self.add(subscriber)
        try:
            last = self.position if since is None else since
            if since is not None:
                async for event in self.replay(since, subscriber):
                    last = event.seq
                    yield event
            while True:
                queued = await subscriber.next()
                if queued is None:
                    raise SlowConsumer(last)
                if queued.seq > last:
                    last = queued.seq
                    yield queued
        finally:
            self.discard(subscriber)
