"""Every GraphQL error leaves with an `extensions.code` and a message fit for the user.

Known failures (bad arguments, Neo4j unavailable, a timed-out query) keep a clear
message; anything unexpected is logged and masked, so no stack trace or Cypher leaks.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from graphql import GraphQLError
from neo4j.exceptions import ConstraintError
from strawberry.extensions import SchemaExtension

from clustergraph.api.bookmarks import BAD_BOOKMARK, UNKNOWN_BOOKMARK
from clustergraph.auth.identity import Forbidden, Unauthenticated
from clustergraph.curation.validate import InvalidInput
from clustergraph.db import BadBookmark, GraphUnavailable, QueryTimeout
from clustergraph.translate.plan import BadInput

log = logging.getLogger("clustergraph.errors")

BAD_USER_INPUT = "BAD_USER_INPUT"
SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
QUERY_TIMEOUT = "QUERY_TIMEOUT"
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
RATE_LIMITED = "RATE_LIMITED"
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
INTERNAL = "INTERNAL_SERVER_ERROR"
UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"

# graphql-core's messages for argument values that do not fit their type.
_BAD_VALUE_HINTS = ("does not exist in", "Expected value of type", "got invalid value", "cannot represent")
# graphql-core names where in a variable a value did not fit:
# "Variable '$input' has invalid value at .kind: Value 'GALAXY' does not exist ...".
_VARIABLE_FIELD = re.compile(r"Variable '\$(\w+)' has invalid value at \.?([\w.\[\]]+):")
_TOO_COMPLEX_HINTS = ("exceeds maximum operation depth", "more than", "tokens")


def classify(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    code = (error.extensions or {}).get("code")
    message = error.message
    extra: dict[str, object] = {}
    if isinstance(original, BadInput):
        code, message = BAD_USER_INPUT, str(original)
        if isinstance(original, InvalidInput):
            extra["field"] = original.field
    elif isinstance(original, ConstraintError):
        # Two writes raced for one key: the later one lost, whole.
        code, message = (
            BAD_USER_INPUT,
            "the change conflicts with the graph (a key is taken); nothing was written",
        )
    elif isinstance(original, Unauthenticated):
        code, message = UNAUTHENTICATED, str(original)
    elif isinstance(original, Forbidden):
        code, message = FORBIDDEN, str(original)
    elif isinstance(original, BadBookmark):
        code, message = BAD_BOOKMARK, UNKNOWN_BOOKMARK
    elif isinstance(original, GraphUnavailable):
        code, message = SERVICE_UNAVAILABLE, "The graph database is unavailable; try again shortly."
    elif isinstance(original, QueryTimeout):
        code, message = QUERY_TIMEOUT, "The query took longer than the service allows; ask for less."
    elif code is None and (original is None or isinstance(original, GraphQLError)):
        # graphql-core's own errors (a variable's value coerced against its type among them).
        code = _code_of_message(message)
        field = _VARIABLE_FIELD.search(message)
        if code == BAD_USER_INPUT and field:
            extra["field"] = f"{field.group(1)}.{field.group(2)}"
        if code == QUERY_TOO_COMPLEX:
            bound = "tokens" if "tokens" in message else "depth"
            extra = {"bound": bound}
    elif code is None:
        log.error("unexpected error in %s", error.path, exc_info=original)
        code, message = INTERNAL, "Internal server error."
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={**(error.extensions or {}), **extra, "code": code},
    )


def _code_of_message(message: str) -> str:
    if message.startswith("Syntax Error"):
        if "tokens" in message:
            return QUERY_TOO_COMPLEX
        return PARSE_FAILED
    if "exceeds maximum operation depth" in message:
        return QUERY_TOO_COMPLEX
    if any(hint in message for hint in _BAD_VALUE_HINTS):
        return BAD_USER_INPUT
    return VALIDATION_FAILED


class ErrorCodes(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [classify(e) for e in result.errors]
