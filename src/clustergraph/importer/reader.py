"""Reading import files (JSON Lines, or CSV with one file per kind) into validated rows.

CSV: a file named after a kind (`Organisation.csv`) holds nodes, with the columns
`key`, `sources` and any of the kind's properties; a file named after a relationship
type (`PARTNER_IN.csv`) holds relationships, with the columns `from`, `to`, `sources`
and any of the type's properties. List values are separated by `|`; integer and
boolean properties are converted by the data model's property types.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from clustergraph.importer.rows import NodeRow, RelationshipRow, Row
from clustergraph.model import REL_TYPES, Kind, properties_of, rel_properties_of

LIST_SEPARATOR = "|"


@dataclass(frozen=True)
class Located:
    file: Path
    line: int
    row: Row


@dataclass(frozen=True)
class Rejected:
    """A row that is not written: invalid alone, or in conflict with the graph or the import
    (`conflict`), with what it is (`subject`: kind and key, or the relationship) when known."""

    file: Path
    line: int
    reason: str
    subject: str | None = None
    conflict: bool = False

    def __str__(self) -> str:
        what = f"{self.subject}: " if self.subject else ""
        return f"{self.file}:{self.line}: {what}{self.reason}"


def import_files(path: Path) -> list[Path]:
    """The files an import of `path` reads, in load order (a folder: by name)."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"no such file or folder: {path}")
    return sorted(p for p in path.iterdir() if p.suffix in {".jsonl", ".csv"})


def read(path: Path) -> Iterator[Located | Rejected]:
    for file in import_files(path):
        if file.suffix == ".jsonl":
            yield from read_jsonl(file)
        else:
            yield from read_csv(file)


def read_jsonl(file: Path) -> Iterator[Located | Rejected]:
    # Bytes straight to orjson: several times faster than decoding and json.loads.
    with file.open("rb") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                data = orjson.loads(text)
            except orjson.JSONDecodeError as error:
                yield Rejected(file, number, f"not valid JSON: {error.msg} at column {error.colno}")
                continue
            yield _parse(file, number, data)


def read_csv(file: Path) -> Iterator[Located | Rejected]:
    name = file.stem
    if name in Kind._value2member_map_:
        kind = Kind(name)
        types = properties_of(kind)
    elif name in REL_TYPES:
        kind = None
        types = rel_properties_of(name)
    else:
        yield Rejected(file, 0, f"a CSV file is named after a kind or relationship type, not {name!r}")
        return
    with file.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for record in reader:
            number = reader.line_num
            try:
                data = _csv_record(record, kind, name, types)
            except ValueError as error:
                yield Rejected(file, number, str(error))
                continue
            yield _parse(file, number, data)


def _csv_record(
    record: dict[str, str], kind: Kind | None, name: str, types: dict[str, type]
) -> dict[str, Any]:
    sources = [s for s in (record.pop("sources", "") or "").split(LIST_SEPARATOR) if s]
    if kind is not None:
        data: dict[str, Any] = {
            "type": "node",
            "kind": kind.value,
            "key": record.pop("key", ""),
            "sources": sources,
        }
    else:
        data = {
            "type": "relationship",
            "rel": name,
            "from": record.pop("from", ""),
            "to": record.pop("to", ""),
            "sources": sources,
        }
    data["properties"] = {
        column: _csv_value(column, value, types)
        for column, value in record.items()
        if value not in ("", None)
    }
    return data


def _csv_value(column: str, value: str, types: dict[str, type]) -> Any:
    expected = types.get(column, str)
    if expected is list:
        return [v for v in value.split(LIST_SEPARATOR) if v]
    if expected is int:
        try:
            return int(value)
        except ValueError:
            raise ValueError(f"column {column!r} must be an integer, not {value!r}") from None
    if expected is float:
        try:
            return float(value)
        except ValueError:
            raise ValueError(f"column {column!r} must be a number, not {value!r}") from None
    if expected is bool:
        if value.lower() not in {"true", "false"}:
            raise ValueError(f"column {column!r} must be true or false, not {value!r}")
        return value.lower() == "true"
    return value


def _parse(file: Path, number: int, data: Any) -> Located | Rejected:
    if not isinstance(data, dict):
        return Rejected(file, number, "a row must be a JSON object")
    try:
        if data.get("type") == "relationship":
            return Located(file, number, RelationshipRow.model_validate(data))
        if data.get("type") == "node":
            return Located(file, number, NodeRow.model_validate(data))
    except ValidationError as error:
        return Rejected(file, number, _reason(error))
    return Rejected(file, number, "field 'type' must be 'node' or 'relationship'")


def _reason(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)
