"""Writing synthetic rows in the bulk-import format: JSON Lines, node rows first.

Each group of nodes goes to its own file, in load order; every relationship goes to
one last file, so that within each file node rows come before relationship rows.
Every row is marked `synthetic` and cites the one synthetic source.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

import orjson

SOURCE_KEY = "source:synthetic"
RELATIONSHIPS_FILE = "99-relationships.jsonl"


class Sink:
    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.jsonl"):
            old.unlink()
        self.folder = folder
        self.nodes = 0
        self.relationships = 0
        self._node_file: IO[bytes] | None = None
        self._rel_file = (folder / RELATIONSHIPS_FILE).open("wb")

    def group(self, name: str) -> None:
        """Start the next file of node rows (`name` orders it: '02-places')."""
        if self._node_file:
            self._node_file.close()
        self._node_file = (self.folder / f"{name}.jsonl").open("wb")

    def node(self, kind: str, key: str, properties: dict[str, Any], sources: list[str] | None = None) -> None:
        assert self._node_file is not None, "call group() first"
        properties["synthetic"] = True
        row = {
            "type": "node",
            "kind": kind,
            "key": key,
            "properties": properties,
            "sources": [SOURCE_KEY] if sources is None else sources,
        }
        self._node_file.write(orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE))
        self.nodes += 1

    def rel(self, rel: str, start: str, end: str, properties: dict[str, Any] | None = None) -> None:
        props = properties or {}
        props["synthetic"] = True
        row = {
            "type": "relationship",
            "rel": rel,
            "from": start,
            "to": end,
            "properties": props,
            "sources": [SOURCE_KEY],
        }
        self._rel_file.write(orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE))
        self.relationships += 1

    def close(self) -> None:
        if self._node_file:
            self._node_file.close()
        self._rel_file.close()
