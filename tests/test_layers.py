"""The layers stay in one direction: only the store knows the engine, nothing below the web
layer imports it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "legalgraph"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


MODULES = sorted(PACKAGE.rglob("*.py"))


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
