"""The migrations after an offline import: their constraints and indexes, each then recorded.

A migration's other statements bring data written before it into its form (0005 indexes
merged keys, 0007 numbers old changes and creates the ChangeLog, 0009 indexes old changes
by key). Into an empty database, where the online import runs them, they find nothing
(0007 creates the counter at 0); the offline import writes its data in the current form,
the counter included, so they are skipped here: at a million changes 0009 alone would take
longer than the import. tests/test_offline_import.py compares the two graphs.
"""

from __future__ import annotations

import re

from clustergraph.cypher.offline import RECORD_MIGRATION
from clustergraph.graph.db import Graph
from clustergraph.graph.migrations import Migration, discover

_SCHEMA = re.compile(
    r"(CREATE|DROP)\s+(\w+\s+)?(CONSTRAINT|INDEX)\b|CALL\s+db\.awaitIndexes\b", re.IGNORECASE
)


def schema_statements(migration: Migration) -> list[str]:
    return [s for s in migration.statements() if _SCHEMA.match(s)]


async def apply_schema(graph: Graph) -> list[str]:
    """Create every migration's constraints and indexes, record each migration as applied,
    and wait for the indexes to come online; the ids applied."""
    applied: list[str] = []
    for migration in discover():
        for statement in schema_statements(migration):
            await graph.write(statement)
        await graph.write(RECORD_MIGRATION, {"id": migration.id, "checksum": migration.checksum})
        applied.append(migration.id)
    await graph.write("CALL db.awaitIndexes(600)")
    return applied
