"""What the graph says about a substance in a place on a day, as records to display.

This is the data access behind the lookup pages: the records of a substance in a place (its
timeline, therapeutic authorizations, research exemptions, possession regimes, pending
measures, treaty participation), each with every property, its sources, dates, basis and
confidence. Which record holds, which are in force and what applies from enclosing places is
the answer engine's decision (:mod:`legalgraph.engine`): :class:`StatusReport` carries its
:class:`~legalgraph.engine.Answer` and decides nothing itself. The SPARQL lives in the ``.rq``
files next to this module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from weakref import WeakKeyDictionary

from rdflib import Literal, URIRef
from rdflib.term import Node

from legalgraph import queries
from legalgraph.engine import Answer, Basis, Fact, engine_for
from legalgraph.namespaces import LG, PREFIXES
from legalgraph.resolve import Match
from legalgraph.store import Store, Term

FOLDER = Path(__file__).resolve().parent

#: Record classes by the short kind names the pages use.
KINDS: dict[str, str] = {
    str(LG.StatusAssertion): "status",
    str(LG.TherapeuticAuthorization): "authorization",
    str(LG.ResearchExemption): "research",
    str(LG.PenaltyRegime): "penalty",
    str(LG.PendingMeasure): "pending",
    str(LG.OtherExemption): "other",
    str(LG.TreatyParticipation): "participation",
}


@cache
def _query(name: str) -> queries.NamedQuery:
    return queries.get(name, FOLDER)


def _curie(iri: str) -> str:
    for prefix, base in PREFIXES.items():
        if iri.startswith(base):
            return f"{prefix}:{iri[len(base):]}"
    return iri


@dataclass(frozen=True)
class Value:
    """One property value: an IRI with its label, or a literal with its Python value."""

    iri: str | None
    text: str
    value: object

    @classmethod
    def of(cls, term: Term, label: Term | None) -> Value:
        if isinstance(term, Literal):
            python = term.toPython()
            return cls(None, str(term), python if not isinstance(python, Literal) else str(term))
        iri = str(term)
        return cls(iri, str(label) if label is not None else iri.rsplit("/", 1)[-1], iri)


@dataclass
class Described:
    """A node and its property values, keyed by prefixed name (``lg:validFrom``)."""

    iri: str
    props: dict[str, list[Value]] = field(default_factory=lambda: defaultdict(list))

    def all(self, key: str) -> list[Value]:
        return list(self.props.get(key, []))

    def first(self, key: str) -> Value | None:
        values = self.props.get(key)
        if not values:
            return None
        return sorted(values, key=lambda v: v.text)[0]

    def text(self, key: str) -> str | None:
        value = self.first(key)
        return value.text if value else None

    def day(self, key: str) -> date | None:
        value = self.first(key)
        return value.value if value and isinstance(value.value, date) else None


_DESCRIBED: WeakKeyDictionary[Store, dict[str, Described]] = WeakKeyDictionary()
"""Nodes already described, per store (a loaded store never changes)."""


def describe(store: Store, nodes: Iterable[str]) -> dict[str, Described]:
    """Every property of ``nodes`` with value labels: those not read before, in one query."""
    known = _DESCRIBED.get(store)
    if known is None:
        known = _DESCRIBED[store] = {}
    wanted = sorted(set(nodes))
    missing = [iri for iri in wanted if iri not in known]
    if missing:
        fresh: dict[str, Described] = {iri: Described(iri) for iri in missing}
        text = _query("describe").bind({"node": [URIRef(i) for i in missing]})
        for row in store.select(text):
            node = fresh[str(row["node"])]
            node.props[_curie(str(row["p"]))].append(Value.of(row["o"], row.get("label")))
        known.update(fresh)
    return {iri: known[iri] for iri in wanted}


@dataclass(frozen=True)
class Source:
    """A document that supports a record."""

    iri: str
    url: str | None
    title: str
    publisher: str | None
    as_of: date | None
    as_of_note: str | None
    accessed: date | None
    community: bool


@dataclass
class Record:
    """One fact: a status assertion, authorization, exemption, regime, measure or treaty link."""

    iri: str
    kind: str
    node: Described
    sources: list[Source]
    fact: Fact | None = None
    """The engine's typed record (its dates and sources decide when it holds)."""

    @property
    def valid_from(self) -> date | None:
        return self.node.day("lg:validFrom")

    @property
    def valid_until(self) -> date | None:
        return self.node.day("lg:validUntil")

    @property
    def stated_from(self) -> str | None:
        return self.node.text("lg:statedFrom")

    @property
    def basis(self) -> str:
        value = self.node.first("lg:basis")
        return value.text if value else "curated"

    @property
    def derived(self) -> bool:
        value = self.node.first("lg:basis")
        return bool(value and value.iri == str(LG.Derived))

    @property
    def confidence(self) -> str | None:
        return self.node.text("lg:confidence")

    @property
    def last_verified(self) -> date | None:
        return self.node.day("lg:lastVerified")

    @property
    def substance(self) -> Value | None:
        return self.node.first("lg:substance")

    def get(self, key: str) -> str | None:
        """The (label of the) first value of a property, by prefixed name."""
        return self.node.text(key)

    def iri_of(self, key: str) -> str | None:
        value = self.node.first(key)
        return value.iri if value else None

    @property
    def start(self) -> date | None:
        """The first day it holds, as the engine reads it."""
        return self.fact.start if self.fact else self.valid_from

    def holds_on(self, day: date) -> bool:
        """In force on ``day``, as the engine decides (:meth:`Fact.holds_on`)."""
        if self.fact is not None:
            return self.fact.holds_on(day)
        start, end = self.valid_from, self.valid_until
        return (start is None or start <= day) and (end is None or day < end)

    def sort_key(self) -> tuple[date, str]:
        return (self.start or date.min, self.iri)


def records(store: Store, iris_and_kinds: Sequence[tuple[str, str]]) -> list[Record]:
    """Read records and their sources (best first, as the engine orders them)."""
    facts = engine_for(store).facts
    nodes = describe(store, [iri for iri, _ in iris_and_kinds])
    source_iris = {
        v.iri for node in nodes.values() for v in node.all("dcterms:source") if v.iri
    }
    source_nodes = describe(store, source_iris)
    out = []
    for iri, kind in iris_and_kinds:
        node = nodes[iri]
        sources = [
            _source(source_nodes[v.iri]) for v in node.all("dcterms:source") if v.iri
        ]
        fact = facts.get(iri)
        order = {s.iri: n for n, s in enumerate(fact.sources)} if fact else {}
        sources.sort(key=lambda s: (order.get(s.iri, len(order)), s.title))
        out.append(Record(iri, kind, node, sources, fact))
    out.sort(key=Record.sort_key)
    return out


def _source(node: Described) -> Source:
    url = node.first("lg:url")
    community = node.first("lg:communityOnly")
    return Source(
        iri=node.iri,
        url=url.iri if url else None,
        title=node.text("dcterms:title") or (url.iri if url and url.iri else node.iri),
        publisher=node.text("dcterms:publisher"),
        as_of=node.day("lg:asOf"),
        as_of_note=node.text("lg:asOfNote"),
        accessed=node.day("lg:accessed"),
        community=bool(community and community.value is True),
    )


@dataclass(frozen=True)
class Place:
    """A jurisdiction: its class, name, codes and parent."""

    iri: str
    kind: str
    name: str
    alpha3: str | None
    numeric: str | None
    code: str | None
    parent: str | None

    @property
    def slug(self) -> str:
        """The path segment after ``id/jurisdiction/`` (AUS, US-OR, US-CO/denver)."""
        return self.iri.split("/id/jurisdiction/", 1)[-1]


_PLACE_KINDS = {
    str(LG.SupranationalBody): "supranational body",
    str(LG.City): "city",
    str(LG.Subdivision): "subdivision",
    str(LG.DependentTerritory): "dependent territory",
    str(LG.Country): "country",
}


_PLACES: WeakKeyDictionary[Store, dict[str, Place]] = WeakKeyDictionary()


def places(store: Store) -> dict[str, Place]:
    """Every jurisdiction by IRI, each with its most specific class (read once per store)."""
    cached = _PLACES.get(store)
    if cached is None:
        cached = _PLACES[store] = _read_places(store)
    return cached


def _read_places(store: Store) -> dict[str, Place]:
    found: dict[str, Place] = {}
    order = list(_PLACE_KINDS)
    for row in store.select(_query("places").text):
        iri = str(row["jurisdiction"])
        type_iri = str(row["type"])
        current = found.get(iri)
        if current is not None and order.index(_kind_iri(current.kind)) <= order.index(type_iri):
            continue
        found[iri] = Place(
            iri=iri,
            kind=_PLACE_KINDS[type_iri],
            name=str(row.get("name") or iri.rsplit("/", 1)[-1]),
            alpha3=_opt(row.get("alpha3")),
            numeric=_opt(row.get("numeric")),
            code=_opt(row.get("code")),
            parent=_opt(row.get("parent")),
        )
    return found


def _kind_iri(kind: str) -> str:
    return next(k for k, v in _PLACE_KINDS.items() if v == kind)


def _opt(term: Node | None) -> str | None:
    return str(term) if term is not None else None


@dataclass
class StatusReport:
    """Everything the graph says about one substance in one place, seen from one day, with
    the engine's answer."""

    substance: Match
    place: Match
    as_of: date
    answer: Answer
    timeline: list[Record]
    authorizations: list[Record]
    research: list[Record]
    penalties: list[Record]
    pending: list[Record]
    other: list[Record]
    participation: list[Record]
    parent: Place | None = None
    """The enclosing jurisdiction whose status holds here (an inherited answer), if any."""
    parent_report: StatusReport | None = None
    contains: list[Match] = field(default_factory=list)
    between: list[StatusReport] = field(default_factory=list)
    """Enclosing places below ``parent`` with records of their own in force."""
    neighbours: list[Answer] = field(default_factory=list)
    """The engine's answers, on the same day, for the places that share a land border with
    this one: listed when the place has no status record of its own that holds."""

    @property
    def status(self) -> Record | None:
        """The place's own status record that holds on the day (the engine's choice)."""
        held = self.answer.record
        if held is None or self.answer.basis is Basis.INHERITED:
            return None
        return next((r for r in self.timeline if r.iri == held.iri), None)

    def in_force(self, items: Sequence[Record]) -> list[Record]:
        """The records of ``items`` that hold on the day."""
        return [r for r in items if r.holds_on(self.as_of)]

    @property
    def known(self) -> bool:
        """Whether the graph has any record here for the substance."""
        return bool(self.timeline or self.authorizations or self.research or self.penalties)

    def all_records(self) -> list[Record]:
        return (self.timeline + self.authorizations + self.research + self.penalties
                + self.pending + self.other + self.participation)


def status_report(
    store: Store, substance: Match, place: Match, as_of: date, *, with_parent: bool = True
) -> StatusReport:
    """What the graph says about ``substance`` in ``place`` on ``as_of``."""
    engine = engine_for(store)
    answer = engine.status(substance.iri, place.iri, as_of)
    facts = engine.records(str(substance.iri), str(place.iri))
    found = [(f.iri, f.kind.value) for f in facts]
    found += [(f.iri, f.kind.value) for f in engine.place_records(str(place.iri))
              if f.kind.value == "participation"]
    by_kind: dict[str, list[Record]] = defaultdict(list)
    for record in records(store, found):
        by_kind[record.kind].append(record)
    report = StatusReport(
        substance=substance,
        place=place,
        as_of=as_of,
        answer=answer,
        timeline=by_kind["status"],
        authorizations=by_kind["authorization"],
        research=by_kind["research"],
        penalties=by_kind["penalty"],
        pending=by_kind["pending"],
        other=by_kind["other"],
        participation=by_kind["participation"],
    )
    report.contains = [
        Match(URIRef(v.iri), v.text)
        for v in describe(store, [str(substance.iri)])[str(substance.iri)].all("lg:contains")
        if v.iri
    ]
    if with_parent and report.status is None:
        report.neighbours = [engine.status(substance.iri, other.iri, as_of)
                             for other in engine.neighbours(place.iri)]
    if with_parent:
        known = places(store)
        holder = answer.holder.iri if answer.holder and answer.basis is Basis.INHERITED \
            else None
        for iri in engine.ancestors(str(place.iri)):
            upper = known.get(iri)
            if upper is None:
                continue
            sub = status_report(store, substance, Match(URIRef(upper.iri), upper.name),
                                as_of, with_parent=False)
            if iri == holder:
                report.parent, report.parent_report = upper, sub
                break
            if sub.authorizations or sub.other or sub.penalties:
                report.between.append(sub)
    return report


@dataclass
class PlaceReport:
    """Everything recorded for one jurisdiction, by substance."""

    place: Place
    as_of: date
    by_substance: dict[str, list[Record]]
    general: list[Record]
    participation: list[Record]
    children: list[Place]
    parent: Place | None


def place_report(store: Store, place: Match, as_of: date) -> PlaceReport:
    """Every substance's records in ``place``, its subdivisions and cities, its treaties."""
    text = _query("place_records").bind({"jurisdiction": [place.iri]})
    rows = store.select(text)
    found = list(dict.fromkeys((str(r["record"]), KINDS[str(r["type"])]) for r in rows))
    by_substance: dict[str, list[Record]] = defaultdict(list)
    general: list[Record] = []
    participation: list[Record] = []
    for record in records(store, found):
        if record.kind == "participation":
            participation.append(record)
            continue
        subjects = record.node.all("lg:substance")
        if not subjects:
            general.append(record)
        for subject in subjects:
            by_substance[subject.iri or subject.text].append(record)
    known = places(store)
    here = known.get(str(place.iri)) or Place(str(place.iri), "jurisdiction", place.label,
                                              None, None, None, None)
    children = sorted((p for p in known.values() if p.parent == here.iri), key=lambda p: p.name)
    parent = known.get(here.parent) if here.parent else None
    return PlaceReport(here, as_of, dict(by_substance), general, participation, children, parent)


@dataclass(frozen=True)
class Level:
    """A control level with its rank (None for 'controlled, level not stated')."""

    iri: str
    label: str
    rank: int | None
    comment: str


def control_levels(store: Store) -> list[Level]:
    """The control levels, most restrictive first, unranked last."""
    rows = store.select(_query("levels").text)
    levels = {}
    for row in rows:
        rank = row.get("rank")
        levels[str(row["level"])] = Level(
            str(row["level"]), str(row["label"]),
            int(rank.toPython()) if isinstance(rank, Literal) else None,
            str(row.get("comment") or ""),
        )
    return sorted(levels.values(), key=lambda lv: (lv.rank is None, lv.rank or 0))


def resource_triples(store: Store, iris: Sequence[URIRef]) -> list[tuple[Term, Term, Term]]:
    """The statements whose subject is one of ``iris``."""
    if not iris:
        return []
    return store.query(_query("resource").bind({"resource": list(iris)})).triples


def counts(store: Store) -> dict[str, int]:
    """How many records, sources and jurisdictions of each class the graph holds."""
    rows = store.select(_query("counts").text)
    return {str(r["type"]).rsplit("#", 1)[-1]: int(str(r["n"])) for r in rows}


def inbound(store: Store, iri: URIRef) -> list[tuple[str, str]]:
    """Up to 50 (subject, property) pairs that point at ``iri``."""
    rows = store.select(_query("inbound").bind({"target": [iri]}))
    return [(str(r["s"]), _curie(str(r["p"]))) for r in rows]


__all__ = [
    "Described", "Level", "Place", "PlaceReport", "Record", "Source",
    "StatusReport", "Value", "control_levels", "counts", "describe", "inbound",
    "place_report", "places", "records", "resource_triples", "status_report",
]
