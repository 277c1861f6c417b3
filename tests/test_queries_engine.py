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
    assert found == 2, "status.rq names ?jurisdiction in the query and in its subquery"
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
