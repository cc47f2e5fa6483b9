"""The error tree (`clustergraph.errors`) is whole and drawn as it is (issue 25, point 5).

Every exception class the package defines, in whichever module, is walked in a child
process (importing every module loads the ingestion libraries, which this tier's own
process must not): each class of the tree has a code and an HTTP status, a class that
declares a code declares its own, the module docstring draws each class under its
parent with its code and status, and the only exceptions outside the tree are the ones
the docstring names as internal.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import orjson
import pytest
from graphql import GraphQLError
from strawberry.types import ExecutionResult

from clustergraph import errors
from clustergraph.errors import (
    ClusterGraphError,
    DocumentError,
    GraphUnavailable,
    MethodNotAllowed,
    NotFound,
    QueryTimeout,
    QueryTooComplex,
    RateLimited,
    TooManyStreamsFromAddress,
    WriteConflict,
    to_graphql_error,
    to_http_response,
)
from clustergraph.http.graphql import answer_status
from clustergraph.http.media import GRAPHQL_RESPONSE, JSON

PROBE = """
import importlib, json, pkgutil, sys
import clustergraph
from clustergraph.errors import ClusterGraphError

def name(cls):
    module = cls.__module__.removeprefix("clustergraph.")
    return cls.__name__ if module == "errors" else f"{module}.{cls.__name__}"

for info in pkgutil.walk_packages(clustergraph.__path__, "clustergraph."):
    importlib.import_module(info.name)
tree, outside = [], []
for module in list(sys.modules.values()):
    if not getattr(module, "__name__", "").startswith("clustergraph"):
        continue
    for value in vars(module).values():
        if not (isinstance(value, type) and issubclass(value, BaseException)):
            continue
        if value.__module__ != module.__name__:
            continue
        if issubclass(value, ClusterGraphError):
            parent = value.__bases__[0]
            tree.append({
                "name": name(value),
                "parent": name(parent) if parent is not Exception else None,
                "code": value.code,
                "own_code": "code" in vars(value),
                "status": value.http_status,
            })
        else:
            outside.append(name(value))
print(json.dumps({"tree": tree, "outside": outside}))
"""

ROW = re.compile(
    r"^(?P<indent>[ │├└─]*)(?P<name>[A-Za-z_.][A-Za-z0-9_.]*)(?:\s+(?P<code>[A-Z_]{3,}))?(?:\s+(?P<status>\d{3}))?"
)


@pytest.fixture(scope="module")
def walked() -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def drawing() -> dict[str, dict[str, Any]]:
    """The classes the docstring draws: name -> parent, code and status as written."""
    doc = errors.__doc__ or ""
    lines = doc[doc.index("    ClusterGraphError") :].split("\n\n")[0].splitlines()
    drawn: dict[str, dict[str, Any]] = {}
    stack: list[str] = []
    for line in lines:
        row = ROW.match(line[4:])
        assert row is not None, line
        depth = len(row["indent"]) // 4
        del stack[depth:]
        drawn[row["name"]] = {
            "parent": stack[-1] if stack else None,
            "code": row["code"],
            "status": int(row["status"]) if row["status"] else None,
        }
        stack.append(row["name"])
    return drawn


def test_every_error_class_has_a_code_and_an_http_status(walked: dict[str, Any]) -> None:
    for cls in walked["tree"]:
        assert re.fullmatch(r"[A-Z][A-Z_]+", cls["code"]), cls
        assert 400 <= cls["status"] <= 599, cls


def test_a_code_declared_by_a_class_is_its_own(walked: dict[str, Any]) -> None:
    declared = [cls["code"] for cls in walked["tree"] if cls["own_code"]]
    assert len(declared) == len(set(declared)), sorted(declared)


def test_the_docstring_draws_the_tree_as_it_is(walked: dict[str, Any]) -> None:
    drawn = drawing()
    real = {cls["name"]: cls for cls in walked["tree"]}
    assert set(drawn) == set(real), set(drawn) ^ set(real)
    for name, cls in real.items():
        row = drawn[name]
        assert row["parent"] == cls["parent"], name
        # A row states the code a class declares, and a status that differs from its parent's.
        assert row["code"] == (cls["code"] if cls["own_code"] else None), name
        parent_status = real[cls["parent"]]["status"] if cls["parent"] else None
        assert (row["status"] or parent_status) == cls["status"], name


def test_only_the_documented_internal_exceptions_live_outside_the_tree(walked: dict[str, Any]) -> None:
    doc = errors.__doc__ or ""
    outside = doc[doc.index("**Outside the tree**") :]
    for name in walked["outside"]:
        assert f"`{name}`" in outside, f"{name} is neither in the tree nor documented as internal"


def test_one_write_conflict(walked: dict[str, Any]) -> None:
    conflicts = [cls["name"] for cls in walked["tree"] if cls["name"].endswith("WriteConflict")]
    assert conflicts == ["WriteConflict"]
    error = WriteConflict("`keys`: taken", "keys")
    assert (error.code, error.http_status) == ("BAD_USER_INPUT", 409)
    assert to_graphql_error(error).formatted["extensions"] == {"code": "BAD_USER_INPUT", "field": "keys"}


@pytest.mark.parametrize(
    ("error", "status", "headers"),
    [
        (NotFound("no such thing"), 404, {}),
        (MethodNotAllowed("DELETE is not taken", "GET, POST"), 405, {"allow": "GET, POST"}),
        (RateLimited("client address", "10 per 1 minute", 7), 429, {"retry-after": "7"}),
        (TooManyStreamsFromAddress(4), 429, {"retry-after": "5"}),
    ],
)
def test_an_http_answer_has_the_one_shape_and_the_class_status(
    error: ClusterGraphError, status: int, headers: dict[str, str]
) -> None:
    response = to_http_response(error)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    for name, value in headers.items():
        assert response.headers[name] == value
    body = orjson.loads(bytes(response.body))
    assert body == {"errors": [{"message": error.message(), "extensions": error.extensions()}]}
    assert body["errors"][0]["extensions"]["code"] == type(error).code


def test_an_error_outside_the_tree_is_masked() -> None:
    response = to_http_response(RuntimeError("password=hunter2 in MATCH (n) RETURN n"))
    assert response.status_code == 500
    body = orjson.loads(bytes(response.body))
    assert body == {
        "errors": [{"message": "Internal server error.", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]
    }


def _answer(
    data: dict[str, Any] | None, *errors: Exception, path: list[str] | None = None
) -> ExecutionResult:
    located = [GraphQLError(str(e), path=path, original_error=e) for e in errors]
    return ExecutionResult(data=data, errors=located)


@pytest.mark.parametrize(
    ("result", "media", "status"),
    [
        # An error of one field leaves the answer at 200; Neo4j down is the service's state: 503.
        (_answer({"a": None}, QueryTimeout(), path=["a"]), JSON, 200),
        (_answer({"a": None}, GraphUnavailable(), path=["a"]), JSON, 503),
        (_answer({"a": None}, GraphUnavailable(), path=["a"]), GRAPHQL_RESPONSE, 503),
        # A request that could not run: 400 in the new media type, and in legacy JSON past a bound.
        (_answer(None, DocumentError("no such field")), JSON, 200),
        (_answer(None, DocumentError("no such field")), GRAPHQL_RESPONSE, 400),
        (_answer(None, QueryTooComplex("depth", 30, 12, "the depth")), JSON, 400),
        # A batch answers 200 unless the service's state failed it.
        ([_answer(None, QueryTooComplex("depth", 30, 12, "the depth")), _answer({"a": 1})], JSON, 200),
        ([_answer({"a": 1}), _answer({"a": None}, GraphUnavailable(), path=["a"])], JSON, 503),
    ],
)
def test_the_status_of_a_graphql_answer_comes_from_its_errors_classes(
    result: ExecutionResult | list[ExecutionResult], media: str, status: int
) -> None:
    assert answer_status(result, media) == status
