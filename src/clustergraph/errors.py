"""Every error the service reports, in one tree; each class carries its `extensions.code` and HTTP status.

Callers raise and catch by type; the GraphQL layer (`api/errors.py`) and the HTTP layer
read `code`, `status` and `extensions()` from the exception itself, never from its text.

    ClusterGraphError                       INTERNAL_SERVER_ERROR   500
    ├── BadUserInput                        BAD_USER_INPUT          400
    │   ├── (curation.validate.InvalidInput: names the offending `field`)
    │   ├── UnknownKey                      BAD_USER_INPUT          400  (field, suggestions)
    │   ├── NotOneEntity                    BAD_USER_INPUT          400  (argument, candidates)
    │   └── WriteConflict                   BAD_USER_INPUT          409
    ├── QueryTooComplex                     QUERY_TOO_COMPLEX       400  (bound, limit, value)
    ├── DocumentError                       GRAPHQL_VALIDATION_FAILED 400
    │   └── ParseFailed                     GRAPHQL_PARSE_FAILED    400
    ├── PersistedQueryError                 BAD_REQUEST             400  (malformed persistedQuery)
    │   ├── PersistedQueryNotFound          PERSISTED_QUERY_NOT_FOUND 400
    │   ├── PersistedQueryMismatch          PERSISTED_QUERY_HASH_MISMATCH 400
    │   └── PersistedQueryForbidden         PERSISTED_QUERY_NOT_ALLOWED 400
    ├── Unauthenticated                     UNAUTHENTICATED         401
    ├── Forbidden                           FORBIDDEN               403
    ├── BadBookmark                         BAD_BOOKMARK            400
    ├── RateLimited                         RATE_LIMITED            429
    ├── GraphUnavailable                    SERVICE_UNAVAILABLE     503
    └── QueryTimeout                        QUERY_TIMEOUT           504

The HTTP status applies where the error decides the response (a request refused before
GraphQL runs, Neo4j down); an error of one field of an answer leaves the status at 200.
"""

from __future__ import annotations

from typing import Any, ClassVar

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
PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
BAD_BOOKMARK = "BAD_BOOKMARK"
UNKNOWN_BOOKMARK = "The Clustergraph-Bookmark header names a state this graph never had."


class ClusterGraphError(Exception):
    """The base: an unexpected failure, masked before it leaves the service."""

    code: ClassVar[str] = INTERNAL
    status: ClassVar[int] = 500
    # The message a client sees; None: the exception's own text.
    public_message: ClassVar[str | None] = None

    def message(self) -> str:
        return self.public_message or str(self)

    def extensions(self) -> dict[str, Any]:
        return {"code": self.code}


class BadUserInput(ClusterGraphError):
    """An argument the request gave is out of bounds or malformed; the message says which."""

    code = BAD_USER_INPUT
    status = 400


class UnknownKey(BadUserInput):
    """A key argument that no entity has; `extensions.suggestions` lists the closest keys the graph has."""

    def __init__(self, message: str, field: str, suggestions: list[str]) -> None:
        super().__init__(message)
        self.field, self.suggestions = field, suggestions

    def extensions(self) -> dict[str, Any]:
        return {"code": self.code, "suggestions": self.suggestions}


class NotOneEntity(BadUserInput):
    """An argument that takes a key or a name names no entity, or a name several share.

    `candidates` are the keys it may mean, for a client to offer as choices.
    """

    def __init__(self, message: str, argument: str, candidates: list[str]) -> None:
        super().__init__(message)
        self.argument, self.candidates = argument, candidates

    def extensions(self) -> dict[str, Any]:
        return {"code": self.code, "argument": self.argument, "candidates": self.candidates}


class WriteConflict(BadUserInput):
    """Two writes raced for one key: the later one lost, whole."""

    status = 409
    public_message = "the change conflicts with the graph (a key is taken); nothing was written"


class QueryTooComplex(ClusterGraphError):
    """A document past one of the bounds on what a request may ask for."""

    code = QUERY_TOO_COMPLEX
    status = 400

    def __init__(self, bound: str, value: int, limit: int, what: str) -> None:
        super().__init__(f"The query is too complex: {what} is {value}, over the limit of {limit} ({bound}).")
        self.bound, self.value, self.limit = bound, value, limit

    def extensions(self) -> dict[str, Any]:
        return {"code": self.code, "bound": self.bound, "limit": self.limit, "value": self.value}


class DocumentError(ClusterGraphError):
    """The document does not validate against the schema."""

    code = VALIDATION_FAILED
    status = 400


class ParseFailed(DocumentError):
    """The document is not GraphQL."""

    code = PARSE_FAILED


class PersistedQueryError(ClusterGraphError):
    """A request names a persisted document badly (`extensions.persistedQuery` malformed)."""

    code = "BAD_REQUEST"
    status = 400


class PersistedQueryNotFound(PersistedQueryError):
    """A hash the service does not know: the client should send the document with it.

    The message is the one Apollo's persisted-query link looks for.
    """

    code = PERSISTED_QUERY_NOT_FOUND
    public_message = "PersistedQueryNotFound"


class PersistedQueryMismatch(PersistedQueryError):
    """A document whose SHA-256 is not the hash sent with it."""

    code = "PERSISTED_QUERY_HASH_MISMATCH"
    public_message = "The document's SHA-256 is not the sha256Hash sent with it."


class PersistedQueryForbidden(PersistedQueryError):
    """Only registered documents are served (trusted documents), and this one is not."""

    code = "PERSISTED_QUERY_NOT_ALLOWED"
    public_message = "This service answers registered documents only (trusted documents)."


class Unauthenticated(ClusterGraphError):
    """No credential, or one that does not verify."""

    code = UNAUTHENTICATED
    status = 401


class Forbidden(ClusterGraphError):
    """A verified caller whose role is too small."""

    code = FORBIDDEN
    status = 403


class RateLimited(ClusterGraphError):
    """Too many requests from one address or API key."""

    code = RATE_LIMITED
    status = 429


class BadBookmark(ClusterGraphError):
    """The request sent back a bookmark this database does not know."""

    code = BAD_BOOKMARK
    status = 400
    public_message = UNKNOWN_BOOKMARK


class GraphUnavailable(ClusterGraphError):
    """Neo4j cannot be reached."""

    code = SERVICE_UNAVAILABLE
    status = 503
    public_message = "The graph database is unavailable; try again shortly."


class QueryTimeout(ClusterGraphError):
    """A Cypher transaction ran past its timeout, or the request's database time ran out.

    `bound` says which: `timeout` (one transaction's, `limit` seconds) or `budget` (the
    database time one request may spend, `limit` seconds, of which `spent` were spent).
    A QueryTimeout made without a bound says only its code.
    """

    code = QUERY_TIMEOUT
    status = 504
    public_message = "The query took longer than the service allows; ask for less."

    def __init__(
        self,
        message: str = "",
        bound: str | None = None,
        limit: float | None = None,
        spent: float | None = None,
    ) -> None:
        super().__init__(message)
        self.bound, self.limit, self.spent = bound, limit, spent

    def message(self) -> str:
        if self.bound == "budget":
            return (
                f"The request used up its database time ({self.limit:g} s, budget); "
                "ask for less in one request (fewer aliases or batched operations, fewer hops)."
            )
        return super().message()

    def extensions(self) -> dict[str, Any]:
        if self.bound == "budget":
            spent = round(self.spent or 0.0, 3)
            return {"code": self.code, "bound": self.bound, "budget": self.limit, "spent": spent}
        if self.bound is None:
            return {"code": self.code}
        return {"code": self.code, "bound": self.bound, "limit": self.limit}
