"""Values as neo4j-admin's CSV reader takes them back: typed headers and cells.

Every string is quoted, so `""` is the empty string; an absent property is an empty,
unquoted cell. Lists are joined with a control character, which validation refuses in
keys and in every list item (`values.clean`), so no item can hold it.
"""

from __future__ import annotations

from typing import Any

# neo4j-admin's --array-delimiter, as its option spells it.
ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_OPTION = "U+001F"

# Neo4j's names of the data model's property types.
TYPE_NAMES: dict[type, str] = {str: "string", int: "long", bool: "boolean", list: "string[]"}


class _Absent(float):
    """A cell the csv module writes empty and unquoted (under QUOTE_NONNUMERIC it quotes
    every string and None, but leaves numbers bare): neo4j-admin reads it as no property."""

    def __str__(self) -> str:
        return ""


ABSENT = _Absent()


def expressible(values: list[str]) -> bool:
    """Whether neo4j-admin can read this list back from a cell: an empty cell or `""` is no
    property to it, so `[]` and `[""]` are set with Cypher after the import instead."""
    return bool(values) and values != [""]


def cell(value: Any) -> Any:
    """The cell of one property value (None: absent). Lists must be `expressible`."""
    if value is None:
        return ABSENT
    if isinstance(value, bool):  # before int: a bool is an int; neo4j-admin reads only lower case
        return "true" if value else "false"
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(value)
    return value


def header(name: str, kind: type) -> str:
    return f"{name}:{TYPE_NAMES[kind]}"


def multiline(value: Any) -> bool:
    """Whether a value spans lines (neo4j-admin then needs --multiline-fields, which is slower)."""
    return isinstance(value, str) and ("\n" in value or "\r" in value)
