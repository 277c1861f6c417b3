"""Where the bundled ontology, data, shapes and queries live.

In a source checkout they are the top-level folders of the repository; in an installed wheel
they are copied under ``legalgraph/_bundled``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _root() -> Path:
    bundled = _PACKAGE / "_bundled"
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent.parent


ROOT = _root()
ONTOLOGY_DIR = ROOT / "ontology"
DATA_DIR = ROOT / "data"
SHAPES_DIR = ROOT / "shapes"
QUERIES_DIR = ROOT / "queries"
RULES_DIR = _PACKAGE / "rules"

def turtle_files(folder: Path) -> list[Path]:
    """All Turtle files under ``folder``, sorted, so loading is deterministic."""
    return sorted(p for p in folder.rglob("*.ttl") if p.is_file())


def default_graph_files() -> list[Path]:
    """The ontology and the data that make up the shipped graph."""
    return turtle_files(ONTOLOGY_DIR) + turtle_files(DATA_DIR)
