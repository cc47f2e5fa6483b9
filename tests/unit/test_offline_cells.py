"""The offline import's CSV cells and which migration statements it runs (no database)."""

from __future__ import annotations

import csv
import io

from clustergraph.graph.migrations import discover
from clustergraph.offline.cells import ABSENT, ARRAY_DELIMITER, cell, expressible
from clustergraph.offline.schema import schema_statements


def _line(*values: object) -> str:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerow([cell(v) for v in values])
    return out.getvalue()


def test_strings_are_quoted_and_absent_values_left_empty() -> None:
    # neo4j-admin reads `""` as the empty string and an empty cell as no property.
    assert _line("", None, 'a "b", c', 7, True, False) == '"",,"a ""b"", c",7,"true","false"\n'
    assert str(ABSENT) == ""


def test_lists_join_with_a_character_validation_refuses() -> None:
    assert _line(["a", "", "b"]) == f'"a{ARRAY_DELIMITER}{ARRAY_DELIMITER}b"\n'
    assert not expressible([]) and not expressible([""])
    assert expressible(["", ""]) and expressible(["x"])


def test_only_constraints_and_indexes_are_run_after_an_offline_import() -> None:
    skipped = {
        m.id: [s.split()[0] for s in m.statements() if s not in schema_statements(m)] for m in discover()
    }
    # The data statements: merged keys (0005), numbering old changes (0007), their keys (0009).
    assert {k: v for k, v in skipped.items() if v} == {
        "0005_merged_keys": ["MATCH"],
        "0007_change_sequence": ["MATCH"],
        "0009_change_keys": ["MATCH"],
    }
    assert all(schema_statements(m) for m in discover())
