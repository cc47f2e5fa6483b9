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
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from clustergraph.cypher.changelog import CHANGES_AFTER, LAST_SEQ
from clustergraph.db import Graph, GraphUnavailable, QueryTimeout

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


class SlowConsumer(Exception):
    """A subscriber let more events queue up than its bound: it is dropped and may resume with `since`."""


@dataclass(eq=False)
class _Subscriber:
    limit: int
    queue: asyncio.Queue[ChangeEvent | None] = field(default_factory=asyncio.Queue)
    dropped: bool = False

    def reset(self) -> None:
        if self.dropped:
            self.queue = asyncio.Queue()
            self.dropped = False

    def offer(self, event: ChangeEvent) -> None:
        if self.dropped:
            return
        if self.queue.qsize() >= self.limit:
            # The sentinel tells the reader it fell behind; nothing more is queued for it.
            self.dropped = True
            self.queue.put_nowait(None)
            return
        self.queue.put_nowait(event)


class ChangeFeed:
    def __init__(self, graph: Graph, poll_interval: float, queue_limit: int, page_size: int = 500) -> None:
        self.graph = graph
        self.poll_interval = poll_interval
        self.queue_limit = queue_limit
        self.page_size = page_size
        self.position = 0
        self._subscribers: set[_Subscriber] = set()
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

    async def _start(self) -> None:
        # Polling starts with the first subscriber: a process nobody listens to reads nothing.
        async with self._starting:
            if self._task is None:
                self.position = await self._last()
                self._task = asyncio.create_task(self._run())

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

    async def events(self, since: int | None = None) -> AsyncIterator[ChangeEvent]:
        """Every change after `since` (from the log), then the live ones; only live ones without it."""
        await self._start()
        subscriber = _Subscriber(self.queue_limit)
        # Registered before the replay, so nothing committed meanwhile falls between the two.
        self._subscribers.add(subscriber)
        try:
            last = self.position if since is None else since
            replaying = since is not None
            while replaying:
                rows = await self.page(last)
                for row in rows:
                    event = ChangeEvent.from_row(row)
                    last = event.seq
                    yield event
                if len(rows) < self.page_size:
                    # What queued up during a long replay is in the log too: read on from there.
                    replaying = subscriber.dropped
                    subscriber.reset()
            while True:
                queued = await subscriber.queue.get()
                if queued is None:
                    raise SlowConsumer(last)
                if queued.seq > last:
                    last = queued.seq
                    yield queued
        finally:
            self._subscribers.discard(subscriber)
