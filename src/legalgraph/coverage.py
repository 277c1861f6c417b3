"""Coverage: what the graph knows of one substance in every ISO 3166-1 entry, and how."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from rdflib import URIRef

from legalgraph.engine import engine_for
from legalgraph.store import Store

COLUMNS = (
    "code", "name", "basis", "control_level", "national_schedule", "medical_use",
    "confidence", "source_url", "why",
)


@dataclass(frozen=True)
class CoverageRow:
    """One ISO 3166-1 entry: what is known of the substance there, and on what basis.

    ``basis`` is ``curated`` (from a cited source), ``derived`` (by a rule: the 1971
    Convention's floor, a containing clause, an act of a supranational body), ``inherited``
    (from an enclosing place) or ``unknown``; ``why`` says why in one line.
    """

    code: str
    name: str
    basis: str
    control_level: str | None
    national_schedule: str | None
    medical_use: str | None
    confidence: str | None
    source_url: str | None
    why: str
    jurisdiction: str
    record: str | None

    def as_dict(self) -> dict[str, object]:
        """The row as a dict with the documented field names."""
        return asdict(self)


def coverage(store: Store, substance: URIRef, as_of: date | None = None) -> list[CoverageRow]:
    """One row per ISO 3166-1 entry for ``substance`` on ``as_of`` (default: today): the
    engine's answer for each."""
    engine = engine_for(store)
    day = as_of or date.today()
    out = []
    for place in engine.countries():
        answer = engine.status(str(substance), place.iri, day)
        record, level = answer.record, answer.level
        out.append(CoverageRow(
            code=place.code,
            name=place.name,
            basis=answer.basis.value,
            control_level=level.concept.label if level else None,
            national_schedule=record.schedule.label if record and record.schedule else None,
            medical_use=record.medical_use.label if record and record.medical_use else None,
            confidence=record.confidence.code if record and record.confidence else None,
            source_url=record.source_url if record else None,
            why=answer.why,
            jurisdiction=place.iri,
            record=record.iri if record else None,
        ))
    return out
