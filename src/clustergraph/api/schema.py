"""The Strawberry schema: one source of truth, exported as SDL to schema/schema.graphql."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from clustergraph.api.errors import ErrorCodes
from clustergraph.api.extensions import BumpGraphVersionAfterMutations, CypherQueryCount, OperationRecord
from clustergraph.api.history import HistoryQuery
from clustergraph.api.ingest import IngestMutation, IngestQuery
from clustergraph.api.limits import CompiledDocuments, QuerySizeLimiter, document_cache
from clustergraph.api.mutation import Mutation
from clustergraph.api.permissions import ReadAccess
from clustergraph.api.query import Query
from clustergraph.api.subscription import LiveQuery, Subscription, WakeLiveFeed
from clustergraph.api.types import ENTITY_TYPES
from clustergraph.settings import Settings, get_settings
from clustergraph.translate.compile import DocumentCache


def read_field(obj: Any, name: str) -> Any:
    """Results are the dicts Cypher returned, or small Python objects."""
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


@strawberry.type(
    name="Mutation",
    description="Curating the graph. Editors create, update and link; admins also delete and merge. "
    "Editors also ingest articles and accept, edit or reject what they propose.",
)
class AllMutations(Mutation, IngestMutation):
    """Curation and ingestion, under one root type."""


class ClusterSchema(strawberry.Schema):
    # Parsed and validated documents, shared by graphql-core's executor and the compiled path.
    documents: DocumentCache

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        # Strawberry logs every error with its trace and the query text; the client's own
        # mistakes are not worth a log line, and ErrorCodes logs the unexpected ones.
        return None


def build_schema(settings: Settings | None = None) -> ClusterSchema:
    settings = settings or get_settings()
    schema = ClusterSchema(
        query=merge_types("Query", (Query, HistoryQuery, IngestQuery, LiveQuery)),
        mutation=AllMutations,
        subscription=Subscription,
        types=ENTITY_TYPES,
        config=StrawberryConfig(
            default_resolver=read_field,
            batching_config={"max_operations": settings.max_batch_operations},
        ),
        extensions=[
            OperationRecord,
            ErrorCodes,
            ReadAccess,
            # Cheapest first: size before parsing; then tokens, depth, aliases (compiled once
            # per document) and the cost (with the request's variables).
            lambda: QuerySizeLimiter(max_bytes=settings.max_query_bytes),
            lambda: CompiledDocuments(lambda: schema.documents, settings),
            CypherQueryCount,
            BumpGraphVersionAfterMutations,
            WakeLiveFeed,
        ],
    )
    schema.documents = document_cache(schema._schema, settings)
    return schema


def sdl() -> str:
    return build_schema().as_str() + "\n"
