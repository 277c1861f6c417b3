"""The named queries that decide a status answer as the engine does.

Analysts read ``queries/status.rq`` and ``queries/coverage.rq`` and run them in other engines;
the pages, ``compare`` and the feed read :mod:`legalgraph.engine`. Both must give the same
answer (basis, control level, record) for every (substance, jurisdiction) pair on every day
something changes for it, the day before, and today.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from legalgraph import queries
from legalgraph.compare import Comparer, code
from legalgraph.engine import Engine, engine_for
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


def _query_answer(row: dict[str, object]) -> tuple[str, ...]:
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
