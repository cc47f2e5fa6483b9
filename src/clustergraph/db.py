"""The async connection to Neo4j: running Cypher with a timeout, and naming its failures.

Every Cypher query the service sends goes through `Graph`; the Cypher itself lives in
`clustergraph.cypher`.
"""

from __future__ import annotations

import contextvars
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, LiteralString, TypeVar

from neo4j import (
    READ_ACCESS,
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    Query,
    RoutingControl,
    unit_of_work,
)
from neo4j.exceptions import ClientError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from clustergraph.errors import GraphUnavailable, QueryTimeout
from clustergraph.location import GraphLocation
from clustergraph.metrics import NEO4J_ERRORS

__all__ = ["Graph", "GraphUnavailable", "QueryTimeout", "query_counter", "translate_error"]

T = TypeVar("T")

# Counts the Cypher queries sent while serving one request (see the GraphQL extension).
query_counter: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "query_counter", default=None
)


def _record(query: str) -> None:
    log = query_counter.get()
    if log is not None:
        log.append(query)


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
    if isinstance(error, ClientError) and error.code and "TransactionTimedOut" in error.code:
        return QueryTimeout(str(error))
    if isinstance(error, DriverError) and not isinstance(error, Neo4jError):
        return GraphUnavailable(str(error))
    return error


@dataclass
class Graph:
    driver: AsyncDriver
    database: str
    timeout: float = 10.0
    _closed: bool = field(default=False, repr=False)

    @classmethod
    def connect(cls, location: GraphLocation, timeout: float = 10.0) -> Graph:
        driver = AsyncGraphDatabase.driver(
            location.uri,
            auth=(location.user, location.password),
            connection_timeout=3.0,
            connection_acquisition_timeout=5.0,
            # Deadlocks between writes that lock the same entities are retried, within a bound.
            max_transaction_retry_time=10.0,
            liveness_check_timeout=5.0,
            notifications_min_severity="OFF",
        )
        return cls(driver=driver, database=location.database, timeout=timeout)

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
        try:
            async with self.driver.session(database=self.database) as session:
                return await session.execute_write(bounded)
        except Exception as error:
            raise translate_error(error) from error

    async def autocommit(self, cypher: LiteralString, params: dict[str, Any] | None = None) -> None:
        """Run in an implicit transaction (what `CALL { ... } IN TRANSACTIONS` needs)."""
        _record(cypher)
        try:
            async with self.driver.session(database=self.database) as session:
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
            async with self.driver.session(
                database=self.database, default_access_mode=READ_ACCESS
            ) as session:
                result = await session.run(Query(cypher, timeout=self.timeout), params or {})
                async for record in result:
                    yield record.data()
        except Exception as error:
            raise translate_error(error) from error

    async def ping(self) -> None:
        await self._execute("RETURN 1 AS ok", {}, RoutingControl.READ, timeout=3.0)

    async def _execute(
        self,
        cypher: LiteralString,
        params: dict[str, Any],
        routing: RoutingControl,
        timeout: float | None = None,
    ) -> list[dict[str, Any]]:
        _record(cypher)
        try:
            records, _, _ = await self.driver.execute_query(
                Query(cypher, timeout=timeout or self.timeout),
                params,
                database_=self.database,
                routing_=routing,
            )
        except Exception as error:
            raise translate_error(error) from error
        return [record.data() for record in records]
