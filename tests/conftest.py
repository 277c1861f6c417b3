"""Shared fixtures: the real store, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from legalgraph.store import Store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
REFERENCE = FIXTURES / "reference"


@pytest.fixture(scope="session")
def store() -> Store:
    """The shipped graph (ontology + data + derived facts) on the embedded store."""
    return Store.load()
