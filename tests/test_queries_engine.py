"""The named queries that decide a status answer as the engine does.

Analysts read ``queries/status.rq``, ``queries/coverage.rq`` and the other named queries and
run them in other engines; the pages, ``compare`` and the feed read :mod:`legalgraph.engine`.
Both must give the same answer (basis, control level, record) for every (substance,
jurisdiction) pair on every day something changes for it, the day before, and today; the
research exemptions in force, the timeline's dates and the changes must agree too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from legalgraph import queries
from legalgraph.compare import Comparer, code
from legalgraph.engine import Engine, Kind, engine_for
from legalgraph.store import Store

CHUNK = 600
"""(jurisdiction, day) pairs asked per run of status.rq."""


def _pairs(text: str, pairs: list[tuple[str, date]]) -> str:
    """``text`` with its ``?jurisdiction`` and ``?asOf`` values replaced by one VALUES block
    of (jurisdiction, day) pairs: the same query, asked for many pairs in one run."""
    block = "VALUES (?jurisdiction ?asOf) { " + " ".join(
        f'(<{place}> "{day.isoformat()}"^^<{XSD.date}>)' for place, day in pairs) + " }"
    text, found = re.subn(r"^([ \t]*)VALUES \?jurisdiction \{[^}\n]*\}",
                          lambda m: m.group(1) + block, text, flags=re.MULTILINE)
    assert found == 2, "the query names ?jurisdiction in its body and in its subquery"
    text, found = re.subn(r"^[ \t]*VALUES \?asOf \{[^}\n]*\}\n", "", text,
                          flags=re.MULTILINE)
    assert found == 2
    return text


@pytest.fixture(scope="module")
def engine(store: Store) -> Engine:
    return engine_for(store)


def _days(engine: Engine, item: str, place: str) -> set[date]:
    changes = set(engine.change_days(item, place))
    return changes | {d - timedelta(days=1) for d in changes} | {date.today()}


def _engine_answer(engine: Engine, item: str, place: str, day: date) -> tuple[str, ...]:
    answer = engine.status(item, place, day)
    return (answer.basis.value, answer.level.concept.iri if answer.level else "",
            answer.record.iri if answer.record else "")


def _query_answer(row: Mapping[str, object]) -> tuple[str, ...]:
    return (str(row["basis"]), str(row.get("controlLevel") or ""), str(row.get("record") or ""))


def _literal(day: date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


def test_status_query_answers_as_the_engine(store: Store, engine: Engine) -> None:
    named = queries.get("status")
    places = [p.iri for p in engine.places.values() if p.kind != "supranational body"]
    compared = 0
    for item in sorted(engine.items):
        pairs = sorted((place, day) for place in places
                       for day in _days(engine, item, place))
        for start in range(0, len(pairs), CHUNK):
            chunk = pairs[start:start + CHUNK]
            text = _pairs(named.bind({"substance": [URIRef(item)]}), chunk)
            rows = store.select(text)
            assert len(rows) == len(chunk)
            for row in rows:
                day = date.fromisoformat(str(row["day"]))
                place = str(row["jurisdiction"])
                expected = _engine_answer(engine, item, place, day)
                assert _query_answer(row) == expected, (item, place, day)
                compared += 1
    assert compared >= len(places) * len(engine.items)


def test_coverage_query_answers_as_the_engine(store: Store, engine: Engine) -> None:
    named = queries.get("coverage")
    countries = {p.iri for p in engine.countries()}
    for item in sorted(engine.items):
        changes = sorted({d for place in countries for d in engine.change_days(item, place)})
        # today, the first and the latest change, and the day before each of them
        picked = {date.today()} | set(changes[:1] + changes[-1:])
        picked |= {d - timedelta(days=1) for d in picked}
        for day in sorted(picked):
            rows = store.select(named.bind({"substance": [URIRef(item)],
                                            "asOf": [_literal(day)]}))
            assert {str(r["jurisdiction"]) for r in rows} == countries
            for row in rows:
                place = str(row["jurisdiction"])
                expected = _engine_answer(engine, item, place, day)
                assert _query_answer(row) == expected, (item, place, day)


def test_jurisdiction_query_answers_as_the_engine(store: Store, engine: Engine) -> None:
    named = queries.get("jurisdiction")
    items = set(engine.items)
    pairs = sorted((place.iri, day) for place in engine.places.values()
                   if place.kind != "supranational body"
                   for day in set().union(*(_days(engine, item, place.iri) for item in items)))
    for start in range(0, len(pairs), CHUNK // 4):
        chunk = pairs[start:start + CHUNK // 4]
        rows = store.select(_pairs(named.text, chunk))
        assert len(rows) == len(chunk) * len(items)
        for row in rows:
            day = date.fromisoformat(str(row["day"]))
            item, place = str(row["substance"]), str(row["jurisdiction"])
            expected = _engine_answer(engine, item, place, day)
            assert _query_answer(row) == expected, (item, place, day)


@pytest.mark.parametrize("day", [date(1990, 1, 1), date(2023, 6, 30), date(2023, 7, 1),
                                 date.today()])
def test_the_counting_queries_count_as_the_engine(store: Store, day: date) -> None:
    comparer = Comparer(store)
    rows = store.select(queries.get("coverage_summary").bind({"asOf": [_literal(day)]}))
    assert {str(r["substance"]): (int(str(r["curated"])), int(str(r["derived"])),
                                  int(str(r["unknown"])), int(str(r["total"]))) for r in rows} \
        == {c.substance: (c.curated, c.derived, c.unknown, c.total)
            for c in comparer.coverage_summary(day)}
    rows = store.select(queries.get("level_counts").bind({"asOf": [_literal(day)]}))
    assert {(str(r["substance"]), code(r.get("controlLevel"))): (
        int(str(r["jurisdictions"])), int(str(r["curated"])), int(str(r["derived"])))
        for r in rows} == {(c.substance, c.control_level): (c.jurisdictions, c.curated,
                                                             c.derived)
                           for c in comparer.level_counts(as_of=day)}


@pytest.mark.parametrize("day", [date(2000, 1, 1), date(2023, 7, 1), date.today()])
def test_the_treaty_floor_comparison_reads_the_record_the_engine_holds(
        store: Store, engine: Engine, day: date) -> None:
    named = queries.get("treaty_floor_comparison")
    for item in ("mdma", "psilocybin", "lsd"):
        iri = f"https://w3id.org/legalgraph/id/substance/{item}"
        rows = store.select(named.bind({"substance": [URIRef(iri)], "asOf": [_literal(day)]}))
        expected = {}
        for place in engine.places:
            answer = engine.status(iri, place, day, inherit=False)
            if answer.record and answer.level and answer.level.rank:
                expected[place] = (answer.record.iri, answer.level.concept.iri)
        assert {str(r["jurisdiction"]): (str(r["record"]), str(r["controlLevel"]))
                for r in rows} == expected


def _dated(day: object) -> date | None:
    return date.fromisoformat(str(day)) if day is not None else None


def _flag(value: object) -> bool:
    return str(value).lower() in ("true", "1")


def test_research_exemptions_in_force_are_those_of_the_engine(store: Store,
                                                               engine: Engine) -> None:
    named = queries.get("research_exemptions")
    research = [f for f in engine.facts.values() if f.kind is Kind.RESEARCH]
    # every regime, dated as the engine dates it
    rows = store.select(named.text)
    assert {(str(r["record"]), _dated(r.get("since")), _flag(r.get("sinceAtLeast")))
            for r in rows} == {(f.iri, f.start, f.since_at_least) for f in research}
    assert any(f.since_at_least for f in research)
    # on each day a regime starts or ends, the day before, and today: those in force
    changes = {d for f in research for d in (f.start, f.valid_until) if d is not None}
    days = changes | {d - timedelta(days=1) for d in changes} | {
        date.today(), date(2023, 6, 30), date(2023, 7, 1)}
    places = [p for p in engine.places if any(
        f.kind is Kind.RESEARCH for f in engine.place_records(p))]
    for day in sorted(days):
        rows = store.select(named.bind({"asOf": [_literal(day)]}))
        found = {(str(r["jurisdiction"]), str(r["record"])) for r in rows}
        expected = {(place, f.iri) for place in places for f in engine.place_records(place)
                    if f.kind is Kind.RESEARCH and f.holds_on(day)}
        assert found == expected, day
    australia = "https://w3id.org/legalgraph/id/jurisdiction/AUS"
    in_force = {d: {str(r["record"]) for r in store.select(named.bind(
        {"asOf": [_literal(d)], "jurisdiction": [URIRef(australia)]}))}
        for d in (date(2023, 6, 30), date(2023, 7, 1))}
    assert in_force[date(2023, 7, 1)] - in_force[date(2023, 6, 30)], \
        "Australia's trial pathway starts on 1 July 2023"


_TIMELINE_KINDS = (Kind.STATUS, Kind.AUTHORIZATION, Kind.RESEARCH, Kind.PENALTY,
                   Kind.EXEMPTION, Kind.PENDING)


def test_timeline_query_dates_records_as_the_engine(store: Store, engine: Engine) -> None:
    named = queries.get("timeline")
    pairs = sorted({(item, f.jurisdiction) for f in engine.facts.values()
                    if f.kind in _TIMELINE_KINDS for item in f.substances
                    if item in engine.items and f.jurisdiction in engine.places})
    assert pairs
    at_least = 0
    for item, place in pairs:
        rows = store.select(named.bind({"substance": [URIRef(item)],
                                        "jurisdiction": [URIRef(place)]}))
        found = list(dict.fromkeys(
            (str(r["record"]), _dated(r.get("since")), _flag(r.get("sinceAtLeast")))
            for r in rows))
        expected = [(f.iri, f.start, f.since_at_least) for f in engine.timeline(item, place)
                    if f.kind in _TIMELINE_KINDS]
        assert found == expected, (item, place)
        at_least += sum(1 for _, _, flag in found if flag)
    assert at_least, "some records hold only since the as-of date of their sources"


@pytest.mark.parametrize(("first", "last"), [
    (date(2023, 7, 1), date(2023, 7, 1)),    # Australia's rescheduling of MDMA and psilocybin
    (date(2023, 1, 1), date(2023, 12, 31)),
    (date(2022, 1, 5), date(2022, 1, 5)),    # Canada's Special Access Program amendment
    (date(2021, 7, 1), date(2022, 6, 30)),
    (date(1900, 1, 1), date.today()),
])
@pytest.mark.parametrize("item", [None, "mdma", "psilocybin"])
def test_changes_query_lists_the_engines_events(store: Store, engine: Engine, first: date,
                                                last: date, item: str | None) -> None:
    named = queries.get("changes")
    values: dict[str, list[Node]] = {"from": [_literal(first)], "to": [_literal(last)]}
    iri = f"https://w3id.org/legalgraph/id/substance/{item}" if item else None
    if iri:
        values["substance"] = [URIRef(iri)]
    rows = store.select(named.bind(values))
    found = {(_dated(r["date"]), str(r["change"]), str(r["record"]), str(r.get("item") or ""),
              str(r.get("replaces") or "")) for r in rows}
    events = engine.changes(first, last, iri)
    expected = {(e.day, e.change, e.fact.iri, e.item.iri if e.item else "",
                 e.replaces.iri if e.replaces else "") for e in events}
    assert found == expected
    assert len(rows) >= len(events) > 0
    if first <= date(2023, 7, 1) <= last and item in (None, "mdma"):
        assert any(change == "replaced" and record.endswith("/AUS/mdma/2")
                   for _, change, record, _, _ in found)
    if first <= date(2022, 1, 5) <= last and item in (None, "mdma"):
        assert any(change == "started" and record.endswith("/authorization/CAN/mdma/1")
                   for _, change, record, _, _ in found)
