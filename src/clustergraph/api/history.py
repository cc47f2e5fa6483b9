"""The `history` root field: who changed an entity, when, and what it was before and after."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from clustergraph.api import docs
from clustergraph.api.context import Context
from clustergraph.api.permissions import IsReader
from clustergraph.curation.history import entity_history
from clustergraph.translate.plan import BadInput


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


@strawberry.type
class HistoryQuery:
    @strawberry.field(
        permission_classes=[IsReader],
        description="The changes of an entity, newest first; a merged key gives the kept entity's history. "
        "Needs a credential (reader role or above): history names who wrote each change.",
    )
    async def history(
        self,
        info: Info[Context, None],
        key: Annotated[str, strawberry.argument(description=f"{docs.KEY} A key nothing was written to: [].")],
        first: Annotated[
            int,
            strawberry.argument(description=f"How many changes, newest first: {docs.bounded('max_history')}"),
        ] = 50,
    ) -> list[Change]:
        limit = info.context.settings.max_history
        if not 1 <= first <= limit:
            raise BadInput(f"`first` must be between 1 and {limit}, not {first}")
        rows = await entity_history(info.context.graph, key, first)
        return [Change(**row) for row in rows]
