"""The answer engine: which record holds for a substance in a place on a day, and why.

This module is the one place that decides it. Every surface (``compare``, ``coverage``, the
lookup reports, the answer sentence, the jurisdiction tree, the web pages, the map, the
changes page and feed) reads :meth:`Engine.status`, :meth:`Engine.timeline` and
:meth:`Engine.changes`; none re-decides.

The rules, in order:

- A record holds on a day from its ``lg:validFrom`` (inclusive) to its ``lg:validUntil``
  (exclusive). A record with no ``lg:validFrom`` holds *since at least* the earliest
  ``lg:asOf`` of its sources (the answer says so); with neither, its start is unknown and it
  holds on every day before its end.
- Precedence of the listing (``lg:StatusAssertion``): a curated record of the place, else a
  derived one (treaty floor, containing clause), else the record of the nearest enclosing
  place (``inherited``), else ``unknown`` with the reason. Among equals the latest start wins.
- Exceptions (``lg:OtherExemption``, and possession regimes that are not criminal) and access
  routes (``lg:TherapeuticAuthorization`` with ``lg:authorizationStatus lg:Granted`` only) in
  force in the place and every enclosing place are part of the answer, with their scope.
- Research exemptions count on the days they hold, like every other record.
- Control level: the record's own ranked level, else the ranked level of its schedule, else
  "level not stated".
- Sources best first: rank of their ``lg:sourceType``, then newest ``lg:asOf``, then URL;
  sources without a type after typed ones.

The graph is read once, in a handful of queries, into an in-memory index; an answer is then
a few dictionary look-ups (see ``bench/README.md`` for its cost).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import Enum
from typing import NamedTuple
from weakref import WeakKeyDictionary

from rdflib import URIRef

from legalgraph.namespaces import LG
from legalgraph.store import Store

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def long_date(day: date) -> str:
    """The one date format of prose: ``1 July 2023``."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


class Kind(Enum):
    """The kinds of record the engine reads."""

    STATUS = "status"
    AUTHORIZATION = "authorization"
    RESEARCH = "research"
    PENALTY = "penalty"
    PENDING = "pending"
    EXEMPTION = "other"
    PARTICIPATION = "participation"
    LISTING = "listing"
    MEMBERSHIP = "membership"
    CLAUSE = "clause"


_KIND_OF_CLASS: dict[str, Kind] = {
    str(LG.StatusAssertion): Kind.STATUS,
    str(LG.TherapeuticAuthorization): Kind.AUTHORIZATION,
    str(LG.ResearchExemption): Kind.RESEARCH,
    str(LG.PenaltyRegime): Kind.PENALTY,
    str(LG.PendingMeasure): Kind.PENDING,
    str(LG.OtherExemption): Kind.EXEMPTION,
    str(LG.TreatyParticipation): Kind.PARTICIPATION,
    str(LG.InternationalListing): Kind.LISTING,
    str(LG.Membership): Kind.MEMBERSHIP,
    str(LG.ContainingClause): Kind.CLAUSE,
}


class Basis(Enum):
    """Why an answer holds: from a cited source, by a rule, from an enclosing place, or not."""

    CURATED = "curated"
    DERIVED = "derived"
    INHERITED = "inherited"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Concept:
    """An IRI with its English label (and rank, for control levels and source types)."""

    iri: str
    label: str
    rank: int | None = None

    @property
    def code(self) -> str:
        """``lg:ProhibitedExceptResearch`` -> ``prohibited-except-research``."""
        local = self.iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if local.startswith("MedicalUse") and local != "MedicalUse":
            local = local[len("MedicalUse"):]
        local = local.removesuffix("Confidence")
        return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", local).lower()


@dataclass(frozen=True, slots=True)
class Source:
    """A document that supports a record."""

    iri: str
    url: str | None
    title: str
    publisher: str | None
    as_of: date | None
    source_type: Concept | None
    community: bool

    def order(self) -> tuple[int, int, str]:
        """Best first: rank of the type (untyped after typed), newest as-of, then URL."""
        rank = self.source_type.rank if self.source_type and self.source_type.rank else 99
        newest = -(self.as_of.toordinal() if self.as_of else 0)
        return (rank, newest, self.url or self.iri)


@dataclass(frozen=True, slots=True)
class Place:
    """A jurisdiction: name, code, kind and the place that directly contains it."""

    iri: str
    name: str
    code: str
    kind: str
    parent: str | None
    numeric: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """A substance or natural material."""

    iri: str
    label: str
    natural: bool


@dataclass(frozen=True, slots=True)
class Fact:
    """One record of the graph, typed. Values absent from the record are None or empty."""

    iri: str
    kind: Kind
    jurisdiction: str
    substances: tuple[str, ...]
    valid_from: date | None
    valid_until: date | None
    stated_from: str | None
    date_note: str | None
    derived: bool
    confidence: Concept | None
    schedule: Concept | None
    schedule_text: str | None
    control_level: Concept | None
    level_from_schedule: Concept | None
    medical_use: Concept | None
    access_type: Concept | None
    authorization_status: Concept | None
    possession: Concept | None
    participation_status: Concept | None
    measure_status: Concept | None
    indication: str | None
    product: str | None
    authority: Concept | None
    instrument: Concept | None
    mechanism: str | None
    covers: str | None
    scope: str | None
    quote: str | None
    descriptions: tuple[str, ...]
    notes: tuple[str, ...]
    comment: str | None
    derived_from: tuple[str, ...]
    body: str | None
    last_verified: date | None
    sources: tuple[Source, ...]

    @property
    def start(self) -> date | None:
        """The first day it holds: ``lg:validFrom``, else the earliest as-of of its sources
        (but no later than its last day, for a record whose sources describe it after it
        ended)."""
        if self.valid_from is not None:
            return self.valid_from
        days = [s.as_of for s in self.sources if s.as_of is not None]
        if not days:
            return None
        if self.valid_until is not None and min(days) >= self.valid_until:
            return self.valid_until - timedelta(days=1)
        return min(days)

    @property
    def since_at_least(self) -> bool:
        """Whether the start is only the earliest as-of date of the sources."""
        return self.valid_from is None and self.start is not None

    @property
    def basis(self) -> Basis:
        return Basis.DERIVED if self.derived else Basis.CURATED

    def holds_on(self, day: date) -> bool:
        """In force on ``day``: started on or before it (see :attr:`start`), not yet ended."""
        start = self.start
        return (start is None or start <= day) and (
            self.valid_until is None or day < self.valid_until)

    @property
    def granted(self) -> bool:
        """An authorization that gives access (never a pending, refused or ended one)."""
        return (self.kind is Kind.AUTHORIZATION and self.authorization_status is not None
                and self.authorization_status.iri == str(LG.Granted))

    @property
    def source_url(self) -> str | None:
        """The URL of the best source."""
        return next((s.url for s in self.sources if s.url), None)

    def access_text(self) -> str:
        """An access route in a few words: ``authorised prescriber for PTSD (TGA)``."""
        text = self.access_type.label if self.access_type else "access"
        status = self.authorization_status
        if status and status.iri != str(LG.Granted) and status.label != text:
            text += f" ({status.label})"
        if self.indication and not self.indication.lower().startswith("none"):
            text += f" for {self.indication}"
        if self.authority:
            text += f" ({self.authority.label})"
        return text

    def summary(self) -> str:
        """What the record says, in a few words."""
        if self.kind is Kind.STATUS:
            parts = [self.control_level.label if self.control_level else "controlled"]
            if self.schedule_text or self.schedule:
                parts.append(self.schedule_text or (self.schedule.label if self.schedule
                                                    else ""))
            return ": ".join(parts)
        if self.kind is Kind.AUTHORIZATION:
            what = self.access_type.label if self.access_type else "access"
            status = self.authorization_status.label if self.authorization_status else None
            if status and status != "granted" and status != what:
                what = f"{what} ({status})"
            if self.product:
                what += f": {self.product}"
            if self.indication and not self.indication.lower().startswith("none"):
                what += f" for {self.indication}"
            return what
        if self.kind is Kind.PENALTY:
            regime = self.possession.label if self.possession else "possession regime"
            scope = self.scope if self.scope and not self.scope.lower().startswith(
                regime.lower()) else None
            return f"possession: {regime}" + (f" ({scope})" if scope else "")
        if self.kind is Kind.RESEARCH:
            return self.mechanism or "research exemption"
        if self.kind is Kind.EXEMPTION:
            return self.scope or (self.descriptions[0] if self.descriptions else "exemption")
        return self.descriptions[0] if self.descriptions else self.kind.value


@dataclass(frozen=True, slots=True)
class Level:
    """The control level of an answer, and where it comes from."""

    concept: Concept
    from_schedule: bool

    @property
    def rank(self) -> int | None:
        return self.concept.rank


@dataclass(frozen=True, slots=True)
class Applied:
    """A record in force on the day in the place or an enclosing one."""

    fact: Fact
    place: Place
    kind: str
    """``religious``, ``traditional``, ``possession``, ``exemption`` (other exemptions),
    ``access`` (granted authorizations) or ``research``."""
    scope: str | None

    @property
    def since(self) -> date | None:
        return self.fact.start


@dataclass(frozen=True, slots=True)
class NextChange:
    """The next day on which something in the answer changes, and what."""

    day: date
    what: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Answer:
    """What holds for ``item`` in ``place`` on ``day``, and why."""

    item: Item
    place: Place
    day: date
    basis: Basis
    record: Fact | None
    holder: Place | None
    """The place whose record holds (``place`` itself unless inherited)."""
    level: Level | None
    exceptions: tuple[Applied, ...]
    access: tuple[Applied, ...]
    research: tuple[Applied, ...]
    next_change: NextChange | None
    participation: Fact | None
    why: str
    others: tuple[Fact, ...] = field(default=())
    """Status records of the place that hold on other days."""
    medical_use: Concept | None = None
    """The medical use the listing allows, raised by the access routes in force (an
    authorised-prescriber route is restricted prescribing, special, compassionate or expanded
    access is special access, an approved medicine is an approved medicine)."""
    floor: Fact | None = None
    """When the record that holds states no ranked level, the derived record (the treaty
    floor) that holds for the same place and day: the least its law must require. It does
    not change the level; ``why`` names it."""

    @property
    def sources(self) -> tuple[Source, ...]:
        """The sources of the record that holds, best first."""
        return self.record.sources if self.record else ()

    @property
    def since(self) -> date | None:
        return self.record.start if self.record else None

    @property
    def since_at_least(self) -> bool:
        return bool(self.record and self.record.since_at_least)



@dataclass(frozen=True, slots=True)
class Event:
    """A record that starts or ends on a day, or replaces another."""

    day: date
    change: str
    """``started``, ``ended``, ``replaced``, ``applied for``, ``refused``."""
    fact: Fact
    place: Place
    item: Item | None
    replaces: Fact | None
    summary: str


# -- reading the graph ---------------------------------------------------------------------

_RECORDS = """
SELECT ?record ?type ?p ?o ?kind ?label ?rank WHERE {
  VALUES ?type { CLASSES }
  ?record a ?type ; ?p ?o .
  OPTIONAL { ?o skos:prefLabel ?pl . FILTER (LANG(?pl) = "en" || LANG(?pl) = "") }
  OPTIONAL { ?o dcterms:title ?title }
  OPTIONAL { ?o lg:rank ?rank }
  BIND (COALESCE(?pl, ?title) AS ?label)
  BIND (IF(isIRI(?o), "iri", IF(isLiteral(?o), "literal", "blank")) AS ?kind)
}
""".replace("CLASSES", " ".join(f"<{iri}>" for iri in _KIND_OF_CLASS))

_SOURCES = """
SELECT ?source ?url ?title ?publisher ?asOf ?community ?type ?typeLabel ?rank WHERE {
  ?source a lg:Source .
  OPTIONAL { ?source lg:url ?url }
  OPTIONAL { ?source dcterms:title ?title }
  OPTIONAL { ?source dcterms:publisher ?publisher }
  OPTIONAL { ?source lg:asOf ?asOf }
  OPTIONAL { ?source lg:communityOnly ?community }
  OPTIONAL { ?source lg:sourceType ?type .
             OPTIONAL { ?type skos:prefLabel ?typeLabel FILTER (LANG(?typeLabel) = "en") }
             OPTIONAL { ?type lg:rank ?rank } }
}
"""

_PLACES = """
SELECT ?place ?type ?name ?alpha3 ?numeric ?code ?parent WHERE {
  VALUES ?type { lg:Country lg:DependentTerritory lg:Subdivision lg:City lg:SupranationalBody }
  ?place a ?type .
  OPTIONAL { ?place skos:prefLabel ?en FILTER (LANG(?en) = "en") }
  OPTIONAL { ?place skos:prefLabel ?any }
  BIND (COALESCE(?en, ?any) AS ?name)
  OPTIONAL { ?place lg:iso3166Alpha3 ?alpha3 }
  OPTIONAL { ?place lg:iso3166Numeric ?numeric }
  OPTIONAL { ?place lg:iso3166_2 ?code }
  OPTIONAL { ?place lg:partOf ?parent }
}
"""

_BORDERS = """
SELECT ?one ?other WHERE {
  ?border a lg:LandBorder ; lg:between ?one , ?other .
  FILTER (?one != ?other)
}
"""

_ITEMS = """
SELECT ?item ?type ?label WHERE {
  VALUES ?type { lg:Substance lg:NaturalMaterial }
  ?item a ?type .
  OPTIONAL { ?item skos:prefLabel ?en FILTER (LANG(?en) = "en") }
  OPTIONAL { ?item skos:prefLabel ?any }
  BIND (COALESCE(?en, ?any) AS ?label)
}
"""

_SCHEDULE_LEVELS = """
SELECT ?schedule ?level ?label ?rank WHERE {
  ?schedule a lg:Schedule ; lg:controlLevel ?level .
  OPTIONAL { ?level skos:prefLabel ?label FILTER (LANG(?label) = "en" || LANG(?label) = "") }
  OPTIONAL { ?level lg:rank ?rank }
}
"""

_PLACE_KINDS = {
    str(LG.SupranationalBody): "supranational body",
    str(LG.City): "city",
    str(LG.Subdivision): "subdivision",
    str(LG.DependentTerritory): "dependent territory",
    str(LG.Country): "country",
}

_MEDICAL_ORDER = [str(LG[n]) for n in (
    "MedicalUseNone", "MedicalUseResearchOnly", "MedicalUseSpecialAccess",
    "MedicalUseRestrictedPrescribing", "MedicalUseApprovedMedicine")]
"""Medical uses, least access first."""

_MEDICAL_OF_ACCESS = {
    str(LG.AuthorisedPrescriber): str(LG.MedicalUseRestrictedPrescribing),
    str(LG.SpecialAccess): str(LG.MedicalUseSpecialAccess),
    str(LG.CompassionateUse): str(LG.MedicalUseSpecialAccess),
    str(LG.ExpandedAccess): str(LG.MedicalUseSpecialAccess),
    str(LG.ApprovedMedicine): str(LG.MedicalUseApprovedMedicine),
}

_PERMISSIVE_POSSESSION = {str(LG.DecriminalisedPossession), str(LG.LowestEnforcementPriority),
                          str(LG.LegalRegulated), str(LG.NotControlledPossession)}

_P = {name: str(LG[name]) for name in (
    "substance", "jurisdiction", "validFrom", "validUntil", "statedFrom", "dateNote", "basis",
    "confidence", "schedule", "scheduleText", "controlLevel", "levelFromSchedule", "medicalUse",
    "accessType", "authorizationStatus", "possessionRegime", "participationStatus",
    "measureStatus", "indication", "product", "authority", "instrument", "mechanism", "covers",
    "scope", "quote", "description", "note", "body", "lastVerified", "material")}
_SOURCE = "http://purl.org/dc/terms/source"
_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
_DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom"


def _day(text: str | None) -> date | None:
    """The day an ``xsd:date`` lexical form names (other forms, such as a bare year: None)."""
    if text is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    return None


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return None


class _Value(NamedTuple):
    """One object of a record's property as the index reads it."""

    text: str
    literal: bool
    iri: bool
    label: str | None
    rank: int | None


def _concept(shared: dict[tuple[str, str | None, int | None], Concept], iri: str,
             label: str | None, rank: int | None) -> Concept:
    """The one :class:`Concept` for ``iri`` with this label and rank (shared by every record
    that names it, so the index holds each once)."""
    key = (iri, label, rank)
    found = shared.get(key)
    if found is None:
        found = shared[key] = Concept(
            iri, label if label is not None else iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1],
            rank)
    return found


def _code(place: str, alpha3: str | None, code: str | None) -> str:
    return alpha3 or code or place.split("/id/jurisdiction/", 1)[-1]


_SCOPE_WORDS = ("only", "within", "members", "except", "limited to", "for religious",
                "in religious", "exempt")


def scope_of(texts: Iterable[str]) -> str | None:
    """The scope of an exception, from its descriptions: the part that says who or where."""
    texts = [t for t in texts if t]
    for text in texts:
        for inner in re.findall(r"\(([^()]+)\)", text):
            if any(word in inner.lower() for word in _SCOPE_WORDS):
                return str(inner).strip()
    plain = [t for t in texts if not t.startswith("As stated:")]
    for text in plain:
        if any(word in text.lower() for word in _SCOPE_WORDS):
            return text.strip()
    return plain[0].strip() if plain else None


def _exception_kind(fact: Fact) -> str:
    if fact.kind is Kind.PENALTY:
        return "possession"
    text = " ".join((*fact.descriptions, fact.instrument.label if fact.instrument else "",
                     fact.scope or "")).lower()
    if any(w in text for w in ("relig", "church", "ceremon", "sacrament", "spiritual")):
        return "religious"
    if any(w in text for w in ("tradition", "indigenous", "ancestral")):
        return "traditional"
    if "possession" in text:
        return "possession"
    return "exemption"


class Engine:
    """The index of one graph and the answers it gives."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.places: dict[str, Place] = {}
        self.items: dict[str, Item] = {}
        self.facts: dict[str, Fact] = {}
        self._by_pair: dict[tuple[str, str], list[Fact]] = defaultdict(list)
        self._general: dict[str, list[Fact]] = defaultdict(list)
        self._by_place: dict[str, list[Fact]] = defaultdict(list)
        self._participation: dict[str, list[Fact]] = defaultdict(list)
        self._listings: dict[str, list[Fact]] = defaultdict(list)
        self._party: dict[str, Fact] = {}
        self._medical_labels: dict[str, str] = {}
        self._countries: list[Place] = []
        self._neighbours: dict[str, set[str]] = defaultdict(set)
        self._read()

    # -- index ----------------------------------------------------------------------------

    def _read(self) -> None:
        store = self.store
        order = list(_PLACE_KINDS)
        found: dict[str, tuple[int, Place]] = {}
        for row in store.select(_PLACES):
            iri, kind = str(row["place"]), str(row["type"])
            rank = order.index(kind)
            if iri in found and found[iri][0] <= rank:
                continue
            alpha3 = str(row["alpha3"]) if "alpha3" in row else None
            code = str(row["code"]) if "code" in row else None
            found[iri] = (rank, Place(
                iri=iri, name=str(row.get("name") or iri.rsplit("/", 1)[-1]),
                code=_code(iri, alpha3, code), kind=_PLACE_KINDS[kind],
                parent=str(row["parent"]) if "parent" in row else None,
                numeric=str(row["numeric"]) if "numeric" in row else None))
        self.places = {iri: place for iri, (_, place) in found.items()}
        for row in store.select(_BORDERS):  # each border gives both directions
            one, other = str(row["one"]), str(row["other"])
            self._neighbours[one].add(other)
            self._neighbours[other].add(one)
        for row in store.select(_ITEMS):
            iri = str(row["item"])
            natural = str(row["type"]) == str(LG.NaturalMaterial)
            if iri in self.items and not natural:
                continue
            self.items[iri] = Item(iri, str(row.get("label") or iri.rsplit("/", 1)[-1]),
                                   natural)
        schedule_level: dict[str, Concept] = {}
        for row in store.select(_SCHEDULE_LEVELS):
            level = str(row["level"])
            schedule_level[str(row["schedule"])] = Concept(
                level, str(row.get("label") or level.rsplit("#", 1)[-1]),
                _int(str(row["rank"]) if "rank" in row else None))
        shared: dict[str, str] = {}  # one string object per distinct IRI, label or text
        concepts: dict[tuple[str, str | None, int | None], Concept] = {}
        sources: dict[str, Source] = {}
        for source, url, title, publisher, as_of, community, stype, type_label, type_rank in (
                store.lexical_rows(_SOURCES)):
            assert source is not None
            if source in sources:
                continue
            sources[source] = Source(
                iri=source, url=url, title=title or url or source, publisher=publisher,
                as_of=_day(as_of),
                source_type=_concept(concepts, stype, type_label or "", _int(type_rank))
                if stype is not None else None,
                community=(community or "").lower() == "true")
        props: dict[str, dict[str, list[_Value]]] = defaultdict(lambda: defaultdict(list))
        kinds: dict[str, Kind] = {}
        for record, rtype, pred, obj, okind, label, obj_rank in store.lexical_rows(_RECORDS):
            assert record is not None and rtype is not None and pred is not None
            assert obj is not None
            kinds[record] = _KIND_OF_CLASS[rtype]
            props[record][shared.setdefault(pred, pred)].append(_Value(
                shared.setdefault(obj, obj), okind == "literal", okind == "iri",
                None if label is None else shared.setdefault(label, label), _int(obj_rank)))
        for record, values in props.items():
            fact = self._fact(record, kinds[record], values, sources, schedule_level, concepts)
            self.facts[record] = fact
            self._by_place[fact.jurisdiction].append(fact)
            if fact.kind is Kind.PARTICIPATION:
                self._participation[fact.jurisdiction].append(fact)
            elif fact.kind is Kind.LISTING:
                for item in fact.substances:
                    self._listings[item].append(fact)
            elif not fact.substances:
                self._general[fact.jurisdiction].append(fact)
            else:
                for item in fact.substances:
                    self._by_pair[(item, fact.jurisdiction)].append(fact)
        for facts in (*self._by_pair.values(), *self._general.values()):
            facts.sort(key=lambda f: (f.start or date.min, f.iri))
        self._medical_labels = {str(r["use"]): str(r["label"]) for r in store.select(
            "SELECT ?use ?label WHERE { ?use a lg:MedicalUse ; skos:prefLabel ?label . "
            'FILTER (LANG(?label) = "en" || LANG(?label) = "") }')}
        party = str(LG.Party)
        for place, records in self._participation.items():
            records.sort(key=lambda f: (f.participation_status is None
                                      or f.participation_status.iri != party, f.iri))
            self._party[place] = records[0]
        self._countries = sorted(
            (p for p in self.places.values() if p.kind in ("country", "dependent territory")
             and re.fullmatch(r"[A-Z]{3}", p.code)), key=lambda p: p.code)

    @staticmethod
    def _fact(iri: str, kind: Kind, values: dict[str, list[_Value]],
              sources: dict[str, Source], schedule_level: dict[str, Concept],
              shared: dict[tuple[str, str | None, int | None], Concept]) -> Fact:
        def concepts(name: str) -> list[Concept]:
            out = {_concept(shared, v.text, v.label, v.rank)
                   for v in values.get(_P.get(name, name), []) if v.iri}
            return sorted(out, key=lambda c: c.iri)

        def concept(name: str) -> Concept | None:
            found = concepts(name)
            return found[0] if found else None

        def texts(name: str) -> tuple[str, ...]:
            return tuple(sorted({v.text for v in values.get(_P.get(name, name), [])
                                 if v.literal}))

        def text(name: str) -> str | None:
            found = texts(name)
            return found[0] if found else None

        def day(name: str) -> date | None:
            found = [d for v in values.get(_P[name], [])
                     if v.literal and (d := _day(v.text)) is not None]
            return min(found) if found else None

        def terms(name: str) -> list[str]:
            return [v.text for v in values.get(name, [])]

        schedule = concept("schedule")
        level_from_schedule = concept("levelFromSchedule")
        if level_from_schedule is None and schedule is not None:
            level_from_schedule = schedule_level.get(schedule.iri)
        basis = concept("basis")
        descriptions = texts("description")
        scope = text("scope") or (scope_of(descriptions) if kind in (
            Kind.EXEMPTION, Kind.PENALTY) else None)
        substances = tuple(sorted(terms(_P["substance"])))
        if kind is Kind.CLAUSE:
            substances = tuple(sorted({*substances, *terms(_P["material"])}))
        jurisdiction = next(iter(terms(_P["jurisdiction"])), "")
        if kind is Kind.MEMBERSHIP:
            jurisdiction = jurisdiction or ""
        found_sources = sorted(
            (sources[o] for o in terms(_SOURCE) if o in sources),
            key=Source.order)
        return Fact(
            iri=iri, kind=kind, jurisdiction=jurisdiction, substances=substances,
            valid_from=day("validFrom"), valid_until=day("validUntil"),
            stated_from=text("statedFrom"), date_note=text("dateNote"),
            derived=basis is not None and basis.iri == str(LG.Derived),
            confidence=concept("confidence"), schedule=schedule,
            schedule_text=text("scheduleText"), control_level=concept("controlLevel"),
            level_from_schedule=level_from_schedule, medical_use=concept("medicalUse"),
            access_type=concept("accessType"),
            authorization_status=concept("authorizationStatus"),
            possession=concept("possessionRegime"),
            participation_status=concept("participationStatus"),
            measure_status=concept("measureStatus"), indication=text("indication"),
            product=text("product"), authority=concept("authority"),
            instrument=concept("instrument"), mechanism=text("mechanism"),
            covers=text("covers"), scope=scope, quote=text("quote"),
            descriptions=descriptions, notes=texts("note"),
            comment=next(iter(terms(_COMMENT)), None),
            derived_from=tuple(sorted(terms(_DERIVED_FROM))),
            body=next(iter(terms(_P["body"])), None),
            last_verified=day("lastVerified"), sources=tuple(found_sources))

    # -- places ---------------------------------------------------------------------------

    def place(self, iri: str | URIRef) -> Place:
        """The place ``iri`` names (a bare place when the graph has no such jurisdiction)."""
        key = str(iri)
        return self.places.get(key) or Place(key, key.rsplit("/", 1)[-1],
                                             _code(key, None, None), "jurisdiction", None)

    def item(self, iri: str | URIRef) -> Item:
        """The substance or material ``iri`` names."""
        key = str(iri)
        return self.items.get(key) or Item(key, key.rsplit("/", 1)[-1], False)

    def ancestors(self, place: str) -> list[str]:
        """The enclosing places of ``place``, nearest first."""
        chain: list[str] = []
        current = self.place(place).parent
        while current is not None and current not in chain and current != place:
            chain.append(current)
            current = self.place(current).parent
        return chain

    def countries(self) -> list[Place]:
        """Every ISO 3166-1 entry (countries and dependent territories), by code."""
        return list(self._countries)

    def neighbours(self, place: str | URIRef) -> list[Place]:
        """The places that share a land border with ``place`` (``lg:LandBorder``), by name;
        the relation is symmetric."""
        found = (self.place(iri) for iri in self._neighbours.get(str(place), ()))
        return sorted(found, key=lambda p: (p.name.casefold(), p.iri))

    # -- records --------------------------------------------------------------------------

    def records(self, item: str, place: str, kinds: Sequence[Kind] | None = None) -> list[Fact]:
        """The records of ``place`` about ``item`` (or about no single substance)."""
        found = [*self._by_pair.get((item, place), []), *self._general.get(place, [])]
        if kinds is not None:
            found = [f for f in found if f.kind in kinds]
        return sorted(found, key=lambda f: (f.start or date.min, f.iri))

    def place_records(self, place: str) -> list[Fact]:
        """Every record of ``place``."""
        return sorted(self._by_place.get(place, []), key=lambda f: (f.start or date.min, f.iri))

    def participation(self, place: str) -> Fact | None:
        """The 1971 Convention participation of ``place`` (a party's record first)."""
        return self._party.get(place)

    def holding(self, item: str, place: str, day: date) -> Fact | None:
        """The status record of ``place`` itself that holds: curated before derived, then the
        latest start."""
        candidates = [f for f in self._by_pair.get((item, place), [])
                      if f.kind is Kind.STATUS and f.holds_on(day)]
        if not candidates:
            return None
        candidates.sort(key=lambda f: (f.derived, -(f.start or date.min).toordinal(), f.iri))
        return candidates[0]

    # -- the answer -----------------------------------------------------------------------

    def status(self, item: str | URIRef, place: str | URIRef, day: date, *,
               inherit: bool = True) -> Answer:
        """What holds for ``item`` in ``place`` on ``day``, and why. Without ``inherit``, a
        place with no status record of its own is ``unknown`` (its enclosing places' records
        are still listed)."""
        item_iri, place_iri = str(item), str(place)
        here = self.place(place_iri)
        chain = self.ancestors(place_iri)
        record = self.holding(item_iri, place_iri, day)
        holder: Place | None = here if record else None
        basis = record.basis if record else Basis.UNKNOWN
        if record is None and inherit:
            for upper in chain:
                found = self.holding(item_iri, upper, day)
                if found is not None:
                    record, holder, basis = found, self.place(upper), Basis.INHERITED
                    break
        exceptions: list[Applied] = []
        access: list[Applied] = []
        research: list[Applied] = []
        for layer in [place_iri, *chain]:
            where = self.place(layer)
            for fact in self.records(item_iri, layer):
                if not fact.holds_on(day):
                    continue
                if fact.kind is Kind.EXEMPTION or (
                        fact.kind is Kind.PENALTY and fact.possession is not None
                        and fact.possession.iri in _PERMISSIVE_POSSESSION):
                    if fact.kind is Kind.EXEMPTION and not fact.substances:
                        continue
                    exceptions.append(Applied(fact, where, _exception_kind(fact), fact.scope))
                elif fact.granted:
                    access.append(Applied(fact, where, "access", fact.indication))
                elif fact.kind is Kind.RESEARCH:
                    research.append(Applied(fact, where, "research", fact.covers))
        access = _without_copies(access)
        others = tuple(f for f in self._by_pair.get((item_iri, place_iri), [])
                       if f.kind is Kind.STATUS and not f.holds_on(day))
        participation = self.participation(place_iri) or next(
            (p for p in (self.participation(u) for u in chain) if p), None)
        answer = Answer(
            item=self.item(item_iri), place=here, day=day, basis=basis, record=record,
            holder=holder, level=self.level(record), exceptions=tuple(exceptions),
            access=tuple(access), research=tuple(research),
            next_change=self._next_change(item_iri, [place_iri, *chain], day),
            participation=participation, why="", others=others,
            floor=self._floor(item_iri, record, holder, day))
        answer = replace(answer, medical_use=self._medical_use(record, access))
        return replace(answer, why=self._why(answer))

    def _floor(self, item: str, record: Fact | None, holder: Place | None,
               day: date) -> Fact | None:
        """The derived record under a curated one that states no ranked level (see
        :attr:`Answer.floor`)."""
        if record is None or holder is None or record.derived:
            return None
        level = self.level(record)
        if level is not None and level.rank is not None:
            return None
        return next((f for f in self._by_pair.get((item, holder.iri), [])
                     if f.kind is Kind.STATUS and f.derived and f.holds_on(day)
                     and (found := self.level(f)) is not None and found.rank is not None),
                    None)

    def _medical_use(self, record: Fact | None, access: list[Applied]) -> Concept | None:
        found = record.medical_use if record else None
        best = _MEDICAL_ORDER.index(found.iri) if found and found.iri in _MEDICAL_ORDER else -1
        for applied in access:
            kind = applied.fact.access_type.iri if applied.fact.access_type else ""
            use = _MEDICAL_OF_ACCESS.get(kind)
            if use is not None and _MEDICAL_ORDER.index(use) > best:
                best = _MEDICAL_ORDER.index(use)
                found = Concept(use, self._medical_labels.get(use, use.rsplit("#", 1)[-1]))
        return found

    @staticmethod
    def level(record: Fact | None) -> Level | None:
        """The record's own ranked level, else its schedule's ranked level, else the level
        it states (unranked), else None."""
        if record is None:
            return None
        if record.control_level is not None and record.control_level.rank is not None:
            return Level(record.control_level, False)
        if record.level_from_schedule is not None and record.level_from_schedule.rank:
            return Level(record.level_from_schedule, True)
        if record.control_level is not None:
            return Level(record.control_level, False)
        return None

    def _next_change(self, item: str, layers: list[str], day: date) -> NextChange | None:
        upcoming: dict[date, list[str]] = defaultdict(list)
        for layer in layers:
            for fact in self.records(item, layer):
                if fact.kind not in (Kind.STATUS, Kind.EXEMPTION, Kind.RESEARCH, Kind.PENALTY,
                                     Kind.AUTHORIZATION):
                    continue
                if fact.kind is Kind.AUTHORIZATION and not fact.granted:
                    continue
                start, end = fact.start, fact.valid_until
                where = self.place(layer).name
                if start is not None and start > day:
                    upcoming[start].append(f"{fact.summary()} starts ({where})")
                if end is not None and end > day:
                    upcoming[end].append(f"{fact.summary()} ends ({where})")
        if not upcoming:
            return None
        first = min(upcoming)
        return NextChange(first, tuple(dict.fromkeys(upcoming[first])))

    def _why(self, answer: Answer) -> str:
        record, place = answer.record, answer.place
        if record is None or answer.holder is None:
            return self._unknown(answer)
        if answer.basis is Basis.INHERITED:
            above = {answer.holder.iri, *self.ancestors(answer.holder.iri)}
            local = [f"{a.fact.summary()} ({a.place.name}"
                     + (f", since {long_date(a.since)})" if a.since else ")")
                     for a in (*answer.access, *answer.exceptions) if a.place.iri not in above]
            on_top = f"; on top of it here: {'; '.join(local)}" if local else ""
            return (f"inherited from {answer.holder.name}: {place.name} has no status record "
                    f"of its own for that day; {self.record_why(record)}{on_top}"
                    f"{self._floor_why(answer)}")
        return self.record_why(record) + self._floor_why(answer)

    def _floor_why(self, answer: Answer) -> str:
        floor = answer.floor
        if floor is None or (level := self.level(floor)) is None:
            return ""
        return (f"; it does not say how strict the control is, but {self._derivation(floor)}"
                f", so at least {level.concept.label.lower()}")

    def record_why(self, record: Fact) -> str:
        """Why a status record holds, in one line: curated from which law, or derived from
        which treaty or clause, since when."""
        if record.derived:
            return f"derived: {self._derivation(record)}{_since(record)}"
        # the first instrument a title names is the law (titles list several with "; ")
        law = record.instrument.label.split("; ")[0] if record.instrument else "a cited source"
        return f"curated from {law}{_since(record)}"

    def _derivation(self, record: Fact) -> str:
        if record.comment:
            return record.comment.rstrip(".")
        sources = [self.facts[i].summary() for i in record.derived_from if i in self.facts]
        return "from " + "; ".join(sources) if sources else "by a rule"

    def _unknown(self, answer: Answer) -> str:
        place, item, day = answer.place, answer.item, answer.day
        name = place.name
        curated = [f for f in answer.others if not f.derived]
        floor = sorted(f.start for f in answer.others if f.derived and f.start is not None)
        if curated:
            starts = sorted(f.start for f in curated if f.start is not None)
            if len(curated) == 1:
                held = (f"the one on file holds from {long_date(starts[0])}" if starts
                        else "the one on file holds on other days")
            else:
                held = (f"the {len(curated)} on file hold on other days"
                        + (f", the earliest from {long_date(starts[0])}" if starts else ""))
            return f"no status record holds in {name} on {long_date(day)}: {held}"
        if floor:
            return (f"no national source is recorded for {name}, and the 1971 Convention's "
                    f"floor for {item.label} holds there only from {long_date(floor[0])}: the "
                    f"later of the day {name} became bound by the Convention (or, with no "
                    f"date on record, the date of the evidence that it is a party) and the day "
                    f"the Convention listed {item.label}")
        participation = answer.participation
        status = participation.participation_status if participation else None
        if participation is None or status is None:
            return (f"no national source is recorded for {name}, and no participation in the "
                    "1971 Convention is on record")
        if status.iri == str(LG.NonParty):
            return (f"{name} is not a party to the 1971 Convention and no national source is "
                    "recorded")
        if status.iri == str(LG.Signatory):
            return (f"{name} has signed but not ratified the 1971 Convention, and no national "
                    "source is recorded")
        if item.natural:
            return (f"{name} is a party to the 1971 Convention, which does not control "
                    f"{item.label} itself, and no national source is recorded")
        if participation.start is not None and day < participation.start:
            return (f"{name} became bound by the 1971 Convention on "
                    f"{long_date(participation.start)}, after this day, and no national "
                    "source is recorded")
        listing = sorted(f.start for f in self._listings.get(item.iri, []) if f.start)
        if listing and day < listing[0]:
            return (f"{item.label} was listed in Schedule I of the 1971 Convention only from "
                    f"{long_date(listing[0])}, and no national source is recorded")
        return (f"{name} is a party to the 1971 Convention, which sets no floor for "
                f"{item.label} on this day, and no national source is recorded")

    # -- history --------------------------------------------------------------------------

    def timeline(self, item: str | URIRef, place: str | URIRef) -> list[Fact]:
        """Every record of ``item`` in ``place`` (and its general rules), by start."""
        return self.records(str(item), str(place))

    def change_days(self, item: str | URIRef, place: str | URIRef) -> list[date]:
        """The days on which a record of ``item`` in ``place`` or an enclosing place starts
        or ends."""
        days: set[date] = set()
        for layer in [str(place), *self.ancestors(str(place))]:
            for fact in self.records(str(item), layer):
                days.update(d for d in (fact.start, fact.valid_until) if d is not None)
        return sorted(days)

    def changes(self, first: date, last: date, item: str | URIRef | None = None) -> list[Event]:
        """What started or ended between ``first`` and ``last`` (inclusive), one event per
        change: a record that replaces another on the day it ends is one ``replaced`` event.
        A pending or refused authorization is ``applied for`` or ``refused``, never
        ``started``."""
        wanted = str(item) if item is not None else None
        events: list[Event] = []
        kinds = (Kind.STATUS, Kind.AUTHORIZATION, Kind.RESEARCH, Kind.PENALTY, Kind.EXEMPTION)
        for fact in self.facts.values():
            if fact.kind not in kinds:
                continue
            if wanted is not None and fact.substances and wanted not in fact.substances:
                continue
            items: list[str | None] = [wanted] if wanted and fact.substances else [
                *fact.substances]
            items = items or [None]
            place = self.place(fact.jurisdiction)
            for subject in items:
                events.extend(self._events(fact, place, subject, first, last))
        events.sort(key=lambda e: (e.day, e.place.code, e.fact.iri, e.change))
        return events

    def _events(self, fact: Fact, place: Place, subject: str | None, first: date,
                last: date) -> list[Event]:
        out: list[Event] = []
        item = self.item(subject) if subject else None
        same = [f for f in self._by_pair.get((subject or "", fact.jurisdiction), [])
                if f.kind is fact.kind and f.iri != fact.iri and f.derived == fact.derived]
        start = fact.valid_from
        if start is not None and first <= start <= last:
            before = next((f for f in same if f.valid_until == start), None)
            if fact.kind is Kind.AUTHORIZATION and not fact.granted:
                status = fact.authorization_status.iri if fact.authorization_status else ""
                change = {str(LG.Pending): "applied for", str(LG.Refused): "refused",
                          str(LG.Ended): "ended"}.get(status, "recorded")
                before = None
            else:
                change = "replaced" if before is not None else "started"
            summary = fact.summary()
            if before is not None:
                summary = f"{before.summary()} → {summary}"
            out.append(Event(start, change, fact, place, item, before, summary))
        end = fact.valid_until
        if end is not None and first <= end <= last:
            successor = next((f for f in same if f.valid_from == end), None)
            if successor is None:
                out.append(Event(end, "ended", fact, place, item, None, fact.summary()))
        return out


def _without_copies(access: list[Applied]) -> list[Applied]:
    """Access routes without a derived copy of a curated record of the same place (same
    access type and start): the curated record is the one to cite."""
    curated = {(a.place.iri, a.fact.access_type, a.fact.start)
               for a in access if not a.fact.derived}
    return [a for a in access if not a.fact.derived
            or (a.place.iri, a.fact.access_type, a.fact.start) not in curated]


_ENGINES: WeakKeyDictionary[Store, Engine] = WeakKeyDictionary()


def engine_for(store: Store) -> Engine:
    """The engine of ``store`` (its index is built once per store)."""
    found = _ENGINES.get(store)
    if found is None:
        found = _ENGINES[store] = Engine(store)
    return found


def _since(record: Fact) -> str:
    start = record.start
    if start is None:
        return " (start not recorded)"
    if record.since_at_least:
        return (f", in force since at least {long_date(start)} (the earliest as-of date of "
                "its sources; the start is not recorded)")
    return f", in force since {long_date(start)}"




__all__ = [
    "Answer", "Applied", "Basis", "Concept", "Engine", "Event", "Fact", "Item", "Kind",
    "Level", "NextChange", "Place", "Source", "engine_for", "long_date", "scope_of",
]
