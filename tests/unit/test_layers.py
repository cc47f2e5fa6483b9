"""The package's layers (issue 25, point 6): every import runs down, never up.

The list is the one `clustergraph/__init__.py` explains; a module imports only from its own
layer or one below it, and only the command line imports the tools package."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import clustergraph

SRC = Path(clustergraph.__file__).parent.parent
LAYERS: list[set[str]] = [
    {"app", "cli"},
    {"http", "web", "reconcile"},
    {"schema"},
    {"execution"},
    {"curation", "importer", "offline", "places", "ingest", "live", "auth", "exporting"},
    {"translate"},
    {"graph"},
    {"cypher"},
    {
        "errors",
        "model",
        "settings",
        "values",
        "folding",
        "paths",
        "metrics",
        "observe",
        "client_address",
        "model_doc",
    },
]
LEVEL = {unit: level for level, units in enumerate(LAYERS) for unit in units}


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[0] if parts[0] != "clustergraph" else (parts[1] if len(parts) > 1 else "")


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "clustergraph":
                yield from ((node.lineno, f"clustergraph.{alias.name}") for alias in node.names)
            else:
                yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)


def _modules(package: str) -> list[Path]:
    return sorted((SRC / package).rglob("*.py"))


def test_every_unit_of_the_package_has_a_layer() -> None:
    units = {
        path.relative_to(SRC / "clustergraph").parts[0].removesuffix(".py")
        for path in _modules("clustergraph")
    }
    assert units - {"__init__"} == set(LEVEL)


@pytest.mark.parametrize("path", _modules("clustergraph"), ids=lambda p: str(p.relative_to(SRC)))
def test_imports_run_down_the_layers(path: Path) -> None:
    own = path.relative_to(SRC / "clustergraph").parts[0].removesuffix(".py")
    if own == "__init__":
        return
    for line, module in _imports(path):
        if module.startswith("clustergraph_tools"):
            assert own == "cli", f"{path.name}:{line} imports the tools package {module}"
        elif module.startswith("clustergraph.") and _unit(module) != own:
            target = _unit(module)
            assert LEVEL[target] >= LEVEL[own], (
                f"{own} ({path.name}:{line}) imports {module}, a layer above it"
            )


def test_the_tools_import_nothing_served_but_the_foundation_and_the_graph() -> None:
    allowed = LAYERS[4] | LAYERS[6] | LAYERS[7] | LAYERS[8]
    for path in _modules("clustergraph_tools"):
        for line, module in _imports(path):
            if module.startswith("clustergraph."):
                assert _unit(module) in allowed, f"{path.name}:{line} imports {module}"
