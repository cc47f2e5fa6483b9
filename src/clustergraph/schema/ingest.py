"""Ingesting articles and reviewing what they propose: `ingestArticle`, `proposals`, `article`,
`acceptProposal`, `editProposal`, `rejectProposal`. Editors only: proposals are not yet facts."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from clustergraph.curation.validate import InvalidInput
from clustergraph.execution.context import Context
from clustergraph.execution.permissions import IsEditor
from clustergraph.ingest import bounds, review
from clustergraph.schema import docs
from clustergraph.settings import parse_networks


class ProposalStatus(Enum):
    OPEN = "OPEN"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"


docs.describe_values(
    strawberry.enum(ProposalStatus, description="Where a proposal stands."),
    {
        "OPEN": "Not decided yet: it can be edited, accepted or rejected.",
        "ACCEPTED": "Made a fact (see `result` and `changeId`).",
        "REJECTED": "Turned down (see `reason`); not proposed again for the same article.",
    },
)


_ID = Annotated[
    strawberry.ID, strawberry.argument(description="The proposal's `id`. No such proposal: BAD_USER_INPUT.")
]
_ENTITY_ONLY = "For an entity proposal; null for a relationship."
_RELATIONSHIP_ONLY = "For a relationship proposal; null for an entity."


@strawberry.type(
    description="A fact an article proposes: a new entity or a relationship between linked ones."
)
class Proposal:
    id: strawberry.ID = strawberry.field(
        description="Its id, for `acceptProposal`, `editProposal` and `rejectProposal`."
    )
    status: ProposalStatus = strawberry.field(description="Where it stands.")
    kind: str = strawberry.field(description="`entity` or `relationship`.")
    article: str = strawberry.field(description="The key of the article's Source.")
    entity_kind: str | None = strawberry.field(
        description=f"Its kind (an EntityKind's type name, such as `Cluster`), guessed from cue words. {_ENTITY_ONLY}"
    )
    name: str | None = strawberry.field(description=f"Its name as the article writes it. {_ENTITY_ONLY}")
    key: str | None = strawberry.field(description=f"The key it gets when accepted. {_ENTITY_ONLY}")
    rel: str | None = strawberry.field(description=f"Its type (a RelationshipType). {_RELATIONSHIP_ONLY}")
    from_: str | None = strawberry.field(
        name="from", description=f"Key of the entity it starts at. {_RELATIONSHIP_ONLY}"
    )
    to: str | None = strawberry.field(description=f"Key of the entity it ends at. {_RELATIONSHIP_ONLY}")
    properties: JSON = strawberry.field(
        description="The properties the fact gets when accepted ({} for none)."
    )
    sentence: str = strawberry.field(description="The sentence it came from.")
    start: int = strawberry.field(description="Character offset in the article's text where its span starts.")
    end: int = strawberry.field(description="Character offset where its span ends (exclusive).")
    text: str = strawberry.field(description="The span's text.")
    confidence: float = strawberry.field(
        description="How sure the proposer is, from 0 to 1: higher is surer."
    )
    created_by: str = strawberry.field(description=f"Who ingested the article: {docs.ACTOR}")
    created_at: str = strawberry.field(description=docs.AT)
    edited_by: str | None = strawberry.field(description="Who last edited it; null when nobody has.")
    decided_by: str | None = strawberry.field(description="Who accepted or rejected it; null while OPEN.")
    decided_at: str | None = strawberry.field(
        description="When it was decided, as an ISO 8601 date-time (UTC); null while OPEN."
    )
    reason: str | None = strawberry.field(description="Why it was rejected, as the curator said.")
    result: str | None = strawberry.field(
        description="Accepted: the entity created, or the relationship's start."
    )
    change_id: str | None = strawberry.field(description="Accepted: the history record of the fact.")


@strawberry.type(description="An entity found in an article, with the span it was found at.")
class ArticleLink:
    key: str = strawberry.field(description="The key of the entity found.")
    kind: str = strawberry.field(description="Its kind (an EntityKind's type name, such as `Organisation`).")
    name: str = strawberry.field(description="Its name in the graph.")
    start: int = strawberry.field(description="Character offset in the article's text where the span starts.")
    end: int = strawberry.field(description="Character offset where the span ends (exclusive).")
    text: str = strawberry.field(description="The span's text, as the article writes it (inflected, say).")
    score: float = strawberry.field(
        description="How sure the link is, from 0 to 1: 1 for the name itself, less for a fuzzy match, "
        "a reference or a composite (see `via`)."
    )
    via: str = strawberry.field(
        description="How it was found: `name`, `fuzzy`, `reference` (a word such as 'projekt' for the one "
        "project the article names) or `composite` (a meta-cluster named after a sector it names)."
    )


@strawberry.type(description="An ingested article: its text, the entities it links and its proposals.")
class Article:
    key: str = strawberry.field(description="The key of its Source entity.")
    title: str = strawberry.field(
        description="Its title: the page's (HTML) or the first line (text), else the text's start."
    )
    url: str | None = strawberry.field(
        description="Where it was read from; null for `content` given without a URL."
    )
    language: str = strawberry.field(
        description="Its language, detected from the text: an ISO 639 code such as `pl`."
    )
    date: str | None = strawberry.field(
        description="Its publication date as the page's metadata states it; null when it does not."
    )
    text: str = strawberry.field(
        description="Its main text, which the offsets of `links` and proposals count in."
    )
    links: list[ArticleLink] = strawberry.field(
        description="The entities of the graph it mentions, in the order of the text."
    )
    ingested_by: str = strawberry.field(description=f"Who ingested it: {docs.ACTOR}")
    ingested_at: str = strawberry.field(description=docs.AT)

    @strawberry.field(description="Its proposals, in the order of the text.")
    async def proposals(
        self,
        info: Info[Context, None],
        status: Annotated[
            ProposalStatus | None, strawberry.argument(description="Only proposals in this state; null: all.")
        ] = None,
    ) -> list[Proposal]:
        rows = await review.list_proposals(
            info.context.graph, status.value if status else None, self.key, 1000
        )
        return [_proposal(r) for r in rows]


@strawberry.type(description="What an ingestion wrote.")
class IngestResult:
    article: Article = strawberry.field(description="The article as stored, with its links.")
    created_source: bool = strawberry.field(description="False when the article had been ingested before.")
    proposals_created: int = strawberry.field(description="New proposals made by this ingestion.")
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
    name: str | None = strawberry.field(default=None, description=f"The entity's name. {_ENTITY_ONLY}")
    key: str | None = strawberry.field(default=None, description=f"The key the entity gets. {_ENTITY_ONLY}")
    entity_kind: str | None = strawberry.field(
        default=None, description=f"Its kind as a type name, such as `Cluster`. {_ENTITY_ONLY}"
    )
    rel: str | None = strawberry.field(
        default=None, description=f"The relationship type. {_RELATIONSHIP_ONLY}"
    )
    from_: str | None = strawberry.field(
        default=None, name="from", description=f"Key of the start. {_RELATIONSHIP_ONLY}"
    )
    to: str | None = strawberry.field(default=None, description=f"Key of the end. {_RELATIONSHIP_ONLY}")
    properties: JSON | None = strawberry.field(
        default=None, description="The properties the fact gets, replacing the proposed ones (a JSON object)."
    )


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
        permission_classes=[IsEditor],
        description=f"Proposals to review, by article and then in the order of its text. {docs.EDITOR_ROLE}",
    )
    async def proposals(
        self,
        info: Info[Context, None],
        status: Annotated[
            ProposalStatus | None, strawberry.argument(description="Only proposals in this state; null: all.")
        ] = ProposalStatus.OPEN,
        article: Annotated[
            str | None,
            strawberry.argument(description="Only the proposals of this article (its Source's key)."),
        ] = None,
        first: Annotated[
            int, strawberry.argument(description="How many: 1 to 1000; outside that: BAD_USER_INPUT.")
        ] = 100,
    ) -> list[Proposal]:
        if not 1 <= first <= 1000:
            raise InvalidInput("first", f"must be between 1 and 1000, not {first}")
        rows = await review.list_proposals(
            info.context.graph, status.value if status else None, article, first
        )
        return [_proposal(r) for r in rows]

    @strawberry.field(
        permission_classes=[IsEditor],
        description=f"An ingested article, by its Source's key. {docs.EDITOR_ROLE}",
    )
    async def article(
        self,
        info: Info[Context, None],
        key: Annotated[
            str, strawberry.argument(description="Its Source's key; not an ingested article's: null.")
        ],
    ) -> Article | None:
        row = await review.article(info.context.graph, key)
        return None if row is None else _article(row)


@strawberry.type
class IngestMutation:
    @strawberry.mutation(
        permission_classes=[IsEditor],
        description="Read an article (fetched from `url`, or given as `content`: HTML or text), link what it "
        "mentions and propose what the graph lacks. The article becomes a Source; nothing else becomes a fact. "
        + docs.EDITOR,
    )
    async def ingest_article(
        self,
        info: Info[Context, None],
        url: Annotated[
            str | None,
            strawberry.argument(
                description=f"An http(s) URL to fetch the article from (at most {bounds.MAX_BYTES // 2**20} MB "
                f"in {bounds.FETCH_TIMEOUT:g} s; public addresses only, redirects included, unless the operator "
                "allows more networks), or the URL to record with `content`. A page that cannot be fetched or "
                "read, or has no main text: BAD_USER_INPUT."
            ),
        ] = None,
        content: Annotated[
            str | None,
            strawberry.argument(
                description="The article itself, HTML or plain text, instead of fetching `url`. "
                "Neither given: BAD_USER_INPUT."
            ),
        ] = None,
    ) -> IngestResult:
        # The article libraries load here, on the first ingestion, not to serve reads.
        from clustergraph.ingest import document, store

        ctx = info.context
        if content is not None:
            if url is not None:
                document.http_url(url)  # the URL recorded is one a reader can follow
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
        description="Make an open proposal a fact through the ordinary curation path (history; the article as "
        f"source). One transaction with `edit`: a fact the data model refuses is BAD_USER_INPUT, and the proposal stays open "
        f"and unedited. {docs.EDITOR}",
    )
    async def accept_proposal(
        self,
        info: Info[Context, None],
        id: _ID,
        edit: Annotated[
            ProposalEdit | None, strawberry.argument(description="Changes to make first (as `editProposal`).")
        ] = None,
    ) -> Proposal:
        ctx = info.context
        return _proposal(await review.accept(ctx.graph, ctx.actor, str(id), _edit(edit)))

    @strawberry.mutation(
        permission_classes=[IsEditor],
        description=f"Change an open proposal before deciding; a decided one: BAD_USER_INPUT. {docs.EDITOR}",
    )
    async def edit_proposal(
        self,
        info: Info[Context, None],
        id: _ID,
        edit: Annotated[
            ProposalEdit,
            strawberry.argument(
                description="What to change; a field of the other kind of proposal: BAD_USER_INPUT."
            ),
        ],
    ) -> Proposal:
        ctx = info.context
        return _proposal(await review.edit_proposal(ctx.graph, ctx.actor, str(id), _edit(edit)))

    @strawberry.mutation(
        permission_classes=[IsEditor],
        description="Reject an open proposal: it is kept, with who rejected it, and not proposed again for the "
        f"article. {docs.EDITOR}",
    )
    async def reject_proposal(
        self,
        info: Info[Context, None],
        id: _ID,
        reason: Annotated[
            str | None, strawberry.argument(description="Why, for the record (`reason`).")
        ] = None,
    ) -> Proposal:
        ctx = info.context
        return _proposal(await review.reject(ctx.graph, ctx.actor, str(id), reason))
