"""Checks of ``data/neighbours.ttl`` (land borders) against GeoNames, and of the neighbours the
answer engine reads from it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from legalgraph import paths
from legalgraph.engine import engine_for
from legalgraph.namespaces import ID, LG
from legalgraph.store import Store

DATA = paths.DATA_DIR / "neighbours.ttl"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "reference" / "geonames_neighbours.tsv"
GEONAMES = "https://download.geonames.org/export/dump/countryInfo.txt"
PLACE = str(ID) + "jurisdiction/"


@pytest.fixture(scope="module")
def graph() -> Graph:
    graph = Graph().parse(DATA, format="turtle")
    graph.parse(paths.DATA_DIR / "jurisdictions.ttl", format="turtle")
    return graph


@pytest.fixture(scope="module")
def borders(graph: Graph) -> dict[URIRef, list[URIRef]]:
    found = {b: sorted(graph.objects(b, LG.between))  # type: ignore[type-var]
             for b in graph.subjects(RDF.type, LG.LandBorder)}
    return {b: [URIRef(str(p)) for p in places] for b, places in found.items()
            if isinstance(b, URIRef)}


def geonames_pairs() -> set[frozenset[str]]:
    """The GeoNames neighbour pairs, as alpha-3 codes (XK, CS and AN have none)."""
    with FIXTURE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader((line for line in handle if not line.startswith("#")),
                                   delimiter="\t"))
    alpha3 = {row["ISO"]: row["ISO3"] for row in rows}
    return {frozenset((alpha3[row["ISO"]], alpha3[other]))
            for row in rows for other in row["neighbours"].split(",")
            if other and other in alpha3}


def test_every_border_is_between_two_different_declared_countries(
    graph: Graph, borders: dict[URIRef, list[URIRef]]
) -> None:
    assert len(borders) > 300
    for border, places in borders.items():
        assert len(set(places)) == 2, border
        for place in places:
            assert (place, RDF.type, LG.Country) in graph, f"{border}: {place} is not declared"


def test_each_pair_once_named_by_its_two_codes_in_order(
    borders: dict[URIRef, list[URIRef]]
) -> None:
    pairs = [frozenset(borders[b]) for b in borders]
    assert len(pairs) == len(set(pairs))
    for border, places in borders.items():
        codes = sorted(str(p).removeprefix(PLACE) for p in places)
        assert str(border) == f"{ID}border/{codes[0]}-{codes[1]}"


def test_every_border_cites_a_source_with_url_title_and_as_of_date(
    graph: Graph, borders: dict[URIRef, list[URIRef]]
) -> None:
    for border in borders:
        sources = list(graph.objects(border, DCTERMS.source))
        assert sources, f"{border} cites no source"
        for source in sources:
            assert (source, RDF.type, LG.Source) in graph
            assert graph.value(source, LG.url) is not None
            assert graph.value(source, DCTERMS.title) is not None
            assert graph.value(source, LG.asOf) is not None


def test_borders_citing_geonames_are_the_pairs_geonames_lists(
    graph: Graph, borders: dict[URIRef, list[URIRef]]
) -> None:
    listed = geonames_pairs()
    cited = {frozenset(str(p).removeprefix(PLACE) for p in borders[b]) for b in borders
             if any(graph.value(s, LG.url) == URIRef(GEONAMES)
                    for s in graph.objects(b, DCTERMS.source))}
    assert cited - listed == set(), "a border cites GeoNames, which does not list it"
    declared = {str(c).removeprefix(PLACE) for c in graph.subjects(RDF.type, LG.Country)}
    assert {p for p in listed if p <= declared} - cited == set()


def test_the_engine_reads_the_borders_symmetrically(store: Store) -> None:
    engine = engine_for(store)
    directed = {(place.iri, other.iri) for place in engine.countries()
                for other in engine.neighbours(place.iri)}
    assert directed
    assert {(b, a) for a, b in directed} == directed
    expected = {frozenset(pair) for pair in geonames_pairs()}
    read = {frozenset(p.removeprefix(PLACE) for p in pair) for pair in directed}
    assert read == {p for p in expected if all(PLACE + c in engine.places for c in p)}


def test_a_place_without_borders_has_no_neighbours(store: Store) -> None:
    engine = engine_for(store)
    listed = {code for pair in geonames_pairs() for code in pair}
    islands = [p for p in engine.countries() if p.code not in listed]
    assert islands
    assert all(engine.neighbours(p.iri) == [] for p in islands)
