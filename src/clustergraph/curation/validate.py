"""Checking curation input against the data model, with errors that name the offending field.

The rows of the import format (`clustergraph.importer.rows`) are the single definition
of a valid entity or relationship; mutations build those rows and reuse their checks.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from clustergraph.importer.rows import NodeRow, RelationshipRow
from clustergraph.model import Kind
from clustergraph.translate.plan import BadInput

_PROPERTY = re.compile(r"property '(\w+)'")


class InvalidInput(BadInput):
    """Input that breaks the data model; `field` names where (e.g. `properties.country`)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"`{field}`: {message}", field)


def node_row(kind: Kind, key: str, properties: dict[str, Any], sources: list[str]) -> NodeRow:
    try:
        return NodeRow(kind=kind, key=key, properties=properties, sources=sources)
    except ValidationError as error:
        raise _invalid(error) from None


def relationship_row(
    rel: str, start: str, end: str, properties: dict[str, Any], sources: list[str]
) -> RelationshipRow:
    try:
        return RelationshipRow.model_validate(
            {"rel": rel, "from": start, "to": end, "properties": properties, "sources": sources}
        )
    except ValidationError as error:
        raise _invalid(error, {"start": "from", "end": "to"}) from None


def _invalid(error: ValidationError, renames: dict[str, str] | None = None) -> InvalidInput:
    first = error.errors()[0]
    message = first["msg"].removeprefix("Value error, ")
    loc = [str((renames or {}).get(str(p), p)) for p in first["loc"] if not isinstance(p, int)]
    named = _PROPERTY.search(message)
    if loc == ["properties"] and named:
        loc.append(named.group(1))
    if not loc:
        # A check across fields (the model validators) says which property in its message.
        match = _PROPERTY.search(message)
        loc = ["properties", match.group(1)] if match else ["sources" if "source" in message else "input"]
    return InvalidInput(".".join(loc), message)
