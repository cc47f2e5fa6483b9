"""The compile stage, without a database: one parse and one validation per document, bounded."""

from __future__ import annotations

from typing import Any

from graphql import ValidationRule

from clustergraph.execution.compile import LRU, DocumentCache, document_key
from clustergraph.schema.build import build_schema, query_cost
from clustergraph.settings import Settings


def test_a_document_is_parsed_and_validated_once() -> None:
    validations: list[int] = []

    class Counting(ValidationRule):
        def __init__(self, context: Any) -> None:
            super().__init__(context)
            validations.append(1)

    schema = build_schema(Settings())
    documents = schema.documents
    cache = DocumentCache(
        documents.schema, (*documents.rules, Counting), fields=documents.fields, max_tokens=2000
    )
    first = cache.compile("{ clusters { totalCount } }")
    again = cache.compile("{ clusters { totalCount } }")
    assert first is again and first.ok and len(validations) == 1
    # Another operation name is another entry (its plans differ), another text too.
    cache.compile("{ clusters { totalCount } }", "Other")
    cache.compile("{ sectors { totalCount } }")
    assert len(validations) == 3


def test_the_rules_are_built_once_per_schema() -> None:
    schema = build_schema(Settings())
    assert schema.documents.rules is schema.documents.rules
    names = {rule.__name__ for rule in schema.documents.rules}
    assert {"MaxDepth", "MaxAliases"} <= names


def test_the_cache_is_bounded() -> None:
    cache: LRU[str, int] = LRU(2)
    for key in "abc":
        cache.get(key, lambda: 1)
    assert len(cache) == 2
    made = []
    cache.get("a", lambda: made.append(1) or 2)  # type: ignore[func-returns-value]
    assert made == [1]  # "a" was the least recently used: forgotten


def test_the_key_is_the_text_and_the_operation_name() -> None:
    assert document_key("{ a }", None) != document_key("{ a }", "A")
    assert len(document_key("{ a }", None)) == 64


def test_errors_are_remembered_with_their_codes() -> None:
    schema = build_schema(Settings())
    broken = schema.documents.compile("{ entity(key: ")
    assert not broken.ok and broken.errors[0].extensions == {"code": "GRAPHQL_PARSE_FAILED"}
    unknown = schema.documents.compile('{ entity(key: "x") { nonsense } }')
    assert unknown.errors[0].extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}
    bad_value = schema.documents.compile('{ search(query: "x", kinds: [GALAXY]) { totalCount } }')
    assert bad_value.errors[0].extensions == {"code": "BAD_USER_INPUT"}
    many = schema.documents.compile("{ " + " ".join(["a"] * 2500) + " }")
    assert many.errors[0].extensions is not None and many.errors[0].extensions["bound"] == "tokens"


def test_the_cost_counts_default_pages_and_variable_defaults() -> None:
    nested = "{ clusters { nodes { partners { nodes { key } } } } }"
    # 1 + 20 x (nodes 1 + partners (1 + 20 x (nodes 1 + key 1)))
    assert query_cost(nested) == 1 + 20 * (1 + 1 + 20 * 2)
    hidden = "query ($n: Int = 100) { clusters(first: $n) { nodes { key } } }"
    assert query_cost(hidden) == 1 + 100 * 2
    assert query_cost(hidden, {"n": 3}) == 1 + 3 * 2
