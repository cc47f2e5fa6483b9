"""The field model: what each schema field reads of the graph and how its value is read from its parent's row.

Built once with the schema (`schema/field_model.py`, from what each type definition declares
in its fields' `metadata`), then read by the planner (`plan.py`, `roots.py`: the `graph`
spec) and by the shaper (`execution/shape.py`: the `read`). The resolvers graphql-core runs
read with the same functions, so the two executors cannot read a field differently.
A field with no `read` is only graphql-core's to resolve (history, review, the live feed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from clustergraph.translate.specs import Spec

# How a field's value is read from its parent's row: (row, response key) -> value.
Reader = Callable[[Any, str], Any]


@dataclass(frozen=True)
class FieldSpec:
    graph: Spec | None = None  # what the field reads of the graph (None: the property of its name)
    read: Reader | None = None  # None: only graphql-core's executor can resolve it


_NONE = FieldSpec()


class FieldModel:
    """Every object type's fields, by (type name, GraphQL field name)."""

    def __init__(self, specs: Mapping[tuple[str, str], FieldSpec]) -> None:
        self._specs = dict(specs)

    def __getitem__(self, key: tuple[str, str]) -> FieldSpec:
        return self._specs.get(key, _NONE)

    def graph(self, type_name: str, field_name: str) -> Spec | None:
        return self[type_name, field_name].graph

    def reader(self, type_name: str, field_name: str) -> Reader | None:
        return self[type_name, field_name].read

    def __len__(self) -> int:
        return len(self._specs)
