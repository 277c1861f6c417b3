"""Options and helpers shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click

from legalgraph import build
from legalgraph.store import Store


def data_option(function: click.decorators.FC) -> click.decorators.FC:
    """``--data PATH`` (repeatable): load these files instead of the shipped graph."""
    return click.option(
        "--data",
        "data_paths",
        multiple=True,
        type=click.Path(exists=True, dir_okay=True, path_type=Path),
        help="Turtle file or folder to load instead of the shipped ontology and data "
        "(repeatable).",
    )(function)


def load_store(data_paths: tuple[Path, ...] = ()) -> Store:
    """The graph: the shipped files, or the files and folders given."""
    if not data_paths:
        return build.load()
    files: list[Path] = []
    for path in data_paths:
        files.extend(sorted(path.rglob("*.ttl")) if path.is_dir() else [path])
    return build.load(files)
