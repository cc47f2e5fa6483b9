"""The field model of the Strawberry schema, built once when the schema is built.

Read from Strawberry's public API only: each object type's definition
(`Schema.get_type_by_name`), its fields' GraphQL names (the schema's name converter) and
the `metadata` the type definitions pass (`schema/types.py`: `graph`, the field's graph spec;
`read`, how its value is read from its parent's row). A field without a resolver is read
as the schema's default resolver reads it.
"""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLSchema, is_object_type
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from clustergraph.translate.fields import FieldModel, FieldSpec, Reader


def field_model(schema: strawberry.Schema, graphql_schema: GraphQLSchema) -> FieldModel:
    names = schema.config.name_converter
    default = schema.config.default_resolver
    specs: dict[tuple[str, str], FieldSpec] = {}
    for type_name, graphql_type in graphql_schema.type_map.items():
        if type_name.startswith("__") or not is_object_type(graphql_type):
            continue
        definition = schema.get_type_by_name(type_name)
        if not isinstance(definition, StrawberryObjectDefinition):
            continue
        for field in definition.fields:
            spec = FieldSpec(field.metadata.get("graph"), _reader(field, default))
            specs[type_name, names.get_graphql_name(field)] = spec
    return FieldModel(specs)


def _reader(field: StrawberryField, default: Any) -> Reader | None:
    read: Reader | None = field.metadata.get("read")
    if read is not None or field.base_resolver is not None or field.permission_classes:
        return read
    python_name = field.python_name
    return lambda row, _key: default(row, python_name)
