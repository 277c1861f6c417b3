"""The maintainers' worklist: what in the data needs checking, and where it is written.

Six lists, each a named query in ``review/`` run over the graph as served (derived facts
included, so a level the schedule-level rule fills is not listed): low-confidence records,
records resting only on weak sources (commercial pages, community wikis, mirrors), unverified
claims, records not checked since a cut-off day, status assertions whose control level nothing
states, and records whose editorial note mentions a conflict. Each item carries the file and line
where its record is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

from rdflib import Literal
from rdflib.namespace import XSD

from legalgraph import formats, queries
from legalgraph.namespaces import ID
from legalgraph.sourcemap import SourceMap, display_path
from legalgraph.store import Store

FOLDER = Path(__file__).resolve().parent / "review"
FORMATS = ("text", "markdown", "json")

CATEGORIES: dict[str, tuple[str, str]] = {
    # category -> (named query, heading)
    "low-confidence": ("todo_low_confidence", "Low-confidence records"),
    "weak-sources": ("todo_weak_sources",
                     "Records resting only on weak sources (commercial, community wiki, mirror)"),
    "unverified-claim": ("todo_unverified_claims", "Unverified claims"),
    "not-checked": ("todo_not_checked", "Records not checked since the cut-off day"),
    "level-not-stated": ("todo_level_not_stated", "Control level not stated"),
    "conflict": ("todo_conflicts", "Conflicts noted in editorial notes"),
}
COLUMNS = ("category", "record", "substance", "place", "where", "detail")


@dataclass(frozen=True)
class Item:
    """One thing to check: which record, about what, where it is written and why it is listed."""

    category: str
    record: str
    substance: str | None
    place: str | None
    where: str | None
    detail: str

    def as_dict(self) -> dict[str, str | None]:
        """The item with its documented field names."""
        return asdict(self)


@dataclass(frozen=True)
class Worklist:
    """Every item, the day it speaks for and the cut-off for "not checked"."""

    as_of: date
    cutoff: date
    items: list[Item]
    categories: tuple[str, ...] = tuple(CATEGORIES)

    def counts(self) -> dict[str, int]:
        """How many items each listed category holds (zero included)."""
        found = dict.fromkeys(self.categories, 0)
        for item in self.items:
            found[item.category] += 1
        return found

    def render(self, fmt: str) -> str:
        """The worklist as ``text``, ``markdown`` or ``json``."""
        if fmt == "json":
            return json.dumps({
                "as_of": self.as_of.isoformat(), "cutoff": self.cutoff.isoformat(),
                "counts": self.counts(), "items": [i.as_dict() for i in self.items],
            }, indent=2, ensure_ascii=False) + "\n"
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        return _markdown(self) if fmt == "markdown" else _text(self)


def worklist(
    store: Store, as_of: date | None = None, *, older_than_days: int = 365,
    categories: Sequence[str] = tuple(CATEGORIES), files: Iterable[Path] | None = None,
) -> Worklist:
    """The worklist of ``store`` on ``as_of`` (default today); records last verified more than
    ``older_than_days`` before it count as not checked. ``files`` locate the records (default:
    the files the store was loaded from)."""
    day = as_of or date.today()
    cutoff = day - timedelta(days=older_than_days)
    where = SourceMap(store.files if files is None else files)
    items: dict[tuple[str, str], Item] = {}
    for category in categories:
        name, _heading = CATEGORIES[category]
        query = queries.get(name, FOLDER)
        text = query.bind({"cutoff": [Literal(cutoff.isoformat(), datatype=XSD.date)]}) \
            if category == "not-checked" else query.text
        for row in store.select(text):
            record = str(row["record"])
            if (category, record) in items:  # a record with two substances or places
                continue
            location = where.locate(record)
            items[(category, record)] = Item(
                category=category,
                record=_short(record) or record,
                substance=_short(row.get("substance"), "substance/"),
                place=_short(row.get("jurisdiction"), "jurisdiction/"),
                where=f"{display_path(location.file)}:{location.line}" if location else None,
                detail=" ".join(str(row.get("detail") or "").split()),
            )
    order = list(CATEGORIES)
    listed = sorted(items.values(), key=lambda i: (order.index(i.category), i.record))
    return Worklist(as_of=day, cutoff=cutoff, items=listed,
                    categories=tuple(c for c in CATEGORIES if c in categories))


def _short(term: object, prefix: str = "") -> str | None:
    if term is None:
        return None
    text = str(term)
    return text[len(str(ID)) + len(prefix):] if text.startswith(str(ID) + prefix) else text


def _about(item: Item) -> str:
    return " in ".join(part for part in (item.substance, item.place) if part)


def _text(worklist: Worklist) -> str:
    counts = worklist.counts()
    lines = [f"Maintainers' worklist on {worklist.as_of.isoformat()}: {len(worklist.items)} "
             f"items (not checked = last verified before {worklist.cutoff.isoformat()})", ""]
    for category in worklist.categories:
        lines.append(f"{CATEGORIES[category][1]}: {counts[category]}")
        for item in worklist.items:
            if item.category == category:
                about = _about(item)
                lines.append(f"  {item.record}" + (f"  ({about})" if about else "")
                             + (f"  {item.where}" if item.where else ""))
                if item.detail:
                    lines.append(f"      {_clip(item.detail, 150)}")
        lines.append("")
    return "\n".join(lines)


def _markdown(worklist: Worklist) -> str:
    counts = worklist.counts()
    parts = [f"## Maintainers' worklist, {worklist.as_of.isoformat()}", "",
             "| list | items |", "|---|---|"]
    parts += [f"| {CATEGORIES[c][1]} | {counts[c]} |" for c in worklist.categories]
    for category in worklist.categories:
        heading = CATEGORIES[category][1]
        rows = [dict(i.as_dict(), detail=_clip(i.detail, 200)) for i in worklist.items
                if i.category == category]
        if rows:
            parts += ["", f"### {heading} ({len(rows)})", "",
                      formats.render(rows, COLUMNS[1:], "markdown").rstrip("\n")]
    return "\n".join(parts) + "\n"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
