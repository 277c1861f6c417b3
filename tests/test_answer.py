"""The plain-language answer and the free-text parser, without the web layer.

Expected facts come from the reference rows in ``tests/fixtures/reference``.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from legalgraph import answer, lookup, search
from legalgraph.engine import Basis, engine_for
from legalgraph.namespaces import LG
from legalgraph.resolve import Resolver
from legalgraph.store import Store

REFERENCE = Path(__file__).resolve().parent / "fixtures" / "reference"


@pytest.fixture(scope="module")
def resolver(store: Store) -> Resolver:
    return Resolver(store)


def mdma_row(code: str) -> dict[str, str]:
    with (REFERENCE / "mdma_status.csv").open(newline="", encoding="utf-8") as handle:
        return next(r for r in csv.DictReader(handle) if r["iso_code"] == code)


def test_the_australian_answer_changes_on_the_reference_date(
    store: Store, resolver: Resolver
) -> None:
    change = date.fromisoformat(mdma_row("AUS")["effective_from"])
    mdma, australia = resolver.substance("ecstasy"), resolver.place("Australia")
    today = change + timedelta(days=400)
    before = answer.sentence(lookup.status_report(store, mdma, australia,
                                                  change - timedelta(days=1)), today=today)
    on = answer.sentence(lookup.status_report(store, mdma, australia, change), today=today)
    now = answer.sentence(lookup.status_report(store, mdma, australia, today), today=today)
    assert before.startswith("MDMA was prohibited in Australia except for research")
    assert "it could not be prescribed" in before
    # the Schedule 9 record has no start date: it holds since at least its sources' as-of date
    assert "since at least" in before
    assert on.startswith("MDMA was prohibited in Australia")
    assert f"except that since {answer.long_date(change)} prescribers authorised by the " in on
    assert now.startswith("MDMA is prohibited in Australia")
    assert "except that since 1 July 2023" in now
    assert now.endswith("may prescribe it for PTSD.")


def test_a_treaty_party_without_a_source_gets_the_derived_floor(
    store: Store, resolver: Resolver
) -> None:
    with (REFERENCE / "un1971_parties.csv").open(newline="", encoding="utf-8") as handle:
        angola = next(r for r in csv.DictReader(handle) if r["iso3"] == "AGO")
    assert angola["status"] == "party"
    report = lookup.status_report(store, resolver.substance("mdma"), resolver.place("AGO"),
                                  date(2026, 1, 1))
    assert report.status is not None and report.status.derived
    text = answer.sentence(report, today=date(2026, 1, 1))
    assert text.startswith("No national source for MDMA in Angola is recorded yet. As a party")


def test_the_brief_answer_says_level_basis_medical_use_and_exceptions_of_the_engine(
    store: Store,
) -> None:
    engine = engine_for(store)
    day, seen = date(2026, 12, 4), set()
    for item in engine.items:
        for place in engine.countries():
            found = engine.status(item, place.iri, day)
            text = answer.brief(found)
            seen.add(found.basis)
            if found.record is None:
                assert text == "no status on record"
                continue
            assert found.level is not None and text.startswith(found.level.concept.label)
            assert ("(derived from " in text) == (found.basis is Basis.DERIVED)
            assert ("exceptions apply" in text) == bool(found.exceptions)
            use = found.medical_use
            assert ("medical use: " in text) == (use is not None and use.iri not in (
                str(LG.MedicalUseNone), str(LG.MedicalUseResearchOnly)))
    assert {Basis.CURATED, Basis.DERIVED, Basis.UNKNOWN} <= seen


@pytest.mark.parametrize(("name", "expected"), [
    ("Netherlands", "the Netherlands"), ("United States", "the United States"),
    ("Australian Capital Territory", "the Australian Capital Territory"),
    ("Australia", "Australia"), ("Oregon", "Oregon"),
])
def test_place_names_read_as_in_a_sentence(name: str, expected: str) -> None:
    assert answer.place_name(name) == expected


@pytest.mark.parametrize(("text", "substance", "place"), [
    ("ecstasy netherlands", "mdma", "NLD"),
    ("MDMA Australia", "mdma", "AUS"),
    ("magic mushrooms Oregon", "psilocybin-mushrooms", "US-OR"),
    ("psilocybin NZ", "psilocybin", "NZL"),
    ("is ecstasy legal in the Netherlands", "mdma", "NLD"),
    ("Is LSD legal in the US?", "lsd", "USA"),
])
def test_free_text_finds_the_substance_and_the_place(
    resolver: Resolver, text: str, substance: str, place: str
) -> None:
    parsed = search.parse(resolver, text)
    assert parsed.substance is not None and parsed.place is not None, parsed
    assert str(parsed.substance.iri).endswith("/substance/" + substance)
    assert str(parsed.place.iri).endswith("/jurisdiction/" + place)
    assert parsed.leftover == [] and parsed.ambiguous == []


def test_small_words_are_not_taken_for_country_codes(resolver: Resolver) -> None:
    parsed = search.parse(resolver, "is it legal in")  # IS Iceland, IT Italy, IN India
    assert parsed.place is None and parsed.substance is None


def test_a_misspelt_place_gets_both_close_names(resolver: Resolver) -> None:
    parsed = search.parse(resolver, "mdma nigr")
    labels = {m.label for m in parsed.suggestions}
    assert {"Niger", "Nigeria"} <= labels
