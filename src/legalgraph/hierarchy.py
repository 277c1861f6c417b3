"""The jurisdiction tree (from ``lg:partOf``), effective status, and groups of equal regimes.

The tree is a networkx ``DiGraph`` with an edge from each jurisdiction to the one that directly
contains it, built from the places the answer engine reads. The effective status of a place
(its own, or inherited from the nearest enclosing place) is the engine's answer
(:mod:`legalgraph.engine`); nothing here decides it again.

The picture is written as SVG by a small writer here rather than through matplotlib: a tree
of boxes and lines needs no plotting library, the output is deterministic text that tests can
read, and the package keeps its dependencies light.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from legalgraph.compare import Comparer, DateLike, Status
from legalgraph.engine import engine_for

if TYPE_CHECKING:
    from legalgraph.store import Store

class Tree:
    """Jurisdictions as nodes (IRIs as strings) with ``name``, ``code`` and ``kind``; an edge
    runs from each place to the place that directly contains it."""

    def __init__(self, graph: nx.DiGraph) -> None:
        self.graph = graph

    @classmethod
    def from_store(cls, store: Store) -> Tree:
        """The tree of every jurisdiction in the graph."""
        graph = nx.DiGraph()
        places = engine_for(store).places
        for place in places.values():
            kind = {"supranational body": "SupranationalBody", "dependent territory": "Country"}
            graph.add_node(place.iri, name=place.name, code=place.code,
                           kind=kind.get(place.kind, place.kind.title()))
        for place in places.values():
            if place.parent:
                graph.add_edge(place.iri, place.parent)
        return cls(graph)

    def parent(self, place: str) -> str | None:
        """The jurisdiction that directly contains ``place``, if any."""
        parents = list(self.graph.successors(place)) if place in self.graph else []
        return parents[0] if parents else None

    def ancestors(self, place: str) -> list[str]:
        """The enclosing jurisdictions of ``place``, nearest first."""
        chain: list[str] = []
        current = self.parent(place)
        while current is not None and current not in chain:
            chain.append(current)
            current = self.parent(current)
        return chain

    def children(self, place: str) -> list[str]:
        """The jurisdictions directly inside ``place``, by code."""
        if place not in self.graph:
            return []
        return sorted(self.graph.predecessors(place), key=self.code)

    def descendants(self, place: str) -> list[str]:
        """Every jurisdiction inside ``place``, depth first, by code."""
        out: list[str] = []
        for child in self.children(place):
            out.append(child)
            out.extend(self.descendants(child))
        return out

    def code(self, place: str) -> str:
        """The code of ``place`` (ISO alpha-3, ISO 3166-2, or the IRI's tail for a city)."""
        return str(self.graph.nodes[place].get("code", place.rsplit("/", 1)[-1]))

    def name(self, place: str) -> str:
        """The English name of ``place``."""
        return str(self.graph.nodes[place].get("name", self.code(place)))

    def roots_with_children(self) -> list[str]:
        """The top-level places that contain others (the countries with subdivisions)."""
        roots = [n for n in self.graph if self.parent(n) is None and self.children(n)]
        return sorted(roots, key=self.code)

    def places(self) -> list[str]:
        """Every jurisdiction, by code."""
        return sorted(self.graph, key=self.code)

    def write_graphml(self, path: Path) -> None:
        """Write the tree as GraphML (edges point from a place to its container)."""
        nx.write_graphml(self.graph, path)

    def svg(self, colours: dict[str, str] | None = None, roots: Sequence[str] | None = None) -> str:
        """The trees under ``roots`` (default: every country with subdivisions) as SVG.

        ``colours`` maps a place to a fill colour (for example by regime group).
        """
        return _svg(self, list(roots) if roots is not None else self.roots_with_children(),
                    colours or {})


@dataclass(frozen=True)
class RegimeGroup:
    """Jurisdictions whose regime for a substance is the same on a day."""

    control_level: str | None
    medical_use: str | None
    therapeutic_access: str | None
    basis: str
    members: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        """The group with its documented field names."""
        return {
            "control_level": self.control_level, "medical_use": self.medical_use,
            "therapeutic_access": self.therapeutic_access, "basis": self.basis,
            "size": len(self.members), "members": " ".join(self.members),
        }


GROUP_COLUMNS = ("control_level", "medical_use", "therapeutic_access", "basis", "size", "members")


def regime_groups(
    comparer: Comparer, substance: str, as_of: DateLike = None,
    places: Iterable[str] | None = None,
) -> list[RegimeGroup]:
    """Jurisdictions grouped by identical regime (control level, medical use, access) for
    ``substance`` on ``as_of``; inherited statuses count. Largest group first."""
    chosen = list(places) if places is not None else Tree.from_store(comparer.store).places()
    statuses = comparer.status(substance, chosen, as_of)
    groups: dict[tuple[str | None, str | None, str | None, str], list[str]] = defaultdict(list)
    for status in statuses:
        known = "unknown" if status.basis == "unknown" else "known"
        key = (status.control_level, status.medical_use, status.therapeutic_access, known)
        groups[key].append(status.code)
    out = [
        RegimeGroup(level, use, access, basis, tuple(sorted(members)))
        for (level, use, access, basis), members in groups.items()
    ]
    return sorted(out, key=lambda g: (-len(g.members), g.control_level or "", g.members))


# -- SVG ----------------------------------------------------------------------------------

_BOX_W, _BOX_H, _GAP_X, _GAP_Y, _MARGIN = 96, 30, 12, 50, 20


def _svg(tree: Tree, roots: list[str], colours: dict[str, str]) -> str:
    positions: dict[str, tuple[float, int]] = {}
    next_slot = [0.0]

    def place(node: str, depth: int) -> float:
        kids = tree.children(node)
        if not kids:
            x = next_slot[0]
            next_slot[0] += 1
        else:
            xs = [place(kid, depth + 1) for kid in kids]
            x = (xs[0] + xs[-1]) / 2
        positions[node] = (x, depth)
        return x

    for root in roots:
        place(root, 0)
        next_slot[0] += 0.5
    depth = max((d for _, d in positions.values()), default=0)
    width = int(_MARGIN * 2 + max(next_slot[0], 1) * (_BOX_W + _GAP_X))
    height = int(_MARGIN * 2 + (depth + 1) * (_BOX_H + _GAP_Y))

    def centre(node: str) -> tuple[float, float]:
        x, d = positions[node]
        return (_MARGIN + x * (_BOX_W + _GAP_X) + _BOX_W / 2,
                _MARGIN + d * (_BOX_H + _GAP_Y) + _BOX_H / 2)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        "<title>Jurisdiction tree (lg:partOf)</title>",
    ]
    for node in positions:
        parent = tree.parent(node)
        if parent in positions:
            (x1, y1), (x2, y2) = centre(node), centre(parent)
            parts.append(f'<line x1="{x1:.0f}" y1="{y1 - _BOX_H / 2:.0f}" x2="{x2:.0f}" '
                         f'y2="{y2 + _BOX_H / 2:.0f}" stroke="#888"/>')
    for node in positions:
        x, y = centre(node)
        fill = colours.get(node, "#f4f4f4")
        label = escape(tree.code(node))
        parts.append(
            f'<g><title>{escape(tree.name(node))}</title>'
            f'<rect x="{x - _BOX_W / 2:.0f}" y="{y - _BOX_H / 2:.0f}" width="{_BOX_W}" '
            f'height="{_BOX_H}" rx="4" fill="{escape(fill)}" stroke="#333"/>'
            f'<text x="{x:.0f}" y="{y + 4:.0f}" text-anchor="middle">{label}</text></g>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


LEVEL_COLOURS = {
    "prohibited-except-research": "#d73027",
    "strict-medical-control": "#fc8d59",
    "prescription-medicine": "#91bfdb",
    "not-controlled": "#4575b4",
    "controlled-level-not-stated": "#bbbbbb",
}
"""Fill colours of the picture by control level (unknown places stay light grey)."""


def colours_by_level(statuses: Iterable[Status]) -> dict[str, str]:
    """Fill colours for the picture from statuses (own or inherited)."""
    return {s.jurisdiction: LEVEL_COLOURS[s.control_level]
            for s in statuses if s.control_level in LEVEL_COLOURS}
