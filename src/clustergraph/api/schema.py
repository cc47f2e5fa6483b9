"""The Strawberry schema: one source of truth, exported as SDL to schema/schema.graphql."""

from __future__ import annotations

import strawberry

from clustergraph.settings import Settings, get_settings


@strawberry.type
class Query:
    @strawberry.field(description="The service's version.")
    def version(self) -> str:
        from clustergraph import __version__

        return __version__


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    settings = settings or get_settings()
    return strawberry.Schema(query=Query)


def sdl() -> str:
    return build_schema().as_str() + "\n"
