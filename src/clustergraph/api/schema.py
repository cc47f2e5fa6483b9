"""The Strawberry schema: one source of truth, exported as SDL to schema/schema.graphql."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig

from clustergraph.api import docs
from clustergraph.api.errors import ErrorCodes
from clustergraph.api.extensions import BumpGraphVersionAfterMutations
from clustergraph.api.field_model import field_model
from clustergraph.api.history import HistoryQuery
from clustergraph.api.ingest import IngestMutation, IngestQuery
from clustergraph.api.limits import document_cache
from clustergraph.api.mutation import Mutation
from clustergraph.api.policies import CompiledDocuments, OperationRecord, QueryCount, ReadAccess
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


@strawberry.type(name="Query", description=docs.QUERY)
class AllQueries(Query, HistoryQuery, IngestQuery, LiveQuery):
    """Reading, history, review and the change log's position, under one root type."""


@strawberry.type(name="Mutation", description=docs.MUTATION)
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
        query=AllQueries,
        mutation=AllMutations,
        subscription=Subscription,
        types=ENTITY_TYPES,
        config=StrawberryConfig(
            default_resolver=read_field,
            batching_config={"max_operations": settings.max_batch_operations},
        ),
        extensions=[
            # The request policies (api/policies.py), in their order: the bounds (once per
            # document), the variables and the cost, then read access.
            OperationRecord,
            ErrorCodes,
            lambda: CompiledDocuments(lambda: schema.documents, settings),
            ReadAccess,
            QueryCount,
            BumpGraphVersionAfterMutations,
            WakeLiveFeed,
        ],
    )
    graphql_schema = schema._schema
    schema.documents = document_cache(graphql_schema, field_model(schema, graphql_schema), settings)
    return schema


def sdl() -> str:
    return build_schema().as_str() + "\n"
