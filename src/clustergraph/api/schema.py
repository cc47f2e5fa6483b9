"""The Strawberry schema: one source of truth, exported as SDL to schema/schema.graphql."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableIntrospection, MaxTokensLimiter, QueryDepthLimiter
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from clustergraph.api.errors import ErrorCodes
from clustergraph.api.extensions import BumpGraphVersionAfterMutations, CypherQueryCount, OperationRecord
from clustergraph.api.fast_path import FastPathExecutionContext
from clustergraph.api.history import HistoryQuery
from clustergraph.api.limits import MaxAliases, MaxCost, QuerySizeLimiter
from clustergraph.api.mutation import Mutation
from clustergraph.api.permissions import ReadAccess
from clustergraph.api.query import Query
from clustergraph.api.subscription import Subscription, WakeLiveFeed
from clustergraph.api.types import ENTITY_TYPES
from clustergraph.settings import Settings, get_settings


def read_field(obj: Any, name: str) -> Any:
    """Results are the dicts Cypher returned, or small Python objects."""
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


class ClusterSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        # Strawberry logs every error with its trace and the query text; the client's own
        # mistakes are not worth a log line, and ErrorCodes logs the unexpected ones.
        return None


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    settings = settings or get_settings()
    return ClusterSchema(
        query=merge_types("Query", (Query, HistoryQuery)),
        mutation=Mutation,
        subscription=Subscription,
        types=ENTITY_TYPES,
        execution_context_class=FastPathExecutionContext if settings.fast_path else None,
        config=StrawberryConfig(
            default_resolver=read_field,
            batching_config={"max_operations": settings.max_batch_operations},
        ),
        extensions=[
            OperationRecord,
            ErrorCodes,
            ReadAccess,
            # Cheapest first: size before parsing, tokens while parsing, then the document's shape.
            lambda: QuerySizeLimiter(max_bytes=settings.max_query_bytes),
            lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
            lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
            lambda: MaxAliases(max_aliases=settings.max_aliases),
            lambda: MaxCost(
                max_cost=settings.max_query_cost,
                hop_cost=settings.hop_cost,
                max_hops=settings.max_hops,
                max_page=max(settings.max_page_size, settings.max_neighbourhood_limit, settings.max_paths),
            ),
            CypherQueryCount,
            BumpGraphVersionAfterMutations,
            WakeLiveFeed,
            # Production can hide the schema (GraphiQL then has no completion).
            *([] if settings.introspection else [DisableIntrospection]),
        ],
    )


def sdl() -> str:
    return build_schema().as_str() + "\n"
