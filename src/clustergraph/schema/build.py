"""The Strawberry schema: one source of truth, exported as SDL to schema/schema.graphql."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig

from clustergraph.execution.bind import coerce_variables, request_of
from clustergraph.execution.compile import DocumentCache
from clustergraph.execution.cost import operation_cost
from clustergraph.execution.errors import ErrorCodes
from clustergraph.execution.extensions import BumpGraphVersionAfterMutations
from clustergraph.execution.limits import cost_rules, document_cache
from clustergraph.execution.policies import CompiledDocuments, OperationRecord, QueryCount, ReadAccess
from clustergraph.schema import docs
from clustergraph.schema.field_model import field_model
from clustergraph.schema.history import HistoryQuery
from clustergraph.schema.ingest import IngestMutation, IngestQuery
from clustergraph.schema.mutation import Mutation
from clustergraph.schema.query import Query
from clustergraph.schema.subscription import LiveQuery, Subscription, WakeLiveFeed
from clustergraph.schema.types import ENTITY_TYPES
from clustergraph.settings import Settings, get_settings


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
            # The request policies (execution/policies.py), in their order: the bounds (once per
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


def query_cost(text: str, variables: dict[str, Any] | None = None, settings: Settings | None = None) -> int:
    """The cost of a document's operation (what the cost bound refuses past its limit), for tests and tools."""
    settings = settings or Settings()
    schema = build_schema(settings)
    compiled = schema.documents.compile(text)
    assert compiled.ok and compiled.operation is not None, compiled.errors
    bound = coerce_variables(schema._schema, compiled.operation, variables)
    assert not isinstance(bound, list), bound
    root = schema._schema.get_root_type(compiled.operation.operation)
    assert root is not None
    request = request_of(compiled, schema.documents, bound)
    return operation_cost(request, root, compiled.operation.selection_set, cost_rules(settings))
