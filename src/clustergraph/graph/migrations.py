"""Applying the schema's Cypher migrations once each, in order, recording them in the graph."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from clustergraph.errors import OperatorError
from clustergraph.graph.db import Graph
from clustergraph.paths import MIGRATIONS_DIR

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.cypher$")


@dataclass(frozen=True)
class Migration:
    id: str
    path: Path

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()

    def statements(self) -> list[str]:
        lines = [line for line in self.text.splitlines() if not line.strip().startswith("//")]
        return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def discover(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    found = [Migration(p.stem, p) for p in directory.iterdir() if _NAME.match(p.name)]
    return sorted(found, key=lambda m: m.id)


async def applied(graph: Graph) -> dict[str, str]:
    rows = await graph.read("MATCH (m:Migration) RETURN m.id AS id, m.checksum AS checksum")
    return {row["id"]: row["checksum"] for row in rows}


async def migrate(graph: Graph, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply pending migrations; return the ids applied now."""
    done = await applied(graph)
    newly: list[str] = []
    for migration in discover(directory):
        if migration.id in done:
            if done[migration.id] != migration.checksum:
                raise MigrationChanged(migration.id)
            continue
        # Schema changes cannot share a transaction with data writes in Neo4j, so each
        # statement runs alone; every statement is idempotent (IF NOT EXISTS).
        for statement in migration.statements():
            await graph.write(statement)
        await graph.write(
            "MERGE (m:Migration {id: $id}) SET m.checksum = $checksum, m.appliedAt = datetime()",
            {"id": migration.id, "checksum": migration.checksum},
        )
        newly.append(migration.id)
    await graph.write("CALL db.awaitIndexes(300)")
    return newly


class MigrationChanged(OperatorError):
    """A migration already applied whose text changed since: migrations are added, never edited."""

    def __init__(self, migration_id: str) -> None:
        super().__init__(
            f"migration {migration_id} was changed after it was applied; add a new migration instead"
        )
