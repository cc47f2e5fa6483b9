"""Every error the service reports, in one tree; each class declares its `code` and `http_status`.

Callers raise and catch by type. Two functions, at the end of this module, turn an error
into what a client reads: `to_graphql_error` (an error of a GraphQL answer, with the code
in `extensions.code`) and `to_http_response` (an answer of its own, with the class's
HTTP status). Nothing else writes an error body.

    ClusterGraphError                       INTERNAL_SERVER_ERROR          500
    ├── BadUserInput                        BAD_USER_INPUT                 400  (field)
    │   ├── UnknownKey                                                          (suggestions)
    │   ├── NotOneEntity                                                        (argument, candidates)
    │   ├── WriteConflict                                                  409  (field)
    │   │   └── importer.loader.BatchConflict
    │   ├── curation.validate.InvalidInput                                      (field)
    │   └── ingest.document.IngestError
    ├── QueryTooComplex                     QUERY_TOO_COMPLEX              400  (bound, limit, value)
    ├── DocumentError                       GRAPHQL_VALIDATION_FAILED      400
    │   └── ParseFailed                     GRAPHQL_PARSE_FAILED           400
    ├── RequestError                        BAD_REQUEST                    400
    │   ├── PersistedQueryError                                                 (malformed persistedQuery)
    │   │   ├── PersistedQueryNotFound      PERSISTED_QUERY_NOT_FOUND      400
    │   │   ├── PersistedQueryMismatch      PERSISTED_QUERY_HASH_MISMATCH  400
    │   │   └── PersistedQueryForbidden     PERSISTED_QUERY_NOT_ALLOWED    400
    │   ├── NotFound                        NOT_FOUND                      404
    │   ├── MethodNotAllowed                METHOD_NOT_ALLOWED             405  (Allow header)
    │   ├── NotAcceptable                   NOT_ACCEPTABLE                 406
    │   ├── RequestTimeout                  REQUEST_TIMEOUT                408
    │   ├── PayloadTooLarge                 PAYLOAD_TOO_LARGE              413
    │   └── reconcile.protocol.BadReconcileRequest  BAD_RECONCILE_REQUEST  400
    ├── BadBookmark                         BAD_BOOKMARK                   400
    │   └── UnknownBookmark
    ├── Unauthenticated                     UNAUTHENTICATED                401
    ├── Forbidden                           FORBIDDEN                      403
    ├── RateLimited                         RATE_LIMITED                   429  (retryAfter, limit; Retry-After)
    ├── TooManyStreams                      TOO_MANY_STREAMS               503  (per: process, limit; Retry-After)
    │   └── TooManyStreamsFromAddress                                      429  (per: address)
    ├── TooManySubscriptions                TOO_MANY_SUBSCRIPTIONS         429  (per: address or connection)
    ├── SlowConsumer                        SLOW_CONSUMER                  429  (sent inside a stream)
    ├── GraphUnavailable                    SERVICE_UNAVAILABLE            503
    │   └── FeedUnavailable                                                     (a subscription: resume with since)
    ├── QueryTimeout                        QUERY_TIMEOUT                  504  (bound, limit or budget, spent)
    └── OperatorError                       OPERATOR_ERROR                 500  (CLI only)
        ├── graph.migrations.MigrationChanged
        ├── graph.neo4j_local.server.Neo4jLocalError
        └── offline.load.OfflineImportRefused

A class with no code of its own shares its parent's; every code a class declares is its
own (`tests/unit/test_errors.py` walks the tree against this drawing).

**The one error shape.** Every answer that is an error, GraphQL's or not (`/graphql`
refusing a request, `/export/...`, `/reconcile...`, `/embed`, `/widget.js`, `/assets/...`, the rate limit,
a bad `Clustergraph-Bookmark`, a refused event stream, an unknown path or method), is
JSON in GraphQL's own error shape, so a client reads one shape, with a code, whatever
it asked for:

    {"errors": [{"message": "...", "extensions": {"code": "NOT_FOUND", ...}}]}

`message` is for people; `extensions.code` is the class's code, for programs, with the
details the tree lists in parentheses beside it.

**The HTTP status.** Where an error decides the response (a request refused before
GraphQL runs, a route that is not GraphQL) the status is the class's `http_status`. In a
GraphQL answer an error of one field leaves the status at 200, except an error whose
class `sets_answer_status` (Neo4j down, a rate limit: the service's state failed the
request, not the request itself); a request that could not run at all is 400 in
`application/graphql-response+json`, as GraphQL over HTTP says.

**Outside the tree**, on purpose: exceptions that steer control flow and never reach a
client, `execution.shape.Decline` (a selection the compiled path leaves to graphql-core) and
`execution.shape.FieldError` (a value a field cannot complete, which becomes a GraphQL error
with its path), and `ingest.addresses.AddressRefused`, an httpcore `ConnectError` by
necessity (the transport's own error type), which the fetch reports as an `IngestError`.
`OperatorError`s are raised by the operator's commands (`clustergraph migrate`,
`clustergraph neo4j ...`): the CLI prints their message; they have a code for the tree's
sake, never sent over HTTP.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

import orjson
from graphql import GraphQLError
from starlette.responses import Response

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
PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
BAD_BOOKMARK = "BAD_BOOKMARK"
UNKNOWN_BOOKMARK = "The Clustergraph-Bookmark header names a state this graph never had."
INTERNAL_MESSAGE = "Internal server error."


class ClusterGraphError(Exception):
    """The base: an unexpected failure, masked before it leaves the service."""

    code: ClassVar[str] = INTERNAL
    http_status: ClassVar[int] = 500
    # Whether an error of this class in a GraphQL answer sets the answer's status.
    sets_answer_status: ClassVar[bool] = False
    # The message a client sees; None: the exception's own text.
    public_message: ClassVar[str | None] = None

    def message(self) -> str:
        return self.public_message or str(self)

    def extensions(self) -> dict[str, Any]:
        return {"code": self.code}

    def headers(self) -> dict[str, str]:
        """The HTTP headers an answer of its own carries (`Retry-After`, `Allow`)."""
        return {}


class BadUserInput(ClusterGraphError):
    """An argument the request gave is out of bounds or malformed; the message says which.

    `field`, when given, names where in the input (`properties.country`): `extensions.field`.
    """

    code = BAD_USER_INPUT
    http_status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    def extensions(self) -> dict[str, Any]:
        extensions = super().extensions()
        if self.field is not None:
            extensions["field"] = self.field
        return extensions


class UnknownKey(BadUserInput):
    """A key argument that no entity has; `extensions.suggestions` lists the closest keys the graph has."""

    def __init__(self, message: str, field: str, suggestions: list[str]) -> None:
        super().__init__(message, field)
        self.suggestions = suggestions

    def extensions(self) -> dict[str, Any]:
        return {**super().extensions(), "suggestions": self.suggestions}


class NotOneEntity(BadUserInput):
    """An argument that takes a key or a name names no entity, or a name several share.

    `candidates` are the keys it may mean, for a client to offer as choices.
    """

    def __init__(self, message: str, argument: str, candidates: list[str]) -> None:
        super().__init__(message)
        self.argument, self.candidates = argument, candidates

    def extensions(self) -> dict[str, Any]:
        return {**super().extensions(), "argument": self.argument, "candidates": self.candidates}


class WriteConflict(BadUserInput):
    """A write lost a race with another (a key taken, entities merged under it): nothing was written.

    A conflict with the graph's state, 409 where it decides an HTTP answer; in a mutation's
    answer it is a field error coded BAD_USER_INPUT, as every refused write is.
    """

    http_status = 409

    def __init__(
        self,
        message: str = "the change conflicts with the graph (a key is taken); nothing was written",
        field: str | None = None,
    ) -> None:
        super().__init__(message, field)


class QueryTooComplex(ClusterGraphError):
    """A document past one of the bounds on what a request may ask for."""

    code = QUERY_TOO_COMPLEX
    http_status = 400

    def __init__(self, bound: str, value: int | None, limit: int, what: str) -> None:
        if value is None:
            text = f"The query is too complex: {what} is over the limit of {limit} ({bound})."
        else:
            text = f"The query is too complex: {what} is {value}, over the limit of {limit} ({bound})."
        super().__init__(text)
        self.bound, self.value, self.limit = bound, value, limit

    def extensions(self) -> dict[str, Any]:
        extensions = {"code": self.code, "bound": self.bound, "limit": self.limit}
        if self.value is not None:
            extensions["value"] = self.value
        return extensions


class DocumentError(ClusterGraphError):
    """The document does not validate against the schema."""

    code = VALIDATION_FAILED
    http_status = 400


class ParseFailed(DocumentError):
    """The document is not GraphQL."""

    code = PARSE_FAILED


class RequestError(ClusterGraphError):
    """An HTTP request refused before any GraphQL runs: unreadable, or not one this route takes."""

    code = "BAD_REQUEST"
    http_status = 400


class PersistedQueryError(RequestError):
    """A request names a persisted document badly (`extensions.persistedQuery` malformed)."""


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


class NotFound(RequestError):
    """Nothing is served at that path, or the thing it names does not exist."""

    code = "NOT_FOUND"
    http_status = 404


class MethodNotAllowed(RequestError):
    """A method the route does not take; `allow` lists those it takes (the `Allow` header)."""

    code = "METHOD_NOT_ALLOWED"
    http_status = 405

    def __init__(self, message: str, allow: str) -> None:
        super().__init__(message)
        self.allow = allow

    def headers(self) -> dict[str, str]:
        return {"Allow": self.allow}


class NotAcceptable(RequestError):
    """The request's `Accept` names no media type the route answers in."""

    code = "NOT_ACCEPTABLE"
    http_status = 406


class RequestTimeout(RequestError):
    """The request's body did not arrive in time."""

    code = "REQUEST_TIMEOUT"
    http_status = 408


class PayloadTooLarge(RequestError):
    """The request's body is over the route's bound."""

    code = "PAYLOAD_TOO_LARGE"
    http_status = 413


class BadBookmark(ClusterGraphError):
    """The `Clustergraph-Bookmark` header is not a list of bookmarks the service gave."""

    code = BAD_BOOKMARK
    http_status = 400


class UnknownBookmark(BadBookmark):
    """The request sent back a bookmark this database does not know."""

    public_message = UNKNOWN_BOOKMARK


class Unauthenticated(ClusterGraphError):
    """No credential, or one that does not verify."""

    code = UNAUTHENTICATED
    http_status = 401


class Forbidden(ClusterGraphError):
    """A verified caller whose role is too small."""

    code = FORBIDDEN
    http_status = 403


class RateLimited(ClusterGraphError):
    """Too many requests from one client address or API key (`who`), past `limit`."""

    code = RATE_LIMITED
    http_status = 429
    sets_answer_status = True

    def __init__(self, who: str, limit: str, retry_after: int) -> None:
        super().__init__(f"Too many requests from this {who} (limit {limit}); retry in {retry_after} s.")
        self.limit, self.retry_after = limit, retry_after

    def extensions(self) -> dict[str, Any]:
        return {"code": self.code, "retryAfter": self.retry_after, "limit": self.limit}

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class TooManyStreams(ClusterGraphError):
    """A new stream (WebSocket or event stream) would pass the bound of this server process."""

    code = "TOO_MANY_STREAMS"
    http_status = 503
    per: ClassVar[str] = "process"
    where: ClassVar[str] = "this server process"

    def __init__(self, limit: int) -> None:
        super().__init__(f"too many streams open from {self.where} (at most {limit}); try again later")
        self.limit = limit

    def extensions(self) -> dict[str, Any]:
        return {"code": self.code, "per": self.per, "limit": self.limit}

    def headers(self) -> dict[str, str]:
        return {"Retry-After": "5"}


class TooManyStreamsFromAddress(TooManyStreams):
    """A new stream would pass the share of one client address: the client's doing, 429."""

    http_status = 429
    per = "address"
    where = "this client address"


class TooManySubscriptions(ClusterGraphError):
    """A client holds as many subscriptions as it may; `per` says where (address or connection)."""

    code = "TOO_MANY_SUBSCRIPTIONS"
    http_status = 429

    def __init__(self, message: str, per: str) -> None:
        super().__init__(message)
        self.per = per

    def extensions(self) -> dict[str, Any]:
        return {"code": self.code, "per": self.per}


class SlowConsumer(ClusterGraphError):
    """A subscriber let more events queue up than its bound: it is dropped and may resume with `since`.

    It ends a stream already answered, so its status is never an HTTP response's.
    """

    code = "SLOW_CONSUMER"
    http_status = 429

    def __init__(self, last: int) -> None:
        super().__init__(f"events arrived faster than this subscriber read them; resume with since: {last}")
        self.last = last


class GraphUnavailable(ClusterGraphError):
    """Neo4j cannot be reached."""

    code = SERVICE_UNAVAILABLE
    http_status = 503
    sets_answer_status = True
    public_message = "The graph database is unavailable; try again shortly."


class FeedUnavailable(GraphUnavailable):
    """Neo4j cannot be reached while a subscription follows the change log; it ends the stream."""

    public_message = "The graph database is unavailable; resume with `since` shortly."


class QueryTimeout(ClusterGraphError):
    """A Cypher transaction ran past its timeout, or the request's database time ran out.

    `bound` says which: `timeout` (one transaction's, `limit` seconds) or `budget` (the
    database time one request may spend, `limit` seconds, of which `spent` were spent).
    A QueryTimeout made without a bound says only its code.
    """

    code = QUERY_TIMEOUT
    http_status = 504
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


class OperatorError(ClusterGraphError):
    """A command of the operator's (migrations, the managed Neo4j) failed; the message says what to do."""

    code = "OPERATOR_ERROR"
    http_status = 500


def to_graphql_error(
    error: ClusterGraphError,
    nodes: Any = None,
    where: GraphQLError | None = None,
    path: Any = None,
) -> GraphQLError:
    """The error as one of a GraphQL answer's: its message, its code and details in
    `extensions`, placed where `where` (an error graphql-core made) or `nodes` and `path` say."""
    return GraphQLError(
        error.message(),
        where.nodes if where is not None and nodes is None else nodes,
        source=where.source if where is not None else None,
        positions=where.positions if where is not None else None,
        path=where.path if where is not None and path is None else path,
        original_error=error,
        extensions={**((where.extensions or {}) if where is not None else {}), **error.extensions()},
    )


def error_body(error: ClusterGraphError) -> dict[str, Any]:
    """The one error shape: `{"errors": [{"message", "extensions": {"code", ...}}]}`."""
    return {"errors": [{"message": error.message(), "extensions": error.extensions()}]}


def to_http_response(
    error: Exception, media: str = "application/json", headers: dict[str, str] | None = None
) -> Response:
    """The error as an answer of its own: the one shape, the class's status and headers.

    Anything outside the tree is logged and masked as an internal error: no stack trace,
    no Cypher, no exception text leaves the service.
    """
    if not isinstance(error, ClusterGraphError):
        log.error("unexpected error", exc_info=error)
        error = ClusterGraphError(INTERNAL_MESSAGE)
    return Response(
        orjson.dumps(error_body(error)),
        status_code=error.http_status,
        media_type=f"{media}; charset=utf-8",
        headers={**error.headers(), **(headers or {})},
    )
