"""The `Subscription` root: live changes of entities and relationships, from the change log.

Each event is one `Change` of the log with its sequence number; a client that lost its
connection subscribes again with `since` set to the last number it received and gets
every change after it, then the live ones.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass
from typing import Annotated

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.scalars import JSON
from strawberry.types import Info
from strawberry.types.graphql import OperationType

from clustergraph.client_address import client_address
from clustergraph.cypher.changelog import LAST_SEQ
from clustergraph.errors import (
    BadUserInput,
    ClusterGraphError,
    FeedUnavailable,
    GraphUnavailable,
    QueryTimeout,
    SlowConsumer,
    to_graphql_error,
)
from clustergraph.execution.context import Context
from clustergraph.execution.policies import reads_refused
from clustergraph.live.bounds import SLOW_CONSUMER, AddressBound
from clustergraph.live.feed import ChangeEvent, ChangeFeed
from clustergraph.live.filters import ChangeFilter, EntityFilter, RelationshipFilter, values_of
from clustergraph.model import Kind
from clustergraph.schema.types import EntityKind, RelationshipType


@strawberry.type
class LiveQuery:
    @strawberry.field(
        description="The sequence number of the newest change committed (0 before any). Read it before "
        "reading what you show, then subscribe with `since` set to it: every change after what you "
        "read reaches you, even one committed while the subscription was being set up."
    )
    async def last_change(self, info: Info[Context, None]) -> int:
        return int((await info.context.graph.read(LAST_SEQ))[0]["last"])


@strawberry.type(description="One change of the graph, as the change log recorded it.")
class LiveChange:
    sequence: int = strawberry.field(
        description="Its number in the log: strictly increasing in commit order across the graph. "
        "Subscribe with `since` set to the last one received to resume without a gap."
    )
    at: str = strawberry.field(description="When, as an ISO 8601 date-time (UTC).")
    action: str = strawberry.field(
        description="What was done: create, update, delete, merge, link or unlink."
    )
    actor_role: str = strawberry.field(
        description="The writer's role: editor or admin, or system for the operator's own imports."
    )
    actor: str | None = strawberry.field(
        description="Who wrote it (as in `history`); null unless the subscriber has a credential."
    )
    key: str = strawberry.field(description="The entity changed (for a link, its start).")
    keys: list[str] = strawberry.field(description="Every entity the change touched.")
    kind: EntityKind | None = strawberry.field(  # type: ignore[valid-type]
        description="The kind of the entity `key` names."
    )
    before: JSON | None = strawberry.field(description="The state before (null for a creation).")
    after: JSON | None = strawberry.field(description="The state after (null for a deletion).")
    sources: list[str] = strawberry.field(description="Keys of the sources that back the change.")


def live_change(event: ChangeEvent, named: bool) -> LiveChange:
    return LiveChange(
        sequence=event.seq,
        at=event.at,
        action=event.action,
        actor_role=event.actor_role,
        actor=event.actor if named else None,
        key=event.key,
        keys=event.keys,
        kind=Kind(event.kind) if event.kind is not None and event.kind in Kind._value2member_map_ else None,
        before=event.before,
        after=event.after,
        sources=event.sources,
    )


@dataclass(frozen=True, slots=True)
class Admission:
    """A subscription let in: who may see what, and the address slot it holds until it ends."""

    named: bool
    address: str


def admit(context: Context, since: int | None) -> Admission:
    """Checks a subscription may start and takes its address's slot; the GraphQL error if not."""
    try:
        if since is not None and since < 0:
            raise BadUserInput(f"`since` must be 0 or a sequence number received before, not {since}")
        refused = reads_refused(context)  # the read access policy, as queries meet it
        if refused is not None:
            raise refused
        address = client_address(context.request.scope)
        addresses: AddressBound = context.request.app.state.live_addresses
        addresses.acquire(address)
    except ClusterGraphError as error:  # a bad `since`, a refused reader, a full address bound
        raise to_graphql_error(error) from None
    # Who wrote a change is shown as in `history`: to callers with a credential only.
    return Admission(named=context.identity is not None, address=address)


def release(context: Context, admission: Admission) -> None:
    addresses: AddressBound = context.request.app.state.live_addresses
    addresses.release(admission.address)


def unavailable() -> GraphQLError:
    return to_graphql_error(FeedUnavailable())


async def _stream(
    info: Info[Context, None], since: int | None, wanted: ChangeFilter
) -> AsyncGenerator[LiveChange, None]:
    """The events of one subscription run by graphql-core's executor (SSE, and what the WebSocket
    fast path in `http/live_ws.py` leaves to it)."""
    context = info.context
    admission = admit(context, since)
    feed: ChangeFeed = context.request.app.state.live_feed
    connection = context.live_connection
    if connection is not None:
        connection.started()
    try:
        async for event in feed.events(since):
            if wanted.wanted(event):
                yield live_change(event, admission.named)
    except (GraphUnavailable, QueryTimeout):
        raise unavailable() from None
    except SlowConsumer as behind:
        if connection is not None:
            await connection.close(SLOW_CONSUMER, "slow consumer: resume with since")
        raise to_graphql_error(behind) from None
    finally:
        release(context, admission)
        if connection is not None:
            connection.ended()


_KEYS = "Only changes that touch one of these keys (`keys` of the change). Null: any; empty: none."
_SINCE = (
    "Replay first every matching change numbered after this `sequence` (0: the whole log), then the live "
    "ones. Null: live changes only. Negative: BAD_USER_INPUT."
)
Since = Annotated[int | None, strawberry.argument(description=_SINCE)]


@strawberry.type(
    description="Live changes from the change log, over WebSocket (graphql-transport-ws) or server-sent events. "
    "Errors end the stream with "
    "`extensions.code`: BAD_USER_INPUT, UNAUTHENTICATED or FORBIDDEN (where reads are private), "
    "TOO_MANY_SUBSCRIPTIONS (per connection or per address), SLOW_CONSUMER (resume with `since`), SERVICE_UNAVAILABLE. "
    "Past the bound on open streams, a WebSocket is closed with 1013 (try again later) and an event stream "
    "is answered 429 or 503 with TOO_MANY_STREAMS."
)
class Subscription:
    @strawberry.subscription(
        description="Changes of entities (create, update, delete, merge) as they commit, oldest first. "
        "Filters combine with AND; an omitted filter matches all. `since`: first replay every "
        "matching change numbered after it."
    )
    async def entity_changed(
        self,
        info: Info[Context, None],
        keys: Annotated[list[str] | None, strawberry.argument(description=_KEYS)] = None,
        kinds: Annotated[
            list[EntityKind] | None,  # type: ignore[valid-type]
            strawberry.argument(
                description="Only changes of entities of these kinds. Null: any; empty: none."
            ),
        ] = None,
        countries: Annotated[
            list[str] | None,
            strawberry.argument(
                description="Only changes of entities whose country, before or after, is one of these ISO "
                "3166-1 alpha-2 codes. Null: any; empty: none."
            ),
        ] = None,
        since: Since = None,
    ) -> AsyncGenerator[LiveChange, None]:
        wanted = EntityFilter(values_of(keys), values_of(kinds), values_of(countries))
        async for change in _stream(info, since, wanted):
            yield change

    @strawberry.subscription(
        description="Changes of relationships (link, unlink) as they commit, oldest first. `keys` "
        "matches either end. `since`: first replay every matching change numbered after it."
    )
    async def relationship_changed(
        self,
        info: Info[Context, None],
        keys: Annotated[list[str] | None, strawberry.argument(description=_KEYS)] = None,
        types: Annotated[
            list[RelationshipType] | None,
            strawberry.argument(
                description="Only changes of relationships of these types. Null: any; empty: none."
            ),
        ] = None,
        since: Since = None,
    ) -> AsyncGenerator[LiveChange, None]:
        wanted = RelationshipFilter(values_of(keys), values_of(types))
        async for change in _stream(info, since, wanted):
            yield change


class WakeLiveFeed(SchemaExtension):
    """After a mutation committed here, this process's feed reads the log at once (not at its next poll)."""

    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context
        if context.operation_type is not OperationType.MUTATION or context.result is None:
            return
        if any(value is not None for value in (context.result.data or {}).values()):
            feed: ChangeFeed | None = getattr(context.context.request.app.state, "live_feed", None)
            if feed is not None:
                feed.wake()
