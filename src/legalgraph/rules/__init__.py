"""Derivation rules, run by the build step (:mod:`legalgraph.build`); results marked derived.

Each rule is a SPARQL CONSTRUCT query in this folder, run in file-name order. Its triples are
added to the graph; the records it builds carry ``lg:basis lg:Derived``,
``prov:wasDerivedFrom`` the records they come from, an ``rdfs:comment`` giving the reason and
``lg:validFrom`` the day they start, so nothing derived can pass for a curated fact.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from legalgraph.store import Store

RULES_DIR = Path(__file__).resolve().parent
RULES: list[Path] = sorted(RULES_DIR.glob("*.rq"))


def apply(store: Store) -> int:
    """Run every rule over ``store`` and add what it derives. Returns the triple count added."""
    added = 0
    for rule in RULES:
        added += store.add_constructed(rule.read_text(encoding="utf-8"))
    return added
