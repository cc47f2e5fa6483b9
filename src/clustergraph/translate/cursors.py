"""Opaque cursors (positions in a list) and global ids (kind and key), both base64."""

from __future__ import annotations

import base64

from clustergraph.model import Kind


def global_id(kind: str, key: str) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{key}".encode()).decode()


def parse_global_id(value: str) -> tuple[str, str] | None:
    try:
        kind, key = base64.urlsafe_b64decode(value.encode()).decode().split(":", 1)
    except (ValueError, UnicodeDecodeError):
        return None
    return (kind, key) if kind in Kind._value2member_map_ else None


def encode_cursor(position: int) -> str:
    """The cursor of the item at 1-based `position`; `after` it, a page starts at that offset."""
    return base64.urlsafe_b64encode(f"offset:{position}".encode()).decode()


def decode_cursor(cursor: str) -> int | None:
    try:
        prefix, number = base64.urlsafe_b64decode(cursor.encode()).decode().split(":", 1)
        offset = int(number)
    except (ValueError, UnicodeDecodeError):
        return None
    return offset if prefix == "offset" and offset >= 0 else None
