"""Reading the search box: synonyms are named, clear misspellings are corrected, and close calls
(Niger or Nigeria, Holland or Poland) are offered, never decided."""

from __future__ import annotations

import pytest

from legalgraph import search
from legalgraph.resolve import Resolver, UnknownName
from legalgraph.store import Store

SUBSTANCE = "https://w3id.org/legalgraph/id/substance/"
PLACE = "https://w3id.org/legalgraph/id/jurisdiction/"


@pytest.fixture(scope="module")
def resolver(store: Store) -> Resolver:
    return Resolver(store)


@pytest.mark.parametrize(("text", "substance", "place", "typed"), [
    ("extasy australia", "mdma", "AUS", "extasy"),
    ("extasy", "mdma", None, "extasy"),
    ("psilocibin in australia", "psilocybin", "AUS", "psilocibin"),
    ("mdma Austrailia", "mdma", "AUS", "austrailia"),
    ("psilocybin new zeland", "psilocybin", "NZL", "new zeland"),
    ("is molli legal in swtizerland", "mdma", "CHE", "molli"),
])
def test_a_clear_misspelling_is_read_as_the_name_it_is_close_to(
    resolver: Resolver, text: str, substance: str, place: str | None, typed: str
) -> None:
    parsed = search.parse(resolver, text)
    assert parsed.substance is not None and str(parsed.substance.iri) == SUBSTANCE + substance
    if place:
        assert parsed.place is not None and str(parsed.place.iri) == PLACE + place
    assert parsed.leftover == [] and parsed.suggestions == []
    spelled = [r for r in parsed.readings if r.how == "spelling"]
    assert typed in {r.typed for r in spelled}


@pytest.mark.parametrize(("text", "names"), [
    ("mdma nigr", {"Niger", "Nigeria"}),
    ("mdma nigerr", {"Niger", "Nigeria"}),
    ("mdma holand", {"Netherlands", "Poland"}),
])
def test_a_misspelling_close_to_two_names_is_offered_not_decided(
    resolver: Resolver, text: str, names: set[str]
) -> None:
    parsed = search.parse(resolver, text)
    assert parsed.place is None
    assert names <= {m.label for m in parsed.suggestions}


def test_a_synonym_is_reported_as_a_synonym(resolver: Resolver) -> None:
    parsed = search.parse(resolver, "is ecstasy legal in holland")
    assert str(parsed.substance.iri if parsed.substance else "") == SUBSTANCE + "mdma"
    assert str(parsed.place.iri if parsed.place else "") == PLACE + "NLD"
    said = {(r.typed, r.kind, r.how) for r in parsed.readings}
    assert said == {("ecstasy", "substance", "synonym"), ("holland", "place", "synonym")}
    plain = search.parse(resolver, "MDMA Australia")
    assert plain.readings == []


def test_codes_and_unknown_words_are_not_guessed_at(resolver: Resolver) -> None:
    assert search.parse(resolver, "mdma atlantis").place is None
    assert search.parse(resolver, "mdma xyz").place is None  # three letters: a code or nothing


def test_the_exact_resolver_still_refuses_a_misspelling_with_suggestions(
    resolver: Resolver,
) -> None:
    with pytest.raises(UnknownName) as raised:
        resolver.place("Nigerr")
    assert {"Niger", "Nigeria"} <= set(raised.value.candidates)


def test_typeahead_offers_the_closest_names_when_nothing_starts_with_the_text(
    resolver: Resolver,
) -> None:
    offered = search.complete(resolver, "austrailia")
    assert offered[0]["label"] == "Australia"
    assert search.complete(resolver, "psilocibin")[0]["label"] == "psilocybin"
    assert search.complete(resolver, "zzzzqq") == []
    # a prefix still wins over a guess: "austral" offers what starts with it, closest first
    assert search.complete(resolver, "austral")[0]["label"] == "Australia"
