"""The compile stage: a document is parsed and validated once, then kept in a bounded LRU cache.

A document longer than the bytes bound is refused before anything else, and not kept.
The key is the SHA-256 of the document's text and the operation's name. Validation runs
with rules built once from the settings (`execution/limits.py`), so its outcome belongs to the
document alone and is cached with it. What depends on a request's variables (the cost
of `first: $n`, the plans of `@skip(if: $x)`) is left to the bind stage (`bind.py`).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    Lexer,
    OperationDefinitionNode,
    Source,
    TokenKind,
    parse,
    validate,
)

from clustergraph.errors import ParseFailed, QueryTooComplex, to_graphql_error
from clustergraph.translate.fields import FieldModel

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRU(Generic[K, V]):
    """A small bounded mapping that forgets the least recently used entry first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K, make: Callable[[], V]) -> V:
        items = self._items
        if key in items:
            items.move_to_end(key)
            return items[key]
        value = items[key] = make()
        if len(items) > self.size:
            items.popitem(last=False)
        return value

    def peek(self, key: K) -> V | None:
        items = self._items
        if key not in items:
            return None
        items.move_to_end(key)
        return items[key]

    def put(self, key: K, value: V) -> None:
        self.get(key, lambda: value)

    def __len__(self) -> int:
        return len(self._items)


def document_key(text: str, operation_name: str | None) -> str:
    return hashlib.sha256(f"{operation_name or ''}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


# Plans kept per compiled document (one per distinct set of the variable values they read).
PLANS_PER_DOCUMENT = 64


@dataclass
class Compiled:
    """One document (and operation name) after parsing and validation."""

    text: str
    document: DocumentNode | None
    errors: list[GraphQLError]
    operation: OperationDefinitionNode | None = None
    fragments: dict[str, FragmentDefinitionNode] = field(default_factory=dict)
    # What later stages keep per document (plans, shapers), by their own keys.
    memo: dict[Hashable, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.document is not None and not self.errors

    def remember_plan(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The plan `build` makes for `key` (one per distinct set of the variables it reads), built once.

        The plans of one document are bounded: past PLANS_PER_DOCUMENT they are all let go.
        """
        if key in self.memo:
            return self.memo[key]
        plan = build()
        if len(self.memo) > PLANS_PER_DOCUMENT:
            self.memo.clear()
        self.memo[key] = plan
        return plan


class DocumentCache:
    """Parses and validates each document once (per operation name) and remembers the outcome."""

    def __init__(
        self,
        schema: GraphQLSchema,
        rules: Sequence[type[ASTValidationRule]],
        *,
        fields: FieldModel,
        max_bytes: int | None = None,
        max_tokens: int | None,
        size: int = 512,
    ) -> None:
        self.schema = schema
        # The schema's field model, for the stages that plan and shape what a document asks.
        self.fields = fields
        self.rules = tuple(rules)
        self.max_bytes = max_bytes
        self.max_tokens = max_tokens
        self.cache: LRU[str, Compiled] = LRU(size)

    def compile(self, text: str, operation_name: str | None = None) -> Compiled:
        if self.max_bytes is not None:
            size = len(text.encode("utf-8", "surrogatepass"))
            if size > self.max_bytes:  # refused before parsing, and not kept
                error = QueryTooComplex("bytes", size, self.max_bytes, "the document's size in bytes")
                return Compiled("", None, [to_graphql_error(error)])
        return self.cache.get(document_key(text, operation_name), lambda: self._compile(text, operation_name))

    def _compile(self, text: str, operation_name: str | None) -> Compiled:
        try:
            if self.max_tokens is not None:
                _count_tokens(text, self.max_tokens)
            document = parse(text, max_tokens=self.max_tokens)
        except QueryTooComplex as error:
            return Compiled(text, None, [to_graphql_error(error)])
        except GraphQLError as error:
            return Compiled(text, None, [to_graphql_error(ParseFailed(error.message), error.nodes, error)])
        errors = validate(self.schema, document, self.rules)
        compiled = Compiled(text, document, list(errors))
        compiled.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        compiled.operation = _operation(document, operation_name)
        return compiled


def _count_tokens(text: str, limit: int) -> None:
    """Refuses a document of more than `limit` tokens, lexing no further than that."""
    lexer = Lexer(Source(text))
    count = 0
    while lexer.advance().kind is not TokenKind.EOF:
        count += 1
        if count > limit:
            raise QueryTooComplex("tokens", count, limit, "the number of tokens (at least)")


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    """The operation the request names (or the only one); None when that is ambiguous or absent."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((op for op in operations if op.name is not None and op.name.value == name), None)
