"""The async connection to Neo4j: running Cypher with a timeout, and naming its failures.

Every Cypher query the service sends goes through `Graph`; the Cypher itself lives in
`clustergraph.cypher`. Reads run as read transactions (a routing `neo4j://` URI sends them
to a cluster's readers), writes as write transactions. Within one request, every query
goes through that request's bookmark manager (`causal_chain`): its reads wait for the
bookmarks the client sent back, and its writes leave the bookmark the answer carries.

While Neo4j cannot be reached, a read answers SERVICE_UNAVAILABLE within `reach_timeout`
(the time to get a connection and BEGIN's answer, retries included: the driver's own retry
loop would wait out its delays on top of every attempt's timeouts), and for a moment after
such a failure every read is refused at once (`Reachability`), so a request of several
queries fails within one bound, not one per query.
"""

from __future__ import annotations

import asyncio
import contextvars
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, LiteralString, TypeVar

from neo4j import (
    READ_ACCESS,
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    AsyncSession,
    Bookmarks,
    Query,
    RoutingControl,
    unit_of_work,
)
from neo4j.api import AsyncBookmarkManager
from neo4j.exceptions import (
    ClientError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from clustergraph.errors import BadBookmark, GraphUnavailable, QueryTimeout, UnknownBookmark
from clustergraph.graph.location import GraphLocation
from clustergraph.metrics import NEO4J_ERRORS, NEO4J_QUERIES

__all__ = [
    "BadBookmark",
    "DbBudget",
    "Graph",
    "GraphUnavailable",
    "QueryTimeout",
    "db_budget",
    "query_counter",
    "translate_error",
]

T = TypeVar("T")

# How long a write that keeps losing deadlocks is run again before it fails.
DEADLOCK_RETRY_SECONDS = 10.0

# How long a read tries to reach Neo4j (a connection and BEGIN's answer, retries included)
# before it answers SERVICE_UNAVAILABLE; CLUSTERGRAPH_NEO4J_REACH_TIMEOUT in the service.
REACH_SECONDS = 3.0
# After a read could not reach Neo4j, how long every read is refused at once.
UNREACHABLE_PAUSE = 1.0

# Counts the Cypher queries sent while serving one request (see the GraphQL extension).
query_counter: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "query_counter", default=None
)

# The bookmark manager of the request being served (None outside requests: the CLI, imports).
_bookmarks: contextvars.ContextVar[AsyncBookmarkManager | None] = contextvars.ContextVar(
    "bookmarks", default=None
)


@dataclass
class DbBudget:
    """The database time one request may spend, shared by all its aliases and batched operations.

    Its reads run one at a time (`lock`): each gets what is left (less BUDGET_SLACK_SECONDS)
    as its transaction timeout, so the request's reads together stay within `seconds`.
    """

    seconds: float
    spent: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def left(self) -> float:
        return self.seconds - self.spent

    @contextmanager
    def charge(self) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        finally:
            self.spent += time.monotonic() - started

    def exhausted(self) -> QueryTimeout:
        return QueryTimeout("database time budget spent", "budget", self.seconds, self.spent)


_budget: contextvars.ContextVar[DbBudget | None] = contextvars.ContextVar("db_budget", default=None)

# Less than this left of a budget: the next read is refused rather than sent (Neo4j reads
# a timeout of 0 as none, and a few milliseconds cannot answer anything).
MIN_QUERY_SECONDS = 0.01
# Neo4j notices a timeout up to its check interval late (100 ms on the managed server) and
# takes a moment to stop the query, longer on a busy machine: a read under a budget gets
# what is left less this, so the request's reads end within the budget (measured at full
# scale on 2 cores under load 10 to 15: 0.25 s of slack still overran by up to 0.5 s).
# A budget of less than 2 s keeps a quarter of itself.
BUDGET_SLACK_SECONDS = 0.5


@contextmanager
def db_budget(seconds: float | None) -> Iterator[DbBudget | None]:
    """Bound the reads run inside the block to `seconds` of database time in all (None: no bound)."""
    budget = DbBudget(seconds) if seconds else None
    token = _budget.set(budget)
    try:
        yield budget
    finally:
        _budget.reset(token)


@contextmanager
def causal_chain(initial: Iterable[str] = ()) -> Iterator[AsyncBookmarkManager]:
    """Chain every query run inside the block: each sees at least `initial` and all writes before it."""
    manager = AsyncGraphDatabase.bookmark_manager(initial_bookmarks=Bookmarks.from_raw_values(initial))
    token = _bookmarks.set(manager)
    try:
        yield manager
    finally:
        _bookmarks.reset(token)


async def current_bookmarks() -> list[str]:
    """The bookmarks the current request's writes left (or the ones it was sent), sorted."""
    manager = _bookmarks.get()
    return sorted(await manager.get_bookmarks()) if manager is not None else []


def _record(query: str) -> None:
    log = query_counter.get()
    if log is not None:
        log.append(query)
    NEO4J_QUERIES.labels("graphql" if log is not None else "other").inc()


def translate_error(error: Exception) -> Exception:
    """The service's own exception for a driver failure, or the error itself (and counts it)."""
    translated = _translate(error)
    kinds: dict[type[Exception], str] = {GraphUnavailable: "unavailable", QueryTimeout: "timeout"}
    kind = kinds.get(type(translated), "other")
    NEO4J_ERRORS.labels(kind).inc()
    return translated


def _translate(error: Exception) -> Exception:
    if isinstance(error, (ServiceUnavailable, SessionExpired)):
        return GraphUnavailable(str(error))
    code = error.code if isinstance(error, Neo4jError) else None
    if code and "InvalidBookmark" in code:
        return UnknownBookmark(str(error))
    if isinstance(error, TransientError) and code and "BookmarkTimeout" in code:
        # This server has not caught up with the bookmark yet: the client may try again.
        return GraphUnavailable(str(error))
    if isinstance(error, ClientError) and code and "TransactionTimedOut" in code:
        return QueryTimeout(str(error))
    if isinstance(error, DriverError) and not isinstance(error, Neo4jError):
        return GraphUnavailable(str(error))
    return error


@dataclass
class Reachability:
    """Whether Neo4j could be reached lately, as the reads found it.

    After a read gave up reaching it, reads are refused at once for `pause` seconds instead
    of each spending its own `reach_timeout`; the first read after the pause tries again,
    so the service finds Neo4j back by itself.
    """

    pause: float = UNREACHABLE_PAUSE
    _refused_until: float = 0.0

    def check(self) -> None:
        if time.monotonic() < self._refused_until:
            raise GraphUnavailable("Neo4j could not be reached a moment ago")

    def failed(self) -> None:
        self._refused_until = time.monotonic() + self.pause

    def answered(self) -> None:
        self._refused_until = 0.0


def _unreachable(error: Exception) -> bool:
    return isinstance(error, (ServiceUnavailable, SessionExpired, GraphUnavailable))


@dataclass
class Graph:
    driver: AsyncDriver
    database: str
    timeout: float = 10.0
    reach_timeout: float = REACH_SECONDS
    reachability: Reachability = field(default_factory=Reachability, repr=False)
    _closed: bool = field(default=False, repr=False)

    @classmethod
    def connect(
        cls, location: GraphLocation, timeout: float = 10.0, reach_timeout: float = REACH_SECONDS
    ) -> Graph:
        driver = AsyncGraphDatabase.driver(
            location.uri,
            auth=(location.user, location.password),
            # Each attempt of a read is bounded again by what is left of `reach_timeout`.
            connection_timeout=min(3.0, reach_timeout),
            connection_acquisition_timeout=5.0,
            # Reads and writes fail fast while Neo4j is down (the driver retries for 2 s);
            # deadlocks between writes get more time in `transaction`.
            max_transaction_retry_time=2.0,
            liveness_check_timeout=5.0,
            notifications_min_severity="OFF",
        )
        return cls(driver=driver, database=location.database, timeout=timeout, reach_timeout=reach_timeout)

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            await self.driver.close()

    async def read(self, cypher: LiteralString, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return await self._execute(cypher, params or {}, RoutingControl.READ)

    async def write(
        self, cypher: LiteralString, params: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        return await self._execute(cypher, params or {}, RoutingControl.WRITE)

    async def transaction(self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        """Run `work` as one write transaction: it happens whole or not at all, within the timeout."""
        bounded = unit_of_work(timeout=self.timeout)(work)
        deadline = time.monotonic() + DEADLOCK_RETRY_SECONDS
        while True:
            try:
                async with self._session() as session:
                    return await session.execute_write(bounded)
            except TransientError as error:
                # Writes that lock the same entities may deadlock; Neo4j breaks the cycle and
                # the loser is run again, within a bound. An outage is not retried here.
                if "Deadlock" not in (error.code or "") or time.monotonic() > deadline:
                    raise translate_error(error) from error
                await asyncio.sleep(random.uniform(0.05, 0.3))
            except Exception as error:
                raise translate_error(error) from error

    async def autocommit(self, cypher: LiteralString, params: dict[str, Any] | None = None) -> None:
        """Run in an implicit transaction (what `CALL { ... } IN TRANSACTIONS` needs)."""
        _record(cypher)
        try:
            async with self._session() as session:
                result = await session.run(Query(cypher, timeout=self.timeout), params or {})
                await result.consume()
        except Exception as error:
            raise translate_error(error) from error

    async def stream(
        self, cypher: LiteralString, params: dict[str, Any] | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        """Records one by one, for answers too large to hold as a list (the whole-graph export)."""
        _record(cypher)
        try:
            async with self._session(default_access_mode=READ_ACCESS) as session:
                result = await session.run(Query(cypher, timeout=self.timeout), params or {})
                async for record in result:
                    yield record.data()
        except Exception as error:
            raise translate_error(error) from error

    def _session(self, **config: Any) -> AsyncSession:
        return self.driver.session(database=self.database, bookmark_manager=_bookmarks.get(), **config)

    async def ping(self) -> None:
        await self._execute("RETURN 1 AS ok", {}, RoutingControl.READ, timeout=3.0)

    async def _execute(
        self,
        cypher: LiteralString,
        params: dict[str, Any],
        routing: RoutingControl,
        timeout: float | None = None,
    ) -> list[dict[str, Any]]:
        budget = _budget.get()
        if budget is None or routing is not RoutingControl.READ:
            return await self._send(cypher, params, routing, timeout or self.timeout)
        async with budget.lock:
            left = budget.left() - min(BUDGET_SLACK_SECONDS, budget.seconds / 4)
            if left < MIN_QUERY_SECONDS:
                raise budget.exhausted()
            bounded = min(timeout or self.timeout, left)
            try:
                with budget.charge():
                    return await self._send(cypher, params, routing, bounded)
            except QueryTimeout as error:
                if bounded < (timeout or self.timeout):
                    raise budget.exhausted() from error  # cut by what was left, not by its own bound
                raise

    async def _send(
        self, cypher: LiteralString, params: dict[str, Any], routing: RoutingControl, timeout: float
    ) -> list[dict[str, Any]]:
        _record(cypher)
        # Outside a request, the driver's own manager chains this process's queries.
        manager = _bookmarks.get()
        chain: dict[str, Any] = {"bookmark_manager_": manager} if manager is not None else {}
        try:
            if routing is RoutingControl.READ:
                return await self._read(
                    Query(cypher, timeout=timeout or self.timeout),
                    params,
                    manager or self.driver.execute_query_bookmark_manager,
                )
            records, _, _ = await self.driver.execute_query(
                Query(cypher, timeout=timeout),
                params,
                database_=self.database,
                routing_=routing,
                **chain,
            )
        except Exception as error:
            translated = translate_error(error)
            if isinstance(translated, QueryTimeout):
                translated = QueryTimeout(str(error), "timeout", timeout)
            raise translated from error
        return [record.data() for record in records]

    async def _read(
        self, query: Query, params: dict[str, Any], manager: AsyncBookmarkManager
    ) -> list[dict[str, Any]]:
        """A read transaction whose attempts to reach Neo4j end by one deadline (`reach_timeout`)."""
        self.reachability.check()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.reach_timeout
        delay = 0.05
        while True:
            try:
                records = await self._read_once(query, params, manager, deadline)
            except (DriverError, Neo4jError, GraphUnavailable) as error:
                retryable = not isinstance(error, GraphUnavailable) and error.is_retryable()
                if not retryable or loop.time() + delay >= deadline:
                    if _unreachable(error):
                        self.reachability.failed()
                    raise
                await asyncio.sleep(delay)
                delay = min(delay * 2, 0.5)
            else:
                self.reachability.answered()
                return records

    async def _read_once(
        self, query: Query, params: dict[str, Any], manager: AsyncBookmarkManager, deadline: float
    ) -> list[dict[str, Any]]:
        async with self.driver.session(
            database=self.database, bookmark_manager=manager, default_access_mode=READ_ACCESS
        ) as session:
            try:
                # Reaching the server: a connection from the pool (or a new one) and BEGIN's answer.
                async with asyncio.timeout_at(deadline):
                    tx = await session.begin_transaction(timeout=query.timeout)
            except TimeoutError:
                raise GraphUnavailable(f"Neo4j did not answer within {self.reach_timeout:g} s") from None
            async with tx:
                result = await tx.run(query.text, params)
                records = [record.data() async for record in result]
                await tx.commit()
        return records
