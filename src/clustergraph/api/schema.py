"""The Strawberry schema: one source of truth, exported as SDL to schema/schema.graphql."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig

from clustergraph.api.errors import ErrorCodes
from clustergraph.api.extensions import CypherQueryCount
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
    # The depth rule is built once: ValidationCache keys on the rules, so a rule made
    # anew per request would never hit the cache. Validating a document costs more than
    # executing a small answer. (Strawberry's ParserCache is left out: a document over the
    # token bound then fails outside the error handling that names it QUERY_TOO_COMPLEX.)
    depth_rule = QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules[0]
    return strawberry.Schema(
        query=Query,
        types=ENTITY_TYPES,
        config=StrawberryConfig(default_resolver=read_field),
        extensions=[
            ErrorCodes,
            lambda: AddValidationRules([depth_rule]),
            lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
            lambda: ValidationCache(maxsize=256),
            CypherQueryCount,
        ],
    )


def sdl() -> str:
    return build_schema().as_str() + "\n"
