"""The `history` root field: who changed an entity, when, and what it was before and after,
as a connection paged by cursors through the whole change log of the entity."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from clustergraph.curation.history import entity_history
from clustergraph.execution.context import Context
from clustergraph.execution.permissions import IsReader
from clustergraph.schema import docs
from clustergraph.schema.types import PageInfo
from clustergraph.translate.cursors import decode_change_cursor, encode_change_cursor
from clustergraph.translate.plan import DEFAULT_PAGE_SIZE, BadInput


@strawberry.type(description="One recorded write.")
class Change:
    id: strawberry.ID = strawberry.field(description="The record's id (a deletion's `changeId`).")
    at: str = strawberry.field(description=docs.AT)
    actor: str = strawberry.field(description=f"Who: {docs.ACTOR}")
    action: str = strawberry.field(
        description="What was done: create, update, delete, link, unlink or merge."
    )
    key: str = strawberry.field(
        description="The entity changed (for a link, its start; for a merge, the kept one)."
    )
    keys: list[str] = strawberry.field(description="Every entity the change touched.")
    before: JSON | None = strawberry.field(description="The state before (null for a creation).")
    after: JSON | None = strawberry.field(description="The state after (null for a deletion).")
    sources: list[str] = strawberry.field(description="Keys of the sources that back the change.")


@strawberry.type(description="One change of an entity's history.")
class ChangeEdge:
    cursor: str = strawberry.field(
        description="This change's place in the change log: pass it as `after` to read the older changes."
    )
    node: Change = strawberry.field(description="The change.")


@strawberry.type(description="A page of an entity's changes, newest first.")
class ChangeConnection:
    page_info: PageInfo = strawberry.field(
        description=f"{docs.PAGE_INFO} `hasNextPage`: older changes follow this page."
    )
    edges: list[ChangeEdge] = strawberry.field(
        description="This page's changes with their cursors, newest first."
    )
    nodes: list[Change] = strawberry.field(description="This page's changes alone, in the order of `edges`.")


_AFTER = (
    "Go on with the changes older than the one with this cursor (an edge's `cursor` or "
    "`pageInfo.endCursor` of a `history` page); null: from the newest. Any other string: BAD_USER_INPUT."
)


def _page_size(first: int | None, bound: int) -> int:
    size = DEFAULT_PAGE_SIZE if first is None else first
    if not 0 <= size <= bound:
        raise BadInput(f"`first` must be between 0 and {bound}, not {size}")
    return size


def _before(after: str | None) -> int | None:
    if after is None:
        return None
    seq = decode_change_cursor(after)
    if seq is None:
        raise BadInput(f"`after` is not a cursor of `history`: {after!r}")
    return seq


def _connection(changes: list[dict[str, Any]], has_next: bool, after: int | None) -> ChangeConnection:
    edges = [ChangeEdge(cursor=encode_change_cursor(row.pop("seq")), node=Change(**row)) for row in changes]
    page_info = PageInfo(
        has_next_page=has_next,
        has_previous_page=after is not None,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return ChangeConnection(page_info=page_info, edges=edges, nodes=[edge.node for edge in edges])


@strawberry.type
class HistoryQuery:
    @strawberry.field(
        permission_classes=[IsReader],
        description="The changes of an entity, newest first, page by page through its whole change log; "
        "a merged key gives the kept entity's history, with the changes made under every key merged into it. "
        "Needs a credential (reader role or above): history names who wrote each change.",
    )
    async def history(
        self,
        info: Info[Context, None],
        key: Annotated[
            str, strawberry.argument(description=f"{docs.KEY} A key nothing was written to: no edges.")
        ],
        first: docs.First = DEFAULT_PAGE_SIZE,
        after: Annotated[str | None, strawberry.argument(description=_AFTER)] = None,
    ) -> ChangeConnection:
        size = _page_size(first, info.context.settings.max_page_size)
        before = _before(after)
        page = await entity_history(info.context.graph, key, size, before)
        return _connection(page.changes, page.has_next, before)
