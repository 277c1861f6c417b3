"""Each source of a page once, numbered, with what it supports.

A page about one answer shows many records (the status, its history, access routes,
exemptions), and they often cite the same documents. The page lists each document once, in the
order the records give them (the record in force first, so its best source leads), community
sources last, and each record refers to its sources by number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from legalgraph.lookup import Record, Source

#: What a record of each kind is, as a reader says it.
SUPPORTS = {
    "status": "the status", "authorization": "therapeutic access",
    "research": "a research exemption", "penalty": "the possession regime",
    "pending": "a pending measure", "other": "an exemption",
    "participation": "treaty participation",
}


@dataclass
class Entry:
    """One source, its number on the page, and what it supports there."""

    number: int
    source: Source
    supports: list[str] = field(default_factory=list)


@dataclass
class SourceList:
    """The sources of some records, each once."""

    entries: list[Entry]
    by_iri: dict[str, Entry]

    def numbers(self, record: Record) -> list[int]:
        """The numbers of ``record``'s sources, in its own order."""
        return [self.by_iri[s.iri].number for s in record.sources if s.iri in self.by_iri]


def source_list(records: Iterable[Record | None]) -> SourceList:
    """Number the sources of ``records`` (the first record's first)."""
    found: dict[str, Entry] = {}
    for record in records:
        if record is None:
            continue
        what = SUPPORTS.get(record.kind, record.kind)
        for source in record.sources:
            entry = found.setdefault(source.iri, Entry(0, source))
            if what not in entry.supports:
                entry.supports.append(what)
    ordered = sorted(found.values(), key=lambda e: e.source.community)  # stable: order kept
    for number, entry in enumerate(ordered, start=1):
        entry.number = number
    return SourceList(ordered, {e.source.iri: e for e in ordered})
