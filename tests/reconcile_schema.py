"""The JSON schemas of the reconciliation API 0.2 (vendored in tests/reconcile_schemas/, see
its NOTICE), as validators: `validate("manifest", answer)` fails the test on any violation."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

FOLDER = Path(__file__).parent / "reconcile_schemas"


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted(FOLDER.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema, default_specification=DRAFT7)))
    return Registry().with_resources(resources)


def validator(name: str) -> Draft7Validator:
    schema = json.loads((FOLDER / f"{name}.json").read_text(encoding="utf-8"))
    return Draft7Validator(schema, registry=_registry())


def validate(name: str, instance: Any) -> None:
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
