"""The package's layers, lowest first: each module imports only from layers below its own,
so there is no import cycle; only the store knows the engine, nothing below the web layer
imports it.

A unit is a top-level module or subpackage of ``legalgraph``; every import counts, also one
inside a function or under ``TYPE_CHECKING`` (a cycle hidden from the interpreter is still a
cycle for the reader).
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest
from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "legalgraph"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("media",),
    ("errors", "namespaces", "paths", "formats", "results", "sourcemap", "netguard"),
    ("store", "settings"),
    ("queries", "shacl_report"),
    ("rules", "resolve", "validate", "todo"),
    ("build", "search"),
    ("engine",),
    ("lookup", "coverage", "compare"),
    ("hierarchy", "answer", "diff"),
    ("endpoint",),
    ("web",),
    ("cli",),
    ("__init__", "__main__"),
)
"""Lowest first: the media-type registry (plain data); the store asks SPARQL; the rules ask the
store and the build step runs them above it; the engine reads the built graph and decides every
answer; the surfaces (compare, coverage, lookup, the tree, the sentence) read the engine; the
SPARQL endpoint asks the store; the web pages and the commands sit on top."""

LAYER = {unit: n for n, units in enumerate(LAYERS) for unit in units}
MODULES = sorted(PACKAGE.rglob("*.py"))


def _unit(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    """The legalgraph units (and other top-level modules) ``path`` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "legalgraph":
                names.update(f"legalgraph.{alias.name}" for alias in node.names)
            else:
                names.add(node.module)
    return names


def _units_imported(path: Path) -> set[str]:
    return {name.split(".")[1] for name in _imports(path)
            if name.startswith("legalgraph.")} - {_unit(path)}


def test_every_unit_has_a_layer() -> None:
    units = {_unit(path) for path in MODULES}
    assert units == set(LAYER), f"give these a layer: {sorted(units ^ set(LAYER))}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_go_down_the_layers(path: Path) -> None:
    here = LAYER[_unit(path)]
    upward = {u for u in _units_imported(path) if LAYER.get(u, len(LAYERS)) >= here}
    assert not upward, f"{_unit(path)} (layer {here}) imports {sorted(upward)}"


def test_no_import_cycle() -> None:
    graph = nx.DiGraph()
    for path in MODULES:
        for unit in _units_imported(path):
            graph.add_edge(_unit(path), unit)
    assert list(nx.simple_cycles(graph)) == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_store_imports_the_engine(path: Path) -> None:
    if path.is_relative_to(PACKAGE / "store"):
        return
    assert not any(name.split(".")[0] == "pyoxigraph" for name in _imports(path))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_lower_layers_never_import_the_web_layer(path: Path) -> None:
    if path.is_relative_to(PACKAGE / "web") or path.is_relative_to(PACKAGE / "cli"):
        return
    assert not any(name.startswith("legalgraph.web") for name in _imports(path))


def test_the_checks_see_the_imports() -> None:
    assert "pyoxigraph" in _imports(PACKAGE / "store" / "graph.py")
    assert "legalgraph.web" in _imports(PACKAGE / "cli" / "serve.py") or any(
        name.startswith("legalgraph.web") for name in _imports(PACKAGE / "cli" / "serve.py")
    )
    assert "engine" in _units_imported(PACKAGE / "compare.py")
    assert {"rules", "store"} <= _units_imported(PACKAGE / "build.py")
