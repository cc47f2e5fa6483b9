"""The schema documents itself: every type, field, argument, enum value and input field has a
description, by graphql-schema-linter's rules on the SDL, and the live service's introspection
(what GraphiQL's docs show) carries the same descriptions as the checked-in SDL."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    build_schema,
)

from clustergraph.paths import PROJECT_ROOT, SDL_FILE
from clustergraph.schema.build import sdl

LINTER = PROJECT_ROOT / "tools" / "audit" / "node_modules" / "graphql-schema-linter" / "lib" / "cli.js"
RULES = (
    "types-have-descriptions",
    "fields-have-descriptions",
    "arguments-have-descriptions",
    "enum-values-have-descriptions",
    "input-object-values-have-descriptions",
    "descriptions-are-capitalized",
    "defined-types-are-used",
)
# One undocumented thing of each kind the rules look at, a description in lower case,
# and a type nothing uses.
UNDOCUMENTED = """
type Query { "the entity" entity(key: String): Thing }
type Thing { kind: Kind }
enum Kind { CLUSTER }
input Filter { country: String }
type Unused { name: String }
"""
INTROSPECTION = """{ __schema { types {
  name description
  fields(includeDeprecated: true) { name description args { name description } }
  inputFields { name description }
  enumValues(includeDeprecated: true) { name description }
} } }"""


def lint(tmp_path: Path, text: str) -> list[dict[str, Any]]:
    """graphql-schema-linter's findings on an SDL text, by the rules above."""
    node = shutil.which("node")
    assert node, "Node.js is needed for graphql-schema-linter (scripts/setup installs it)"
    assert LINTER.is_file(), "run scripts/setup (npm ci in tools/audit)"
    path = tmp_path / "schema.graphql"
    path.write_text(text, encoding="utf-8")
    run = subprocess.run(
        [node, str(LINTER), "--rules", ",".join(RULES), "--format", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr  # 1: findings; anything else: the linter failed
    errors: list[dict[str, Any]] = json.loads(run.stdout)["errors"]
    assert (run.returncode == 1) == bool(errors), run.stdout + run.stderr
    return errors


def test_the_linter_finds_what_lacks_a_description(tmp_path: Path) -> None:
    # The guard below is only as good as the linter's rules: each must report its finding.
    found = {error["rule"] for error in lint(tmp_path, UNDOCUMENTED)}
    assert found == set(RULES), found


def test_every_part_of_the_schema_has_a_description(tmp_path: Path) -> None:
    findings = [f"{e['location']['line']}: {e['message']} ({e['rule']})" for e in lint(tmp_path, sdl())]
    assert not findings, "\n".join(findings)


def _descriptions(types: list[dict[str, Any]]) -> dict[str, str | None]:
    """Every schema coordinate (Type, Type.field, Type.field(arg:), Enum.VALUE) and its description."""
    found: dict[str, str | None] = {}
    for t in types:
        if t["name"].startswith("__"):
            continue
        name = t["name"]
        found[name] = t["description"]
        for field in (t["fields"] or []) + (t["inputFields"] or []):
            found[f"{name}.{field['name']}"] = field["description"]
            for arg in field.get("args") or []:
                found[f"{name}.{field['name']}({arg['name']}:)"] = arg["description"]
        for value in t["enumValues"] or []:
            found[f"{name}.{value['name']}"] = value["description"]
    return found


def _sdl_descriptions() -> dict[str, str | None]:
    """The same coordinates, read from the checked-in SDL."""
    schema = build_schema(SDL_FILE.read_text(encoding="utf-8"))
    found: dict[str, str | None] = {}
    for name, t in schema.type_map.items():
        if name.startswith("__"):
            continue
        found[name] = t.description
        if isinstance(t, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in t.fields.items():
                found[f"{name}.{field_name}"] = field.description
                for arg_name, arg in field.args.items():
                    found[f"{name}.{field_name}({arg_name}:)"] = arg.description
        elif isinstance(t, GraphQLInputObjectType):
            for field_name, input_field in t.fields.items():
                found[f"{name}.{field_name}"] = input_field.description
        elif isinstance(t, GraphQLEnumType):
            for value_name, value in t.values.items():
                found[f"{name}.{value_name}"] = value.description
    return found


async def test_graphiql_docs_show_every_description(http: httpx.AsyncClient) -> None:
    body = (await http.post("/graphql", json={"query": INTROSPECTION})).json()
    assert "errors" not in body, body
    live = _descriptions(body["data"]["__schema"]["types"])
    undocumented = sorted(coordinate for coordinate, text in live.items() if not (text or "").strip())
    assert not undocumented, undocumented
    # What GraphiQL shows is what the checked-in SDL says, coordinate by coordinate.
    checked_in = _sdl_descriptions()
    assert live.keys() == checked_in.keys()
    differ = sorted(c for c in live if live[c] != checked_in[c])
    assert not differ, differ
