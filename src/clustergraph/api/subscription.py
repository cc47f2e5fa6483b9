"""The `Subscription` root: live changes of entities and relationships, from the change log.

Each event is one `Change` of the log with its sequence number; a client that lost its
connection subscribes again with `since` set to the last number it received and gets
every change after it, then the live ones.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable
from enum import Enum
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.scalars import JSON
from strawberry.types import Info
from strawberry.types.graphql import OperationType

from clustergraph.api.context import Context
from clustergraph.api.permissions import require
from clustergraph.api.types import EntityKind, RelationshipType
from clustergraph.auth.identity import Forbidden, Role, Unauthenticated
from clustergraph.cypher.changelog import LAST_SEQ
from clustergraph.db import GraphUnavailable, QueryTimeout
from clustergraph.live.bounds import SLOW_CONSUMER, AddressBound, TooManySubscriptions
from clustergraph.live.feed import ChangeEvent, ChangeFeed, SlowConsumer
from clustergraph.model import Kind

ENTITY_ACTIONS = frozenset({"create", "update", "delete", "merge"})
RELATIONSHIP_ACTIONS = frozenset({"link", "unlink"})


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


def _live_change(event: ChangeEvent, named: bool) -> LiveChange:
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


def _error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


def _country(state: Any) -> str | None:
    if not isinstance(state, dict):
        return None
    # A deletion's `before` holds the entity's properties under `properties`.
    return state.get("country") or (state.get("properties") or {}).get("country")


def _relationship_type(state: Any) -> str | None:
    return state.get("type") if isinstance(state, dict) else None


async def _stream(
    info: Info[Context, None], since: int | None, wanted: Callable[[ChangeEvent], bool]
) -> AsyncGenerator[LiveChange, None]:
    context = info.context
    if since is not None and since < 0:
        raise _error(f"`since` must be 0 or a sequence number received before, not {since}", "BAD_USER_INPUT")
    try:
        if not context.settings.public_reads:
            require(context, Role.READER)
    except (Unauthenticated, Forbidden) as error:
        code = "UNAUTHENTICATED" if isinstance(error, Unauthenticated) else "FORBIDDEN"
        raise _error(str(error), code) from None
    # Who wrote a change is shown as in `history`: to callers with a credential only.
    named = context.identity is not None
    feed: ChangeFeed = context.request.app.state.live_feed
    connection = context.live_connection
    address = context.request.client.host if context.request.client else "unknown"
    addresses: AddressBound = context.request.app.state.live_addresses
    try:
        addresses.acquire(address)
    except TooManySubscriptions as error:
        raise _error(str(error), "TOO_MANY_SUBSCRIPTIONS") from None
    if connection is not None:
        connection.started()
    try:
        async for event in feed.events(since):
            if wanted(event):
                yield _live_change(event, named)
    except (GraphUnavailable, QueryTimeout):
        raise _error(
            "The graph database is unavailable; resume with `since` shortly.", "SERVICE_UNAVAILABLE"
        ) from None
    except SlowConsumer as behind:
        message = f"events arrived faster than this subscriber read them; resume with since: {behind.args[0]}"
        if connection is not None:
            await connection.close(SLOW_CONSUMER, "slow consumer: resume with since")
        raise _error(message, "SLOW_CONSUMER") from None
    finally:
        addresses.release(address)
        if connection is not None:
            connection.ended()


def _values(items: list[Any] | None) -> set[str] | None:
    if items is None:
        return None
    return {item.value if isinstance(item, Enum) else item for item in items}


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
    "TOO_MANY_SUBSCRIPTIONS (per address), SLOW_CONSUMER (resume with `since`), SERVICE_UNAVAILABLE."
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
        wanted_keys, wanted_kinds, wanted_countries = set(keys or []), _values(kinds), _values(countries)

        def wanted(event: ChangeEvent) -> bool:
            return (
                event.action in ENTITY_ACTIONS
                and (keys is None or bool(wanted_keys.intersection(event.keys)))
                and (wanted_kinds is None or event.kind in wanted_kinds)
                and (
                    wanted_countries is None
                    or bool({_country(event.before), _country(event.after)} & wanted_countries)
                )
            )

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
        wanted_keys, wanted_types = set(keys or []), _values(types)

        def wanted(event: ChangeEvent) -> bool:
            return (
                event.action in RELATIONSHIP_ACTIONS
                and (keys is None or bool(wanted_keys.intersection(event.keys)))
                and (
                    wanted_types is None
                    or bool(
                        {_relationship_type(event.before), _relationship_type(event.after)} & wanted_types
                    )
                )
            )

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
