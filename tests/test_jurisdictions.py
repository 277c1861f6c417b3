"""Checks of ``data/jurisdictions.ttl`` against pycountry and the UN 1971 participation CSV."""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pycountry
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "jurisdictions.ttl"
FIXTURE = ROOT / "tests" / "fixtures" / "reference" / "un1971_parties.csv"
LG = Namespace("https://w3id.org/legalgraph/ontology#")
ID = Namespace("https://w3id.org/legalgraph/id/")
STATUSES = {"party": LG.Party, "non-party": LG.NonParty, "signatory": LG.Signatory}
CONFIDENCE = {"high": LG.HighConfidence, "medium": LG.MediumConfidence, "low": LG.LowConfidence}


def fold(label: str) -> str:
    """Case- and accent-insensitive form of a label."""
    decomposed = unicodedata.normalize("NFKD", label.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph().parse(DATA, format="turtle")



@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with FIXTURE.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def jurisdiction(code: str) -> URIRef:
    return ID[f"jurisdiction/{code}"]


def test_countries_match_pycountry(graph: Graph) -> None:
    countries = set(graph.subjects(RDF.type, LG.Country))
    assert len(countries) == len(pycountry.countries) == 249
    assert countries == {jurisdiction(c.alpha_3) for c in pycountry.countries}
    for c in pycountry.countries:
        subject = jurisdiction(c.alpha_3)
        assert graph.value(subject, LG.iso3166Alpha2) == Literal(c.alpha_2)
        assert graph.value(subject, LG.iso3166Alpha3) == Literal(c.alpha_3)
        assert graph.value(subject, LG.iso3166Numeric) == Literal(c.numeric)
        assert len(str(graph.value(subject, LG.iso3166Numeric))) == 3
        labels = list(graph.objects(subject, SKOS.prefLabel))
        assert [label.language for label in labels] == ["en"], subject  # type: ignore[attr-defined]


def test_dependent_territories(graph: Graph) -> None:
    expected = {"PRI": "USA", "ABW": "NLD", "PYF": "FRA", "HKG": "CHN"}
    for territory, state in expected.items():
        subject = jurisdiction(territory)
        assert (subject, RDF.type, LG.DependentTerritory) in graph
        assert graph.value(subject, LG.sovereignState) == jurisdiction(state)
    for subject in graph.subjects(RDF.type, LG.DependentTerritory):
        assert (subject, RDF.type, LG.Country) in graph
        assert (graph.value(subject, LG.sovereignState), RDF.type, LG.Country) in graph
    # No claim on Taiwan's status; a homonym (Mali prefecture of Guinea) is no dependency.
    for plain in ("TWN", "MLI", "CAN"):
        assert (jurisdiction(plain), RDF.type, LG.DependentTerritory) not in graph
        assert graph.value(jurisdiction(plain), LG.sovereignState) is None


def test_holland_resolves_to_netherlands_only(graph: Graph) -> None:
    found = {
        s
        for p in (SKOS.prefLabel, SKOS.altLabel)
        for s, o in graph.subject_objects(p)
        if fold(str(o)) == "holland"
    }
    assert found == {jurisdiction("NLD")}
    assert not any(fold(str(o)) == "england" for o in graph.objects(None, SKOS.altLabel))


def test_no_alt_label_names_two_jurisdictions(graph: Graph) -> None:
    owners: dict[str, set[object]] = defaultdict(set)
    for subject, label in graph.subject_objects(SKOS.altLabel):
        owners[fold(str(label))].add(subject)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}
    for subject, label in graph.subject_objects(SKOS.prefLabel):
        assert owners.get(fold(str(label)), {subject}) <= {subject}, label


ENTRY_INTO_FORCE = date(1976, 8, 16)
CLEANED = {"https://es.wikipedia.org/wiki/Convenio_sobre_Sustancias_Sicotr%C3%B3picas?oldformat=true":
           "https://es.wikipedia.org/wiki/Convenio_sobre_Sustancias_Sicotr%C3%B3picas"}


def test_participation_rows(graph: Graph, rows: list[dict[str, str]]) -> None:
    assert len(rows) == len(set(graph.subjects(RDF.type, LG.TreatyParticipation))) == 195
    for row in rows:
        record = ID[f"participation/{row['iso3']}/un-1971"]
        subject = jurisdiction(row["iso3"])
        assert (subject, RDF.type, LG.Country) in graph, row
        assert (subject, LG.participation, record) in graph
        assert graph.value(record, LG.jurisdiction) == subject
        assert graph.value(record, LG.treaty) == ID["treaty/un-1971"]
        assert graph.value(record, LG.participationStatus) == STATUSES[row["status"]]
        deposit = graph.value(record, LG.depositDate)
        if row["date"]:
            assert deposit == Literal(row["date"], datatype=XSD.date), row
            assert graph.value(record, LG.dateKind) == Literal(row["date_kind"]), row
        else:
            assert deposit is None and graph.value(record, LG.dateKind) is None, row
        valid_from = graph.value(record, LG.validFrom)
        if row["status"] == "party":
            binds = max(date.fromisoformat(row["date"]) + timedelta(days=90), ENTRY_INTO_FORCE)
            assert valid_from == Literal(binds.isoformat(), datatype=XSD.date), row
        else:
            assert valid_from is None, row
        assert graph.value(record, LG.basis) == LG.Curated
        assert graph.value(record, LG.confidence) == CONFIDENCE[row["confidence"]], row
        sources = set(graph.objects(record, DCTERMS.source))
        urls = {str(graph.value(s, LG.url)) for s in sources}
        wanted = {CLEANED.get(u.strip(), u.strip()) for u in row["source_url"].split(" | ")}
        assert wanted <= urls, row
        assert len(urls - wanted) <= 2, row


def test_participation_dates_follow_article_26(graph: Graph) -> None:
    def binds(iso: str) -> Literal:
        value = graph.value(ID[f"participation/{iso}/un-1971"], LG.validFrom)
        assert isinstance(value, Literal)
        return value

    # Brazil ratified in 1973, before the entry into force; Switzerland's accession of
    # 1996-04-22 took effect on 1996-07-21, as its own compilation says.
    assert binds("BRA") == Literal("1976-08-16", datatype=XSD.date)
    assert binds("CHE") == Literal("1996-07-21", datatype=XSD.date)
    assert binds("AFG") == Literal("1985-08-19", datatype=XSD.date)


def test_no_inferred_party_and_no_shop_blog_at_high_confidence(graph: Graph) -> None:
    for record in graph.subjects(RDF.type, LG.TreatyParticipation):
        texts = [str(o) for o in graph.objects(record, None) if isinstance(o, Literal)]
        assert not any("DERIVED" in t or "inferred" in t.casefold() for t in texts), record
        if graph.value(record, LG.confidence) == LG.HighConfidence:
            for source in graph.objects(record, DCTERMS.source):
                url = str(graph.value(source, LG.url))
                assert "hscrew.ch" not in url and "gdrain" not in url, record


def test_sources_are_complete(graph: Graph) -> None:
    sources = set(graph.subjects(RDF.type, LG.Source))
    assert sources
    for source in sources:
        url = graph.value(source, LG.url)
        assert isinstance(url, URIRef)
        assert graph.value(source, DCTERMS.title) is not None
        assert graph.value(source, LG.asOf).datatype == XSD.date  # type: ignore[union-attr]
        assert graph.value(source, LG.accessed).datatype == XSD.date  # type: ignore[union-attr]


def test_subdivisions_and_cities(graph: Graph) -> None:
    subdivisions = set(graph.subjects(RDF.type, LG.Subdivision))
    assert jurisdiction("US-OR") in subdivisions and jurisdiction("AU-ACT") in subdivisions
    for subject in subdivisions:
        assert (graph.value(subject, LG.partOf), RDF.type, LG.Country) in graph, subject
        code = str(graph.value(subject, LG.iso3166_2))
        assert subject == jurisdiction(code)
        assert pycountry.subdivisions.get(code=code) is not None
        assert graph.value(subject, SKOS.prefLabel) is not None
    cities = set(graph.subjects(RDF.type, LG.City))
    assert jurisdiction("US-CO/denver") in cities and len(cities) == 4
    for subject in cities:
        assert (graph.value(subject, LG.partOf), RDF.type, LG.Subdivision) in graph, subject
    ca_alts = {str(o) for o in graph.objects(jurisdiction("US-CA"), SKOS.altLabel)}
    assert "CA" not in ca_alts


def test_supranational_bodies(graph: Graph) -> None:
    for code in ("EU", "UN"):
        assert (jurisdiction(code), RDF.type, LG.SupranationalBody) in graph
    who = {fold(str(o)) for o in graph.objects(jurisdiction("UN"), SKOS.altLabel)}
    assert "who" not in who


def test_only_declared_terms(graph: Graph) -> None:
    ontology = Graph().parse(ROOT / "ontology" / "legalgraph.ttl", format="turtle")
    declared = set(ontology.subjects())
    used = {p for p in graph.predicates() if str(p).startswith(str(LG))}
    used |= {o for o in graph.objects() if isinstance(o, URIRef) and str(o).startswith(str(LG))}
    assert used - declared == set()
