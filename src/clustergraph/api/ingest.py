"""Ingesting articles and reviewing what they propose: `ingestArticle`, `proposals`, `article`,
`acceptProposal`, `editProposal`, `rejectProposal`. Editors only: proposals are not yet facts."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from clustergraph.api.context import Context
from clustergraph.api.permissions import IsEditor
from clustergraph.curation.validate import InvalidInput
from clustergraph.ingest import document, review, store
from clustergraph.ingest.addresses import parse_networks


@strawberry.enum(description="Where a proposal stands.")
class ProposalStatus(Enum):
    OPEN = "OPEN"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"


@strawberry.type(
    description="A fact an article proposes: a new entity or a relationship between linked ones."
)
class Proposal:
    id: strawberry.ID
    status: ProposalStatus
    kind: str = strawberry.field(description="`entity` or `relationship`.")
    article: str = strawberry.field(description="The key of the article's Source.")
    entity_kind: str | None = strawberry.field(description="For an entity: its kind, guessed from cue words.")
    name: str | None
    key: str | None = strawberry.field(description="For an entity: the key it gets when accepted.")
    rel: str | None = strawberry.field(description="For a relationship: its type.")
    from_: str | None = strawberry.field(name="from")
    to: str | None
    properties: JSON
    sentence: str = strawberry.field(description="The sentence it came from.")
    start: int = strawberry.field(description="Character offset in the article's text where its span starts.")
    end: int = strawberry.field(description="Character offset where its span ends (exclusive).")
    text: str = strawberry.field(description="The span's text.")
    confidence: float
    created_by: str
    created_at: str
    edited_by: str | None
    decided_by: str | None = strawberry.field(description="Who accepted or rejected it.")
    decided_at: str | None
    reason: str | None = strawberry.field(description="Why it was rejected, as the curator said.")
    result: str | None = strawberry.field(
        description="Accepted: the entity created, or the relationship's start."
    )
    change_id: str | None = strawberry.field(description="Accepted: the history record of the fact.")


@strawberry.type(description="An entity found in an article, with the span it was found at.")
class ArticleLink:
    key: str
    kind: str
    name: str
    start: int
    end: int
    text: str
    score: float
    via: str = strawberry.field(description="name, fuzzy, reference (a word such as 'projekt') or composite.")


@strawberry.type(description="An ingested article: its text, the entities it links and its proposals.")
class Article:
    key: str = strawberry.field(description="The key of its Source entity.")
    title: str
    url: str | None
    language: str
    date: str | None
    text: str
    links: list[ArticleLink]
    ingested_by: str
    ingested_at: str

    @strawberry.field(description="Its proposals, in the order of the text.")
    async def proposals(
        self, info: Info[Context, None], status: ProposalStatus | None = None
    ) -> list[Proposal]:
        rows = await review.list_proposals(
            info.context.graph, status.value if status else None, self.key, 1000
        )
        return [_proposal(r) for r in rows]


@strawberry.type(description="What an ingestion wrote.")
class IngestResult:
    article: Article
    created_source: bool = strawberry.field(description="False when the article had been ingested before.")
    proposals_created: int
    proposals_known: int = strawberry.field(
        description="Proposals an earlier ingestion made already (open, accepted or rejected): not made again."
    )


def _proposal(row: dict[str, Any]) -> Proposal:
    return Proposal(
        id=strawberry.ID(row["id"]),
        status=ProposalStatus(row["status"]),
        kind=row["kind"],
        article=row["article"],
        entity_kind=row["entityKind"],
        name=row["name"],
        key=row["key"],
        rel=row["rel"],
        from_=row["from"],
        to=row["to"],
        properties=row["properties"],
        sentence=row["sentence"],
        start=row["start"],
        end=row["end"],
        text=row["text"],
        confidence=row["confidence"],
        created_by=row["createdBy"],
        created_at=row["createdAt"],
        edited_by=row["editedBy"],
        decided_by=row["decidedBy"],
        decided_at=row["decidedAt"],
        reason=row["reason"],
        result=row["result"],
        change_id=row["changeId"],
    )


def _article(row: dict[str, Any]) -> Article:
    return Article(
        key=row["key"],
        title=row["title"],
        url=row["url"],
        language=row["language"],
        date=row["date"],
        text=row["text"],
        links=[ArticleLink(**link) for link in row["links"]],
        ingested_by=row["ingestedBy"],
        ingested_at=row["ingestedAt"],
    )


@strawberry.input(description="Changes to a proposal: only what is given changes.")
class ProposalEdit:
    name: str | None = None
    key: str | None = None
    entity_kind: str | None = None
    rel: str | None = None
    from_: str | None = strawberry.field(default=None, name="from")
    to: str | None = None
    properties: JSON | None = None


def _edit(edit: ProposalEdit | None) -> dict[str, Any]:
    if edit is None:
        return {}
    fields = {
        "name": edit.name,
        "key": edit.key,
        "entityKind": edit.entity_kind,
        "rel": edit.rel,
        "from": edit.from_,
        "to": edit.to,
        "properties": edit.properties,
    }
    return {k: v for k, v in fields.items() if v is not None}


@strawberry.type
class IngestQuery:
    @strawberry.field(
        permission_classes=[IsEditor], description="Proposals to review, in the order of the text."
    )
    async def proposals(
        self,
        info: Info[Context, None],
        status: ProposalStatus | None = ProposalStatus.OPEN,
        article: str | None = None,
        first: int = 100,
    ) -> list[Proposal]:
        if not 1 <= first <= 1000:
            raise InvalidInput("first", f"must be between 1 and 1000, not {first}")
        rows = await review.list_proposals(
            info.context.graph, status.value if status else None, article, first
        )
        return [_proposal(r) for r in rows]

    @strawberry.field(permission_classes=[IsEditor], description="An ingested article, by its Source's key.")
    async def article(self, info: Info[Context, None], key: str) -> Article | None:
        row = await review.article(info.context.graph, key)
        return None if row is None else _article(row)


@strawberry.type
class IngestMutation:
    @strawberry.mutation(
        permission_classes=[IsEditor],
        description="Read an article (fetched from `url`, or given as `content`: HTML or text), link what it "
        "mentions and propose what the graph lacks. The article becomes a Source; nothing else becomes a fact.",
    )
    async def ingest_article(
        self, info: Info[Context, None], url: str | None = None, content: str | None = None
    ) -> IngestResult:
        ctx = info.context
        if content is not None:
            article = document.parse(content.encode(), "the content", url=url)
        elif url is not None:
            guard = parse_networks(ctx.settings.ingest_allowed_networks)
            body, media_type = await document.fetch(url, guard=guard)
            article = document.parse(body, url, url=url, media_type=media_type)
        else:
            raise InvalidInput("url", "give the article's `url` or its `content`")
        done = await store.ingest(ctx.graph, ctx.actor, article)
        row = await review.article(ctx.graph, done.source)
        assert row is not None  # written just now
        return IngestResult(
            article=_article(row),
            created_source=done.created_source,
            proposals_created=done.proposals_created,
            proposals_known=done.proposals_known,
        )

    @strawberry.mutation(
        permission_classes=[IsEditor],
        description="Make a proposal a fact through the ordinary curation path (history; the article as source).",
    )
    async def accept_proposal(
        self, info: Info[Context, None], id: strawberry.ID, edit: ProposalEdit | None = None
    ) -> Proposal:
        ctx = info.context
        return _proposal(await review.accept(ctx.graph, ctx.actor, str(id), _edit(edit)))

    @strawberry.mutation(
        permission_classes=[IsEditor], description="Change an open proposal before deciding."
    )
    async def edit_proposal(
        self, info: Info[Context, None], id: strawberry.ID, edit: ProposalEdit
    ) -> Proposal:
        ctx = info.context
        return _proposal(await review.edit_proposal(ctx.graph, ctx.actor, str(id), _edit(edit)))

    @strawberry.mutation(
        permission_classes=[IsEditor],
        description="Reject a proposal: it is kept, with who rejected it, and not proposed again for the article.",
    )
    async def reject_proposal(
        self, info: Info[Context, None], id: strawberry.ID, reason: str | None = None
    ) -> Proposal:
        ctx = info.context
        return _proposal(await review.reject(ctx.graph, ctx.actor, str(id), reason))
