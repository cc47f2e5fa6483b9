"""Every GraphQL error leaves with an `extensions.code` and a message fit for the user.

The code comes from the exception's class in the error tree (`clustergraph.errors`, turned
into a GraphQL error by its `to_graphql_error`), or from the stage that made the error
(parser, validation rules, variable coercion: see `execution/limits.py` and `execution/bind.py`,
which tag their errors). Anything unexpected is logged and masked, so no stack trace or
Cypher leaks.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import GraphQLError, GraphQLSyntaxError
from neo4j.exceptions import ConstraintError
from strawberry.extensions import SchemaExtension

from clustergraph.errors import (
    INTERNAL,
    INTERNAL_MESSAGE,
    PARSE_FAILED,
    VALIDATION_FAILED,
    ClusterGraphError,
    WriteConflict,
    to_graphql_error,
)

log = logging.getLogger("clustergraph.errors")

__all__ = ["ErrorCodes", "classify"]


def classify(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if isinstance(original, ConstraintError):
        original = WriteConflict()
    if isinstance(original, ClusterGraphError):
        if type(original) is ClusterGraphError:
            log.error("unexpected error in %s", error.path, exc_info=original)
        return to_graphql_error(original, where=error)
    extensions = dict(error.extensions or {})
    message = error.message
    if "code" in extensions:
        pass  # tagged where it was made
    elif isinstance(error, GraphQLSyntaxError):
        extensions["code"] = PARSE_FAILED
    elif original is None or isinstance(original, GraphQLError):
        # graphql-core's own errors from execution (an unknown operation name, a null in a
        # non-null field): the document and the schema disagree.
        extensions["code"] = VALIDATION_FAILED
    else:
        log.error("unexpected error in %s", error.path, exc_info=original)
        message, extensions = INTERNAL_MESSAGE, {"code": INTERNAL}
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


class ErrorCodes(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [classify(e) for e in result.errors]
