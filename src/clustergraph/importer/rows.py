"""The import format's rows, validated against the data model's allow-lists."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from clustergraph.model import REL_TYPES, Kind, properties_of, rel_properties_of

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9-]*:[a-z0-9][a-z0-9.-]*$")
COUNTRY_PATTERN = re.compile(r"^[A-Z]{2}$")
DATE_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
NAME_PATTERN = re.compile(r"^[a-z]{2}:.+")
URL_PATTERN = re.compile(r"^https?://[^\s/$.?#].[^\s]*$")

_TYPE_NAMES = {str: "a string", int: "an integer", bool: "true or false", list: "a list of strings"}
_DATE_PROPERTIES = {"startDate", "endDate", "since"}


def check_property(name: str, value: Any, allowed: dict[str, type]) -> None:
    """Raise ValueError naming the property when it is unknown or its value is off."""
    if name not in allowed:
        raise ValueError(f"unknown property {name!r}; allowed: {', '.join(sorted(allowed))}")
    expected = allowed[name]
    ok = isinstance(value, expected) and not (expected is int and isinstance(value, bool))
    if expected is list:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    if not ok:
        raise ValueError(f"property {name!r} must be {_TYPE_NAMES[expected]}")
    if name == "country" and not COUNTRY_PATTERN.match(value):
        raise ValueError(f"property 'country' must be an ISO 3166-1 alpha-2 code such as 'PL', not {value!r}")
    if name in _DATE_PROPERTIES and not DATE_PATTERN.match(value):
        raise ValueError(f"property {name!r} must be a date YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    if name == "names" and not all(NAME_PATTERN.match(v) for v in value):
        raise ValueError("property 'names' must hold entries 'lang:value', such as 'pl:Klaster'")
    if name == "url" and not URL_PATTERN.match(value):
        raise ValueError(f"property 'url' must be an http(s) URL, not {value!r}")


# Keys already found well-formed: a bulk import names the same keys over and over
# (every relationship end, every source), and a set look-up is cheaper than the regex.
# Bounded, so that a long-running process does not grow it without end.
_GOOD_KEYS: set[str] = set()
_GOOD_KEYS_MAX = 2_000_000


def _check_key(value: str, what: str) -> str:
    if value in _GOOD_KEYS:
        return value
    if not KEY_PATTERN.match(value):
        raise ValueError(f"{what} {value!r} is not a key of the form 'kind:slug' (lower-case ASCII)")
    if len(_GOOD_KEYS) < _GOOD_KEYS_MAX:
        _GOOD_KEYS.add(value)
    return value


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

    @model_validator(mode="after")
    def _properties(self) -> NodeRow:
        allowed = properties_of(self.kind)
        for name, value in self.properties.items():
            check_property(name, value, allowed)
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

    @model_validator(mode="after")
    def _properties(self) -> RelationshipRow:
        allowed = rel_properties_of(self.rel)
        for name, value in self.properties.items():
            if name == "sources":
                raise ValueError("give sources in the row's 'sources', not as a property")
            check_property(name, value, allowed)
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
