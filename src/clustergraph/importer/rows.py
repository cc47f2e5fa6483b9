"""The import format's rows, validated against the data model's allow-lists."""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from clustergraph import values
from clustergraph.model import REL_TYPES, Kind, properties_of, rel_properties_of
from clustergraph.values import TextClass

_TYPE_NAMES = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "true or false",
    list: "a list of strings",
}
_DATE_PROPERTIES = frozenset({"startDate", "endDate", "since"})
_COUNTRY_PROPERTIES = frozenset({"country", "code"})
_KEY_PROPERTIES = frozenset({"via", "project", "mergedKeys"})
_FREE_TEXT_PROPERTIES = frozenset({"description", "address", "note"})
_CODE_PROPERTIES = frozenset({"sourceId", "property", "unit", "nutsCode"})
# Neo4j integers are 64-bit; a larger Python int fails in the driver, not here.
_INT_BOUND = 2**53


def check_property(name: str, value: Any, allowed: dict[str, type]) -> Any:
    """The value as stored (strings in NFC), or ValueError naming the property."""
    if name not in allowed:
        raise ValueError(f"unknown property {name!r}; allowed: {', '.join(sorted(allowed))}")
    expected = allowed[name]
    ok = isinstance(value, expected) and not (expected is int and isinstance(value, bool))
    if expected is float:  # a whole number is a number too (JSON writes 50.0 as 50 at times)
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    if expected is list:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    if not ok:
        raise ValueError(f"property {name!r} must be {_TYPE_NAMES[expected]}")
    field = f"property {name!r}"
    if expected is float:
        if not math.isfinite(value):
            raise ValueError(f"{field} must be a finite number")
        return float(value)
    if expected is int:
        if not -_INT_BOUND <= value <= _INT_BOUND:
            raise ValueError(f"{field} must be between {-_INT_BOUND} and {_INT_BOUND}")
        return value
    if expected is list:
        if name == "names":
            return [values.localized_name(v, field) for v in values.string_list(value, field, TextClass.NAME)]
        if name in _KEY_PROPERTIES:
            return [_check_key(v, field) for v in value]
        return values.string_list(value, field, TextClass.NAME)
    if expected is not str:
        return value
    return _check_string(name, value, field)


def _check_string(name: str, value: str, field: str) -> str:
    if name in _COUNTRY_PROPERTIES:
        return values.country(value, field)
    if name in _DATE_PROPERTIES:
        return values.date(value, field)
    if name == "url":
        return values.url(value, field)
    if name == "language":
        cleaned = values.clean(value, field, TextClass.CODE)
        if not values.LANGUAGE_PATTERN.fullmatch(cleaned):
            raise ValueError(f"{field} must be an ISO 639 code such as 'pl', not {value!r}")
        return cleaned
    if name in _KEY_PROPERTIES:
        return _check_key(value, field)
    if name in _FREE_TEXT_PROPERTIES:
        return values.clean(value, field, TextClass.TEXT)
    text_class = TextClass.CODE if name in _CODE_PROPERTIES else TextClass.NAME
    return values.clean(value, field, text_class)


# Keys already found well-formed: a bulk import names the same keys over and over
# (every relationship end, every source), and a set look-up is cheaper than the regex.
# Bounded, so that a long-running process does not grow it without end.
_GOOD_KEYS: set[str] = set()
_GOOD_KEYS_MAX = 2_000_000


def _check_key(value: str, what: str) -> str:
    if value in _GOOD_KEYS:
        return value
    checked = values.key(value, what)
    if len(_GOOD_KEYS) < _GOOD_KEYS_MAX:
        _GOOD_KEYS.add(checked)
    return checked


def _checked_properties(value: dict[str, Any], allowed: dict[str, type]) -> dict[str, Any]:
    return {name: check_property(name, v, allowed) for name, v in value.items()}


class NodeRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["node"] = "node"
    kind: Kind
    key: str
    properties: dict[str, Any] = Field(default_factory=dict)
    sources: list[str] = Field(default_factory=list)

    @field_validator("key")
    @classmethod
    def _key(cls, value: str) -> str:
        return _check_key(value, "key")

    @field_validator("sources")
    @classmethod
    def _sources(cls, value: list[str]) -> list[str]:
        return [_check_key(v, "source") for v in value]

    @field_validator("properties")
    @classmethod
    def _properties(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        kind = info.data.get("kind")
        return value if kind is None else _checked_properties(value, properties_of(kind))

    @model_validator(mode="after")
    def _complete(self) -> NodeRow:
        if not isinstance(self.properties.get("name"), str) or not self.properties["name"].strip():
            raise ValueError("property 'name' is required")
        if "key" in self.properties and self.properties["key"] != self.key:
            raise ValueError("property 'key' differs from the row's key")
        if self.kind is not Kind.SOURCE and not self.sources:
            raise ValueError("every entity needs at least one source in 'sources'")
        return self


class RelationshipRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    type: Literal["relationship"] = "relationship"
    rel: str
    start: str = Field(alias="from")
    end: str = Field(alias="to")
    properties: dict[str, Any] = Field(default_factory=dict)
    sources: list[str] = Field(default_factory=list)

    @field_validator("rel")
    @classmethod
    def _rel(cls, value: str) -> str:
        if value not in REL_TYPES:
            raise ValueError(f"unknown relationship type {value!r}; allowed: {', '.join(sorted(REL_TYPES))}")
        return value

    @field_validator("start", "end")
    @classmethod
    def _ends(cls, value: str) -> str:
        return _check_key(value, "key")

    @field_validator("sources")
    @classmethod
    def _sources(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("every relationship needs at least one source in 'sources'")
        return [_check_key(v, "source") for v in value]

    @field_validator("properties")
    @classmethod
    def _properties(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        if "sources" in value:
            raise ValueError("give sources in the row's 'sources', not as a property")
        rel = info.data.get("rel")
        return value if rel is None else _checked_properties(value, rel_properties_of(rel))

    @model_validator(mode="after")
    def _complete(self) -> RelationshipRow:
        for name in REL_TYPES[self.rel].identity:
            if name not in self.properties:
                raise ValueError(f"a {self.rel} relationship needs the property {name!r}")
        return self

    def check_ends(self, start_kind: Kind, end_kind: Kind) -> None:
        rel = REL_TYPES[self.rel]
        if start_kind not in rel.starts or end_kind not in rel.ends:
            raise ValueError(
                f"{self.rel} cannot join a {start_kind.value} to a {end_kind.value}; it joins "
                f"{'/'.join(sorted(k.value for k in rel.starts))} to {'/'.join(sorted(k.value for k in rel.ends))}"
            )

    def identity(self) -> tuple[str, str, str, tuple[Any, ...]]:
        return (
            self.rel,
            self.start,
            self.end,
            tuple(self.properties[p] for p in REL_TYPES[self.rel].identity),
        )


Row = NodeRow | RelationshipRow
