"""The requests of the reconciliation API read into typed values, refused with a coded error
when they are not what version 0.2 of the specification (and OpenRefine 3.x) sends.

Queries come as `queries=<JSON>` (form-encoded POST, or a GET parameter) or as a JSON body;
one query alone as `query=<text or JSON>`; data extension as `extend=<JSON>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from clustergraph.errors import RequestError
from clustergraph.model import Kind
from clustergraph.reconcile.score import Property

# Bounds: OpenRefine sends ten queries a batch and asks for at most a few candidates.
MAX_QUERIES = 50
MAX_LIMIT = 25
DEFAULT_LIMIT = 5
MAX_TEXT = 500
MAX_EXTEND_IDS = 100

# The properties a query may carry, and their names for OpenRefine's column mapping.
QUERY_PROPERTIES: dict[str, tuple[str, str]] = {
    "country": ("Country", "ISO 3166-1 alpha-2 code or the country's name"),
    "region": ("Region", "NUTS region the entity is located in (name)"),
    "city": ("City", "city the entity is located in (name)"),
    "acronym": ("Acronym", "the entity's acronym"),
}

# The kinds a query may ask for (`type`): every entity kind.
KINDS = tuple(k.value for k in Kind)


class BadReconcileRequest(RequestError):
    """A reconciliation request that does not follow the API: the message says what is wrong."""

    code = "BAD_RECONCILE_REQUEST"


@dataclass(frozen=True)
class Query:
    id: str
    text: str
    kinds: tuple[str, ...] | None
    limit: int
    properties: tuple[Property, ...]


def parse_json(text: str, what: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise BadReconcileRequest(f"{what} is not JSON: {error}") from error


def _kinds(value: Any, where: str) -> tuple[str, ...] | None:
    if value is None or value == "" or value == []:
        return None
    given = [value] if isinstance(value, str) else value
    if not isinstance(given, list) or not all(isinstance(v, str) for v in given):
        raise BadReconcileRequest(f"{where}: `type` must be a type id or a list of them")
    unknown = [v for v in given if v not in KINDS]
    if unknown:
        raise BadReconcileRequest(f"{where}: unknown type {unknown[0]!r}; the types are {', '.join(KINDS)}")
    return tuple(given)


def _value_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str | int | float):
        return str(value).strip() or None
    if isinstance(value, dict):
        # A value reconciled itself: its name, else its id.
        name = value.get("name") or value.get("id")
        return str(name).strip() or None if name is not None else None
    return None


def _properties(value: Any, where: str) -> tuple[Property, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise BadReconcileRequest(f"{where}: `properties` must be a list of {{pid, v}}")
    props = []
    for item in value:
        if not isinstance(item, dict) or "pid" not in item or "v" not in item:
            raise BadReconcileRequest(f"{where}: each property is an object with `pid` and `v`")
        pid = item["pid"]
        if pid not in QUERY_PROPERTIES:
            raise BadReconcileRequest(
                f"{where}: unknown property {pid!r}; the properties are {', '.join(QUERY_PROPERTIES)}"
            )
        raw = item["v"] if isinstance(item["v"], list) else [item["v"]]
        values = tuple(t for t in (_value_text(v) for v in raw) if t)
        if values:
            props.append(Property(pid, values))
    return tuple(props)


def _limit(value: Any, where: str) -> int:
    if value is None:
        return DEFAULT_LIMIT
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 1:
        raise BadReconcileRequest(f"{where}: `limit` must be a positive number")
    return min(int(value), MAX_LIMIT)


def query(qid: str, body: Any) -> Query:
    where = f"query {qid!r}"
    if isinstance(body, str):
        body = {"query": body}
    if not isinstance(body, dict):
        raise BadReconcileRequest(f"{where} must be an object with `query`")
    text = body.get("query", "")
    if not isinstance(text, str):
        raise BadReconcileRequest(f"{where}: `query` must be a string")
    if len(text) > MAX_TEXT:
        raise BadReconcileRequest(f"{where}: `query` is longer than {MAX_TEXT} characters")
    props = _properties(body.get("properties"), where)
    if not text.strip() and not props:
        raise BadReconcileRequest(f"{where} has neither a query text nor properties")
    return Query(qid, text.strip(), _kinds(body.get("type"), where), _limit(body.get("limit"), where), props)


def batch(payload: Any) -> list[Query]:
    """A batch `{"q0": {...}, ...}`, each query checked."""
    if not isinstance(payload, dict) or not payload:
        raise BadReconcileRequest('`queries` must be a non-empty object {"q0": {"query": ...}, ...}')
    if len(payload) > MAX_QUERIES:
        raise BadReconcileRequest(f"at most {MAX_QUERIES} queries a batch (got {len(payload)})")
    return [query(str(qid), body) for qid, body in payload.items()]


def single(raw: str) -> Query:
    """`query=` alone: a JSON query object or the text itself."""
    stripped = raw.strip()
    return query("q", parse_json(stripped, "`query`") if stripped.startswith("{") else stripped)


@dataclass(frozen=True)
class Extension:
    ids: tuple[str, ...]
    properties: tuple[str, ...]


def extension(payload: Any, offered: tuple[str, ...]) -> Extension:
    if not isinstance(payload, dict):
        raise BadReconcileRequest('`extend` must be an object {"ids": [...], "properties": [{"id": ...}]}')
    ids, props = payload.get("ids"), payload.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise BadReconcileRequest("`extend.ids` must be a list of entity ids")
    if len(ids) > MAX_EXTEND_IDS:
        raise BadReconcileRequest(f"at most {MAX_EXTEND_IDS} ids an extension (got {len(ids)})")
    if not isinstance(props, list) or not all(
        isinstance(p, dict) and isinstance(p.get("id"), str) for p in props
    ):
        raise BadReconcileRequest("`extend.properties` must be a list of {id}")
    names = tuple(p["id"] for p in props)
    unknown = [n for n in names if n not in offered]
    if unknown:
        raise BadReconcileRequest(
            f"unknown property {unknown[0]!r}; the service extends {', '.join(offered)}"
        )
    return Extension(tuple(ids), names)
