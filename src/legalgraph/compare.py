"""Comparison questions for analysts, answered by the named queries as typed results.

:class:`Comparer` runs the ``.rq`` files under ``queries/`` with their parameters bound as
values, resolves what people type ("Holland", "nl", "NLD", "ecstasy", "magic mushrooms") with
:class:`~legalgraph.resolve.Resolver`, and returns dataclasses whose field names are the stable
names of the JSON output. A place with no known status is an answer (``basis`` ``unknown`` with
``why``), not an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from rdflib import URIRef
from rdflib.term import Node

from legalgraph import queries
from legalgraph.engine import Answer, Applied, Basis, Engine, Kind, engine_for
from legalgraph.errors import InputError
from legalgraph.namespaces import ID, LG
from legalgraph.resolve import Match, Resolver
from legalgraph.store import Store, Term, to_python

KIND_CODES: dict[Kind, str] = {
    Kind.STATUS: "status-assertion", Kind.AUTHORIZATION: "therapeutic-authorization",
    Kind.RESEARCH: "research-exemption", Kind.PENALTY: "penalty-regime",
    Kind.PENDING: "pending-measure", Kind.EXEMPTION: "other-exemption",
    Kind.PARTICIPATION: "treaty-participation", Kind.LISTING: "international-listing",
    Kind.MEMBERSHIP: "membership", Kind.CLAUSE: "containing-clause",
}
"""The stable ``kind`` codes of the records (the class name, hyphenated)."""

DateLike = date | str | None


def code(term: object) -> str | None:
    """A stable short code for a term: ``lg:MedicalUseRestrictedPrescribing`` becomes
    ``restricted-prescribing``, ``lg:ProhibitedExceptResearch`` ``prohibited-except-research``,
    ``id:jurisdiction/AUS`` ``jurisdiction/AUS``."""
    if term is None:
        return None
    text = str(term)
    if text.startswith(str(LG)):
        local = text[len(str(LG)):]
        for prefix in ("MedicalUse",):
            if local.startswith(prefix) and local != prefix:
                local = local[len(prefix):]
        local = local.removesuffix("Confidence") if local.endswith("Confidence") else local
        return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", local).lower()
    if text.startswith(str(ID)):
        return text[len(str(ID)):]
    return text


class _Row:
    """One result row with typed accessors."""

    def __init__(self, row: Mapping[str, Term]) -> None:
        self.row = row

    def term(self, name: str) -> Term | None:
        return self.row.get(name)

    def text(self, name: str) -> str | None:
        value = self.row.get(name)
        if value is None or str(value) == "":
            return None
        return str(value)

    def iri(self, name: str) -> str | None:
        value = self.row.get(name)
        return str(value) if isinstance(value, URIRef) else None

    def code(self, name: str) -> str | None:
        return code(self.row.get(name))

    def date(self, name: str) -> date | None:
        value = self.row.get(name)
        python = to_python(value) if value is not None else None
        return python if isinstance(python, date) else None

    def int(self, name: str) -> int | None:
        value = self.row.get(name)
        python = to_python(value) if value is not None else None
        return int(python) if isinstance(python, int | float | str) and str(python) else None


class _Record:
    """Shared behaviour of the result dataclasses."""

    def as_dict(self) -> dict[str, Any]:
        """The result with its documented field names (JSON-ready but for dates)."""
        return asdict(self)  # type: ignore[call-overload, no-any-return]

    @classmethod
    def columns(cls) -> tuple[str, ...]:
        """Every field name, in order."""
        return tuple(f.name for f in fields(cls))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Status(_Record):
    """What is known of one substance in one jurisdiction on one day.

    ``basis`` is ``curated`` (from a cited source), ``derived`` (the 1971 Convention floor),
    ``inherited`` (no own status: the status of ``applies_from``, an enclosing jurisdiction,
    holds there) or ``unknown``; ``why`` says why in plain words.
    """

    substance: str
    substance_name: str
    jurisdiction: str
    code: str
    name: str
    as_of: date
    basis: str
    control_level: str | None
    control_level_label: str | None
    rank: int | None
    national_schedule: str | None
    schedule_text: str | None
    medical_use: str | None
    medical_use_label: str | None
    therapeutic_access: str | None
    research_exemption: str | None
    valid_from: date | None
    valid_until: date | None
    confidence: str | None
    source_url: str | None
    record: str | None
    applies_from: str | None
    why: str
    since_at_least: bool = False
    level_from_schedule: bool = False
    exceptions: tuple[dict[str, Any], ...] = ()
    next_change: date | None = None
    next_change_what: str | None = None
    sources: tuple[str, ...] = ()


STATUS_COLUMNS = (
    "code", "name", "substance_name", "as_of", "basis", "control_level", "national_schedule",
    "medical_use", "therapeutic_access", "research_exemption", "valid_from", "source_url", "why",
)


def status_of(answer: Answer) -> Status:
    """The answer of the engine as the documented fields of ``compare``."""
    record, level = answer.record, answer.level
    return Status(
        substance=answer.item.iri,
        substance_name=answer.item.label,
        jurisdiction=answer.place.iri,
        code=answer.place.code,
        name=answer.place.name,
        as_of=answer.day,
        basis=answer.basis.value,
        control_level=level.concept.code if level else None,
        control_level_label=level.concept.label if level else None,
        rank=level.rank if level else None,
        national_schedule=record.schedule.label if record and record.schedule else None,
        schedule_text=record.schedule_text if record else None,
        medical_use=answer.medical_use.code if answer.medical_use else None,
        medical_use_label=answer.medical_use.label if answer.medical_use else None,
        therapeutic_access="; ".join(
            _where(answer, a, a.fact.access_text()) for a in answer.access) or None,
        research_exemption="; ".join(
            _where(answer, a, a.fact.mechanism or "research exemption")
            for a in answer.research) or None,
        valid_from=answer.since,
        valid_until=record.valid_until if record else None,
        confidence=record.confidence.code if record and record.confidence else None,
        source_url=record.source_url if record else None,
        record=record.iri if record else None,
        applies_from=answer.holder.code if answer.holder else None,
        why=answer.why,
        since_at_least=answer.since_at_least,
        level_from_schedule=bool(level and level.from_schedule),
        exceptions=tuple(
            {"kind": a.kind, "scope": a.scope, "place": a.place.code,
             "since": a.since, "record": a.fact.iri}
            for a in answer.exceptions),
        next_change=answer.next_change.day if answer.next_change else None,
        next_change_what="; ".join(answer.next_change.what) if answer.next_change else None,
        sources=tuple(s.url or s.iri for s in answer.sources),
    )


def _where(answer: Answer, applied: Applied, text: str) -> str:
    """``text``, followed by the place it comes from when that is an enclosing place."""
    return text if applied.place.iri == answer.place.iri else f"{text} ({applied.place.name})"


@dataclass(frozen=True)
class Change(_Record):
    """A record that started or ended within a period."""

    date: date
    change: str
    kind: str
    code: str
    name: str
    substance: str | None
    substance_name: str | None
    summary: str | None
    stated_from: str | None
    basis: str | None
    source_url: str | None
    record: str
    jurisdiction: str
    replaces: str | None = None
    replaces_summary: str | None = None
    """On a ``replaced`` change: what the replaced record said."""


CHANGE_COLUMNS = ("date", "change", "kind", "code", "name", "substance_name", "summary",
                  "basis", "source_url")


@dataclass(frozen=True)
class Access(_Record):
    """Therapeutic access granted in one jurisdiction on one day."""

    code: str
    name: str
    substance: str
    substance_name: str
    access_type: str | None
    access_type_label: str | None
    indication: str | None
    authority: str | None
    product: str | None
    valid_from: date | None
    valid_until: date | None
    confidence: str | None
    source_url: str | None
    record: str
    jurisdiction: str


ACCESS_COLUMNS = ("code", "name", "substance_name", "access_type", "indication", "authority",
                  "valid_from", "source_url")


@dataclass(frozen=True)
class ResearchRegime(_Record):
    """How one jurisdiction licenses research with otherwise prohibited substances."""

    code: str
    name: str
    mechanism: str | None
    authority: str | None
    instrument: str | None
    covers: str | None
    substance: str | None
    substance_name: str | None
    valid_from: date | None
    confidence: str | None
    source_url: str | None
    record: str
    jurisdiction: str


RESEARCH_COLUMNS = ("code", "name", "mechanism", "authority", "instrument", "covers",
                    "valid_from", "confidence", "source_url")


@dataclass(frozen=True)
class FloorComparison(_Record):
    """One jurisdiction's control level against the 1971 Convention's floor."""

    relation: str
    code: str
    name: str
    basis: str | None
    control_level: str | None
    rank: int | None
    treaty_schedule: str | None
    treaty_level: str | None
    treaty_rank: int | None
    record: str
    jurisdiction: str


FLOOR_COLUMNS = ("relation", "code", "name", "basis", "control_level", "rank", "treaty_level",
                 "treaty_rank")


@dataclass(frozen=True)
class SubdivisionDifference(_Record):
    """A subdivision or city whose own record differs from its country's status."""

    code: str
    name: str
    kind_of_place: str | None
    country_code: str
    country_name: str
    substance: str | None
    substance_name: str | None
    kind: str | None
    local: str | None
    country_level: str | None
    country_medical_use: str | None
    difference: str
    record: str
    jurisdiction: str


DIFFERENCE_COLUMNS = ("code", "name", "country_code", "substance_name", "kind", "local",
                      "country_level", "difference")


@dataclass(frozen=True)
class CoverageCount(_Record):
    """How many ISO 3166-1 entries have a curated, derived or no status for one substance."""

    substance: str
    substance_name: str
    curated: int
    derived: int
    unknown: int
    total: int
    as_of: date | None


COVERAGE_COLUMNS = ("substance_name", "curated", "derived", "unknown", "total", "as_of")


@dataclass(frozen=True)
class LevelCount(_Record):
    """How many jurisdictions hold a substance at one control level."""

    substance: str
    substance_name: str
    control_level: str | None
    control_level_label: str | None
    rank: int | None
    jurisdictions: int
    curated: int
    derived: int
    as_of: date | None


LEVEL_COLUMNS = ("substance_name", "control_level", "rank", "jurisdictions", "curated",
                 "derived", "as_of")


@dataclass(frozen=True)
class TimelineEntry(_Record):
    """One record in the history of a substance in a jurisdiction."""

    valid_from: date | None
    valid_until: date | None
    stated_from: str | None
    kind: str | None
    summary: str | None
    schedule_text: str | None
    date_note: str | None
    basis: str | None
    confidence: str | None
    source_url: str | None
    record: str
    since_at_least: bool = False

    def holds_on(self, day: date) -> bool:
        """Whether the record is in force on ``day`` (``valid_until`` is exclusive)."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day < self.valid_until
        )


TIMELINE_COLUMNS = ("valid_from", "valid_until", "kind", "summary", "basis", "confidence",
                    "source_url")


def as_date(value: DateLike, what: str = "date") -> date | None:
    """``value`` as a date: a date, a ``YYYY-MM-DD`` string, or None (today)."""
    if value is None or isinstance(value, date):
        return value
    return queries.parse_date(value, what)


class Comparer:
    """The named comparison queries over one graph, with name resolution."""

    def __init__(self, store: Store, resolver: Resolver | None = None) -> None:
        self.store = store
        self.resolver = resolver or Resolver(store)

    # -- names ----------------------------------------------------------------------

    def substance(self, text: str | URIRef) -> Match:
        """The substance or natural material ``text`` names (or the IRI given)."""
        if isinstance(text, URIRef) or text.startswith(str(ID)):
            return Match(URIRef(text), self.resolver.substance_label(URIRef(text)))
        return self.resolver.substance(text)

    def place(self, text: str | URIRef) -> Match:
        """The jurisdiction ``text`` names (or the IRI given)."""
        if isinstance(text, URIRef) or text.startswith(str(ID)):
            return Match(URIRef(text), self.resolver.place_label(URIRef(text)))
        return self.resolver.place(text)

    def run(self, name: str, values: Mapping[str, Sequence[Node]]) -> list[_Row]:
        """Run the named query ``name`` with ``values`` bound; rows with typed accessors."""
        text = queries.get(name).bind(values)
        return [_Row(row) for row in self.store.select(text)]

    # -- the questions --------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        """The answer engine of the graph (its index is built once per store)."""
        return engine_for(self.store)

    def status(
        self,
        substance: str | URIRef,
        places: Sequence[str | URIRef],
        as_of: DateLike = None,
        *,
        inherit: bool = True,
    ) -> list[Status]:
        """The status of ``substance`` in each of ``places`` on ``as_of`` (default today).

        With ``inherit``, a subdivision or city without a status of its own gets the status of
        the nearest enclosing jurisdiction that has one (``basis`` ``inherited``); the
        exceptions and access routes of every enclosing place are listed either way.
        """
        if not places:
            raise InputError("name at least one place")
        item = self.substance(substance)
        matches = list(dict.fromkeys(self.place(p).iri for p in places))
        day = as_date(as_of, "as-of date") or date.today()
        return [status_of(self.engine.status(item.iri, place, day, inherit=inherit))
                for place in matches]

    def jurisdiction(self, place: str | URIRef, as_of: DateLike = None) -> list[Status]:
        """The status of every substance and natural material in one jurisdiction."""
        match = self.place(place)
        day = as_date(as_of, "as-of date") or date.today()
        items = sorted(self.engine.items.values(), key=lambda i: i.label.lower())
        return [status_of(self.engine.status(i.iri, match.iri, day)) for i in items]

    def changes(
        self, start: DateLike, end: DateLike, substance: str | URIRef | None = None
    ) -> list[Change]:
        """What started, ended or was replaced between ``start`` and ``end``, inclusive."""
        first, last = as_date(start, "--from date"), as_date(end, "--to date")
        if first is None or last is None:
            raise InputError("a period needs both a first and a last day")
        if last < first:
            raise InputError(f"the period ends ({last}) before it starts ({first})")
        item = self.substance(substance).iri if substance is not None else None
        return [
            Change(
                date=e.day,
                change=e.change,
                kind=KIND_CODES[e.fact.kind],
                code=e.place.code,
                name=e.place.name,
                substance=e.item.iri if e.item else None,
                substance_name=e.item.label if e.item else None,
                summary=e.summary,
                stated_from=e.fact.stated_from,
                basis=e.fact.basis.value,
                source_url=e.fact.source_url,
                record=e.fact.iri,
                jurisdiction=e.place.iri,
                replaces=e.replaces.iri if e.replaces else None,
                replaces_summary=e.replaces.summary() if e.replaces else None,
            )
            for e in self.engine.changes(first, last, item)
        ]

    def therapeutic_access(
        self, as_of: DateLike = None, substance: str | URIRef | None = None
    ) -> list[Access]:
        """Where therapeutic access is granted on ``as_of``."""
        values = self._day_values(as_of)
        if substance is not None:
            values["substance"] = [self.substance(substance).iri]
        return [
            Access(
                code=r.text("code") or "",
                name=r.text("name") or "",
                substance=r.text("substance") or "",
                substance_name=r.text("substanceLabel") or "",
                access_type=r.code("accessType"),
                access_type_label=r.text("accessTypeLabel"),
                indication=r.text("indication"),
                authority=r.text("authorityLabel"),
                product=r.text("product"),
                valid_from=r.date("validFrom"),
                valid_until=r.date("validUntil"),
                confidence=r.code("confidence"),
                source_url=r.text("sourceUrl"),
                record=r.text("record") or "",
                jurisdiction=r.text("jurisdiction") or "",
            )
            for r in self.run("therapeutic_access", values)
        ]

    def research_exemptions(self, place: str | URIRef | None = None) -> list[ResearchRegime]:
        """Research-exemption regimes, of one jurisdiction or of all."""
        values: dict[str, list[Node]] = {}
        if place is not None:
            values["jurisdiction"] = [self.place(place).iri]
        return [
            ResearchRegime(
                code=r.text("code") or "",
                name=r.text("name") or "",
                mechanism=r.text("mechanism"),
                authority=r.text("authorityLabel"),
                instrument=r.text("instrumentLabel") or r.text("instrument"),
                covers=r.text("covers"),
                substance=r.text("substance"),
                substance_name=r.text("substanceLabel"),
                valid_from=r.date("validFrom"),
                confidence=r.code("confidence"),
                source_url=r.text("sourceUrl"),
                record=r.text("record") or "",
                jurisdiction=r.text("jurisdiction") or "",
            )
            for r in self.run("research_exemptions", values)
        ]

    def treaty_floor(
        self, substance: str | URIRef, as_of: DateLike = None
    ) -> list[FloorComparison]:
        """Each jurisdiction's control level of ``substance`` against the 1971 floor."""
        values = self._day_values(as_of)
        values["substance"] = [self.substance(substance).iri]
        return [
            FloorComparison(
                relation=r.text("relation") or "",
                code=r.text("code") or "",
                name=r.text("name") or "",
                basis=r.code("basis"),
                control_level=r.code("controlLevel"),
                rank=r.int("rank"),
                treaty_schedule=r.code("treatySchedule"),
                treaty_level=r.code("treatyLevel"),
                treaty_rank=r.int("treatyRank"),
                record=r.text("record") or "",
                jurisdiction=r.text("jurisdiction") or "",
            )
            for r in self.run("treaty_floor_comparison", values)
        ]

    def subdivision_differences(
        self, substance: str | URIRef | None = None, as_of: DateLike = None
    ) -> list[SubdivisionDifference]:
        """Subdivisions and cities whose own records differ from their country's status."""
        values = self._day_values(as_of)
        if substance is not None:
            values["substance"] = [self.substance(substance).iri]
        return [
            SubdivisionDifference(
                code=r.text("placeCode") or "",
                name=r.text("placeName") or "",
                kind_of_place=r.code("placeKind"),
                country_code=r.text("countryCode") or "",
                country_name=r.text("countryName") or "",
                substance=r.text("item"),
                substance_name=r.text("itemLabel"),
                kind=_kind(r.term("kind")),
                local=r.text("localLevelLabel") or r.text("localAccessLabel")
                or r.text("localRegimeLabel"),
                country_level=r.text("countryLevelLabel"),
                country_medical_use=r.text("countryUseLabel"),
                difference=r.text("difference") or "",
                record=r.text("record") or "",
                jurisdiction=r.text("place") or "",
            )
            for r in self.run("subdivision_differences", values)
        ]

    def coverage_summary(self, as_of: DateLike = None) -> list[CoverageCount]:
        """Curated, derived and unknown counts over the ISO 3166-1 entries, per substance."""
        day = as_date(as_of, "as-of date") or date.today()
        places = self.engine.countries()
        out = []
        for item in sorted(self.engine.items.values(), key=lambda i: i.label.lower()):
            counts = {basis: 0 for basis in Basis}
            for place in places:
                counts[self.engine.status(item.iri, place.iri, day, inherit=False).basis] += 1
            out.append(CoverageCount(
                substance=item.iri, substance_name=item.label,
                curated=counts[Basis.CURATED], derived=counts[Basis.DERIVED],
                unknown=counts[Basis.UNKNOWN], total=len(places), as_of=day))
        return out

    def level_counts(
        self, substance: str | URIRef | None = None, as_of: DateLike = None
    ) -> list[LevelCount]:
        """Jurisdictions per control level per substance (own statuses, not inherited)."""
        day = as_date(as_of, "as-of date") or date.today()
        items = ([self.engine.item(self.substance(substance).iri)] if substance is not None
                 else sorted(self.engine.items.values(), key=lambda i: i.label.lower()))
        out = []
        for item in items:
            tally: dict[str, list[Answer]] = {}
            for place in self.engine.places:
                answer = self.engine.status(item.iri, place, day, inherit=False)
                if answer.record is not None:
                    key = answer.level.concept.iri if answer.level else ""
                    tally.setdefault(key, []).append(answer)
            for answers in tally.values():
                level = answers[0].level
                out.append(LevelCount(
                    substance=item.iri, substance_name=item.label,
                    control_level=level.concept.code if level else None,
                    control_level_label=level.concept.label if level else None,
                    rank=level.rank if level else None, jurisdictions=len(answers),
                    curated=sum(a.basis is Basis.CURATED for a in answers),
                    derived=sum(a.basis is Basis.DERIVED for a in answers), as_of=day))
        return sorted(out, key=lambda c: (c.substance_name.lower(), c.rank is None,
                                          c.rank or 0, c.control_level or ""))

    def timeline(self, substance: str | URIRef, place: str | URIRef) -> list[TimelineEntry]:
        """Every record of ``substance`` in ``place`` in date order."""
        item, where = self.substance(substance).iri, self.place(place).iri
        return [
            TimelineEntry(
                valid_from=f.start,
                valid_until=f.valid_until,
                stated_from=f.stated_from,
                kind=KIND_CODES[f.kind],
                summary=f.summary(),
                schedule_text=f.schedule_text,
                date_note=f.date_note,
                basis=f.basis.value,
                confidence=f.confidence.code if f.confidence else None,
                source_url=f.source_url,
                record=f.iri,
                since_at_least=f.since_at_least,
            )
            for f in self.engine.timeline(item, where)
        ]

    # -- helpers --------------------------------------------------------------------

    def _day_values(self, as_of: DateLike) -> dict[str, list[Node]]:
        day = as_date(as_of, "as-of date")
        return {} if day is None else {"asOf": [queries.literal_date(day)]}


def _kind(term: object) -> str | None:
    return code(term)


def _need(value: date | None) -> date:
    if value is None:
        raise InputError("the query returned no date")
    return value


__all__ = [
    "Access", "Change", "Comparer", "CoverageCount", "FloorComparison", "LevelCount",
    "ResearchRegime", "Status", "SubdivisionDifference", "TimelineEntry", "code",
]
