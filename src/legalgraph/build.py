"""The build step: load the graph, then derive facts by the rules (above the store).

The store parses files and answers SPARQL; the rules (:mod:`legalgraph.rules`) ask it SPARQL
and add what they derive. This module puts the two together, so neither imports the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from legalgraph import paths, rules
from legalgraph.store import Store, content_version


def load(
    files: Sequence[Path] | None = None,
    *,
    derive: bool = True,
    sparql_endpoint: str | None = None,
    update_endpoint: str | None = None,
    timeout: float = 10.0,
) -> Store:
    """The graph of ``files`` (default: the shipped ontology and data) with its derived facts
    (unless ``derive`` is false), on the embedded store or put on ``sparql_endpoint`` (see
    :meth:`Store.load`)."""
    return Store.load(
        files, derive=rules.apply if derive else None,
        version_inputs=rules.RULES if derive else (), sparql_endpoint=sparql_endpoint,
        update_endpoint=update_endpoint, timeout=timeout)


def version(files: Sequence[Path] | None = None) -> str:
    """The version the built graph of ``files`` (default: the shipped files) gets."""
    chosen = list(files) if files is not None else paths.default_graph_files()
    return content_version(chosen, rules.RULES)


__all__ = ["load", "version"]
