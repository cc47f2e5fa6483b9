"""Opaque cursors (positions in a list) and global ids (kind and key), both base64."""

from __future__ import annotations

import base64
import re

from clustergraph.model import Kind


def global_id(kind: str, key: str) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{key}".encode()).decode()


def parse_global_id(value: str) -> tuple[str, str] | None:
    """(kind, key) of an id this service wrote, or None: strict like the cursors."""
    try:
        kind, key = base64.urlsafe_b64decode(value.encode("ascii")).decode("utf-8").split(":", 1)
    except (ValueError, UnicodeError):
        return None
    if kind not in Kind._value2member_map_ or global_id(kind, key) != value:
        return None
    return kind, key


def encode_cursor(position: int) -> str:
    """The cursor of the item at 1-based `position`; `after` it, a page starts at that offset."""
    return base64.urlsafe_b64encode(f"offset:{position}".encode()).decode()


# Far past any list the graph holds; a larger offset is no cursor this service wrote.
MAX_OFFSET = 10_000_000
_OFFSET = re.compile(r"offset:(0|[1-9][0-9]{0,7})")


def decode_cursor(cursor: str) -> int | None:
    """The offset of a cursor this service wrote, or None for anything else.

    Only the exact text `encode_cursor` writes is taken: no padding variants, no `3_0`,
    no digits of other scripts, nothing past MAX_OFFSET."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
    except (ValueError, UnicodeError):
        return None
    match = _OFFSET.fullmatch(text)
    if match is None or encode_cursor(int(match.group(1))) != cursor:
        return None
    offset = int(match.group(1))
    return offset if offset <= MAX_OFFSET else None


# A change's place in the log: its sequence number (history pages are keyset, not offsets).
_CHANGE = re.compile(r"change:([1-9][0-9]{0,17})")


def encode_change_cursor(seq: int) -> str:
    """The cursor of the change numbered `seq`; `after` it, a page goes on with older changes."""
    return base64.urlsafe_b64encode(f"change:{seq}".encode()).decode()


def decode_change_cursor(cursor: str) -> int | None:
    """The sequence number of a change cursor this service wrote, or None for anything else
    (as strict as `decode_cursor`)."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
    except (ValueError, UnicodeError):
        return None
    match = _CHANGE.fullmatch(text)
    if match is None or encode_change_cursor(int(match.group(1))) != cursor:
        return None
    return int(match.group(1))
