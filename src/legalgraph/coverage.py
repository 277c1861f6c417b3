"""Coverage: what the graph knows of one substance in every ISO 3166-1 entry, and how."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from rdflib import URIRef
from rdflib.term import Node

from legalgraph import queries
from legalgraph.store import Store, to_python

COLUMNS = (
    "code", "name", "basis", "control_level", "national_schedule", "medical_use",
    "confidence", "source_url", "why",
)


@dataclass(frozen=True)
class CoverageRow:
    """One ISO 3166-1 entry: what is known of the substance there, and on what basis.

    ``basis`` is ``curated`` (from a cited source), ``derived`` (from the 1971 Convention) or
    ``unknown``; ``why`` explains an unknown or a derived answer.
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


def _why(basis: str, participation: str | None) -> str:
    if basis == "curated":
        return "curated from a cited source"
    if basis == "derived":
        return "party to the 1971 Convention; no curated national source yet"
    if participation == "party":
        return "party to the 1971 Convention, but the treaty sets no floor for this substance"
    if participation in ("non-party", "signatory"):
        return f"{participation} of the 1971 Convention and no curated source"
    return "no treaty participation on record and no curated source"


def coverage(store: Store, substance: URIRef, as_of: date | None = None) -> list[CoverageRow]:
    """One row per ISO 3166-1 entry for ``substance`` on ``as_of`` (default: today)."""
    named = queries.get("coverage")
    bound: dict[str, list[Node]] = {"substance": [substance]}
    if as_of is not None:
        bound["asOf"] = [queries.literal_date(as_of)]
    rows = store.select(named.bind(bound))
    out = []
    for row in rows:
        values = {k: to_python(v) for k, v in row.items()}
        basis_iri = str(values.get("basis") or "")
        basis = basis_iri.rsplit("#", 1)[-1].lower() if basis_iri else "unknown"
        participation = values.get("participationStatus")
        participation_label = (
            {"Party": "party", "NonParty": "non-party", "Signatory": "signatory"}.get(
                str(participation).rsplit("#", 1)[-1]
            )
            if participation
            else None
        )
        confidence = values.get("confidence")
        out.append(
            CoverageRow(
                code=str(values["code"]),
                name=str(values["name"]),
                basis=basis,
                control_level=_opt(values.get("controlLevelLabel")),
                national_schedule=_opt(values.get("scheduleLabel")),
                medical_use=_opt(values.get("medicalUseLabel")),
                confidence=(
                    str(confidence).rsplit("#", 1)[-1].removesuffix("Confidence").lower()
                    if confidence
                    else None
                ),
                source_url=_opt(values.get("sourceUrl")),
                why=_why(basis, participation_label),
                jurisdiction=str(values["jurisdiction"]),
                record=_opt(values.get("record")) if basis != "unknown" else None,
            )
        )
    return out


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
