"""The Strawberry schema: one source of truth, exported as SDL to schema/schema.graphql."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.extensions import MaxTokensLimiter, QueryDepthLimiter
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from clustergraph.api.errors import ErrorCodes
from clustergraph.api.extensions import BumpGraphVersionAfterMutations, CypherQueryCount
from clustergraph.api.history import HistoryQuery
from clustergraph.api.mutation import Mutation
from clustergraph.api.permissions import ReadAccess
from clustergraph.api.query import Query
from clustergraph.api.types import ENTITY_TYPES
from clustergraph.settings import Settings, get_settings


def read_field(obj: Any, name: str) -> Any:
    """Results are the dicts Cypher returned, or small Python objects."""
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    settings = settings or get_settings()
    return strawberry.Schema(
        query=merge_types("Query", (Query, HistoryQuery)),
        mutation=Mutation,
        types=ENTITY_TYPES,
        config=StrawberryConfig(default_resolver=read_field),
        extensions=[
            ErrorCodes,
            ReadAccess,
            lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
            lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
            CypherQueryCount,
            BumpGraphVersionAfterMutations,
        ],
    )


def sdl() -> str:
    return build_schema().as_str() + "\n"
