"""The answer engine on the shipped graph: time rules, precedence, changes and wording.

Expected dates come from the records' own dates and the reference rows, never from the
engine's output.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from legalgraph.engine import Basis, Engine, Kind, engine_for, long_date
from legalgraph.namespaces import ID, LG
from legalgraph.store import Store


@pytest.fixture(scope="module")
def engine(store: Store) -> Engine:
    return engine_for(store)


def test_one_engine_per_store(store: Store, engine: Engine) -> None:
    assert engine_for(store) is engine


def test_the_floor_starts_on_the_later_of_the_party_and_listing_dates(engine: Engine) -> None:
    floors = [f for f in engine.facts.values() if f.kind is Kind.STATUS and f.derived
              and f.instrument is not None and f.instrument.iri == str(ID["treaty/un-1971"])]
    assert floors
    for floor in floors:
        assert floor.valid_from is not None, floor.iri
        party = engine.participation(floor.jurisdiction)
        assert party is not None and party.start is not None
        assert floor.valid_from >= party.start, floor.iri
        assert floor.comment and floor.derived_from
        day_before = floor.valid_from - timedelta(days=1)
        answer = engine.status(floor.substances[0], floor.jurisdiction, day_before)
        assert answer.record is None or answer.record.iri != floor.iri


def test_a_curated_record_wins_on_its_days_and_the_floor_answers_before(engine: Engine) -> None:
    mdma, canada = str(ID["substance/mdma"]), str(ID["jurisdiction/CAN"])
    curated = [f for f in engine.records(mdma, canada, [Kind.STATUS]) if not f.derived]
    assert curated
    first = min(f.start for f in curated if f.start is not None)
    on = engine.status(mdma, canada, first)
    assert on.basis is Basis.CURATED
    before = engine.status(mdma, canada, first - timedelta(days=1))
    assert before.basis is Basis.DERIVED and "1971 Convention" in before.why


def test_records_without_a_start_hold_since_their_earliest_source(engine: Engine) -> None:
    undated = [f for f in engine.facts.values()
               if f.kind is Kind.STATUS and f.valid_from is None and f.start is not None
               and f.substances and not f.derived]
    assert undated
    for fact in undated[:40]:
        start = fact.start
        assert start is not None
        earliest = min(s.as_of for s in fact.sources if s.as_of is not None)
        last = fact.valid_until - timedelta(days=1) if fact.valid_until else earliest
        assert start == min(earliest, last)
        assert not fact.holds_on(start - timedelta(days=1)) and fact.holds_on(start)


def test_only_granted_authorizations_are_access(engine: Engine) -> None:
    for fact in engine.facts.values():
        if fact.kind is not Kind.AUTHORIZATION or fact.granted:
            continue
        for item in fact.substances:
            for day in (d for d in (fact.start, fact.valid_until) if d is not None):
                answer = engine.status(item, fact.jurisdiction, day)
                assert all(a.fact.iri != fact.iri for a in answer.access), fact.iri


def test_research_exemptions_count_only_on_their_days(engine: Engine) -> None:
    dated = [f for f in engine.facts.values() if f.kind is Kind.RESEARCH and f.valid_from]
    assert dated
    for fact in dated:
        item = fact.substances[0] if fact.substances else str(ID["substance/mdma"])
        start = fact.valid_from
        assert start is not None
        before = engine.status(item, fact.jurisdiction, start - timedelta(days=1))
        on = engine.status(item, fact.jurisdiction, start)
        assert fact.iri not in {a.fact.iri for a in before.research}
        assert fact.iri in {a.fact.iri for a in on.research}


def test_changes_never_read_a_pending_authorization_as_started(engine: Engine) -> None:
    events = engine.changes(date(1950, 1, 1), date(2030, 12, 31))
    pending = [e for e in events if e.fact.kind is Kind.AUTHORIZATION and not e.fact.granted]
    assert pending
    for event in pending:
        assert event.change != "started" and event.change != "replaced", event.fact.iri


def test_a_record_that_replaces_another_is_one_change(engine: Engine) -> None:
    events = engine.changes(date(2023, 7, 1), date(2023, 7, 1), ID["substance/mdma"])
    australia = [e for e in events if e.place.code == "AUS" and e.fact.kind is Kind.STATUS]
    assert len(australia) == 1
    (change,) = australia
    assert change.change == "replaced" and change.replaces is not None
    assert change.replaces.valid_until == date(2023, 7, 1)


def test_wording_has_no_doubled_or_empty_phrases(engine: Engine) -> None:
    texts = [e.summary for e in engine.changes(date(1950, 1, 1), date(2030, 12, 31))]
    texts += [f.access_text() for f in engine.facts.values() if f.kind is Kind.AUTHORIZATION]
    for text in texts:
        low = text.lower()
        assert "for none required" not in low and "refused (refused)" not in low, text


def test_the_level_comes_from_the_schedule_when_the_record_states_none(engine: Engine) -> None:
    found = 0
    for fact in engine.facts.values():
        if fact.kind is not Kind.STATUS:
            continue
        level = engine.level(fact)
        if fact.control_level is not None and fact.control_level.rank is not None:
            assert level is not None and level.concept == fact.control_level
        elif fact.level_from_schedule is not None and fact.level_from_schedule.rank:
            assert level is not None and level.from_schedule
            found += 1
    unranked = str(LG.ControlledLevelNotStated)
    assert found or not any(f.control_level and f.control_level.iri == unranked
                            and f.level_from_schedule and f.level_from_schedule.rank
                            for f in engine.facts.values())


def test_sources_are_best_first(engine: Engine) -> None:
    for fact in engine.facts.values():
        assert list(fact.sources) == sorted(fact.sources, key=lambda s: s.order())


def test_a_curated_record_without_a_level_names_the_floor_under_it(engine: Engine) -> None:
    today = date(2026, 12, 4)
    named = 0
    for item in engine.items:
        for place in engine.countries():
            answer = engine.status(item, place.iri, today, inherit=False)
            record = answer.record
            ranked = record is not None and (level := engine.level(record)) is not None \
                and level.rank is not None
            floors = [f for f in engine.records(item, place.iri, [Kind.STATUS])
                      if f.derived and f.holds_on(today)
                      and (lv := engine.level(f)) is not None and lv.rank is not None]
            if record is None or record.derived or ranked or not floors:
                assert answer.floor is None, (item, place.code)
                continue
            named += 1
            assert answer.floor in floors, (item, place.code)
            assert answer.level == engine.level(record)  # the level stays the record's own
            floor_level = engine.level(answer.floor)
            assert floor_level is not None
            assert answer.why.endswith(f"so at least {floor_level.concept.label.lower()}")
    assert named > 0


def test_an_unknown_day_before_the_records_says_when_they_start(engine: Engine) -> None:
    checked = 0
    for fact in engine.facts.values():
        if fact.kind is not Kind.STATUS or fact.derived or fact.start is None:
            continue
        day = fact.start - timedelta(days=1)
        answer = engine.status(fact.substances[0], fact.jurisdiction, day, inherit=False)
        curated = [f for f in answer.others if not f.derived]
        if answer.basis is not Basis.UNKNOWN or not curated:
            continue
        earliest = min(f.start for f in curated if f.start is not None)
        held = "the one on file holds from" if len(curated) == 1 else "the earliest from"
        assert f"{held} {long_date(earliest)}" in answer.why, answer.why
        checked += 1
    assert checked > 0
