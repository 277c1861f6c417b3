"""The imported reference data, checked against the fixture CSVs (not against its own values).

The data files are built by tools/import_reference.py; these tests read only data/*.ttl and the
copies of the reference CSVs in tests/fixtures/reference.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from datetime import date
from itertools import pairwise
from pathlib import Path
from urllib.parse import unquote

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "reference"
LG = Namespace("https://w3id.org/legalgraph/ontology#")
ID = "https://w3id.org/legalgraph/id/"
RECORD_FILES = [
    "mdma_status.csv",
    "psychedelics_status.csv",
    "psilocybin_mushrooms_status.csv",
    "south_regions_status.csv",
    "east_regions_status.csv",
    "research_exemptions.csv",
    "therapeutic_approvals.csv",
    "mdma_trials.csv",
]


@pytest.fixture(scope="module")
def graph() -> Graph:
    """All of data/ (including jurisdictions.ttl when present)."""
    g = Graph()
    files = sorted((ROOT / "data").glob("*.ttl")) + sorted((ROOT / "data").glob("records/*.ttl"))
    assert files, "no data files"
    for path in files:
        g.parse(path, format="turtle")
    return g


def first_url(field: str) -> str:
    """The first URL of a source_url field, compared in a normal form."""
    first = field.split(" | ")[0].strip().split()[0]
    first = re.sub(r"^(https?:)///", r"\1//", first)  # the reference has one "https:///"
    return unquote(first)


def cited_urls(graph: Graph) -> set[str]:
    """URLs of the sources cited by curated records."""
    urls = set()
    for record, _, source in graph.triples((None, DCTERMS.source, None)):
        if (record, LG.basis, LG.Curated) in graph:
            for url in graph.objects(source, LG.url):
                urls.add(unquote(str(url)))
    return urls


@pytest.mark.parametrize("name", RECORD_FILES)
def test_every_row_has_a_record_citing_its_first_source(graph: Graph, name: str) -> None:
    urls = cited_urls(graph)
    with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    missing = [
        (n, first_url(r["source_url"]))
        for n, r in enumerate(rows, start=2)
        if first_url(r["source_url"]) not in urls
    ]
    assert not missing, f"{name}: rows without a record citing their first source: {missing}"


def test_every_source_has_url_title_and_as_of(graph: Graph) -> None:
    sources = set(graph.subjects(RDF.type, LG.Source))
    assert len(sources) > 100
    for source in sources:
        urls = list(graph.objects(source, LG.url))
        assert len(urls) == 1 and isinstance(urls[0], URIRef), source
        assert len(list(graph.objects(source, DCTERMS.title))) == 1, source
        as_of = list(graph.objects(source, LG.asOf))
        assert len(as_of) == 1 and isinstance(as_of[0].toPython(), date), source


def _spans(graph: Graph) -> dict[tuple[str, str], list[tuple[date, date, URIRef]]]:
    spans: dict[tuple[str, str], list[tuple[date, date, URIRef]]] = defaultdict(list)
    for record in graph.subjects(RDF.type, LG.StatusAssertion):
        if (record, LG.basis, LG.Curated) not in graph:
            continue
        substance = graph.value(record, LG.substance)
        jurisdiction = graph.value(record, LG.jurisdiction)
        start = graph.value(record, LG.validFrom)
        end = graph.value(record, LG.validUntil)
        spans[(str(substance), str(jurisdiction))].append(
            (
                start.toPython() if start is not None else date.min,
                end.toPython() if end is not None else date.max,
                record,
            )
        )
    return spans


def test_curated_status_assertions_never_overlap(graph: Graph) -> None:
    spans = _spans(graph)
    assert spans
    for key, items in spans.items():
        items.sort()
        for (_, end, first), (start, _, second) in pairwise(items):
            assert start >= end, f"{key}: {first} overlaps {second}"


def _status_on(graph: Graph, substance: str, jurisdiction: str, day: date) -> list[URIRef]:
    spans = _spans(graph)[(ID + f"substance/{substance}", ID + f"jurisdiction/{jurisdiction}")]
    return [record for start, end, record in spans if start <= day < end]


@pytest.mark.parametrize(
    ("substance", "indication"),
    [("mdma", "PTSD"), ("psilocybin", "treatment-resistant depression")],
)
def test_australia_rescheduling_on_2023_07_01(
    graph: Graph, substance: str, indication: str
) -> None:
    before = _status_on(graph, substance, "AUS", date(2023, 6, 30))
    after = _status_on(graph, substance, "AUS", date(2023, 7, 1))
    assert len(before) == 1 and len(after) == 1
    assert graph.value(before[0], LG.controlLevel) == LG.ProhibitedExceptResearch
    assert graph.value(after[0], LG.controlLevel) == LG.StrictMedicalControl
    authorizations = [
        a
        for a in graph.subjects(LG.substance, URIRef(ID + f"substance/{substance}"))
        if (a, RDF.type, LG.TherapeuticAuthorization) in graph
        and graph.value(a, LG.jurisdiction) == URIRef(ID + "jurisdiction/AUS")
        and graph.value(a, LG.accessType) == LG.AuthorisedPrescriber
    ]
    assert len(authorizations) == 1
    auth = authorizations[0]
    assert str(graph.value(auth, LG.indication)) == indication
    assert graph.value(auth, LG.validFrom).toPython() == date(2023, 7, 1)
    assert (auth, LG.authority, URIRef(ID + "authority/tga")) in graph
    assert graph.value(auth, LG.authorizationStatus) == LG.Granted


def test_fda_refused_midomafetamine(graph: Graph) -> None:
    refusals = [
        a
        for a in graph.subjects(LG.accessType, LG.RefusedAccess)
        if graph.value(a, LG.substance) == URIRef(ID + "substance/mdma")
        and graph.value(a, LG.jurisdiction) == URIRef(ID + "jurisdiction/USA")
    ]
    assert len(refusals) == 1
    refusal = refusals[0]
    assert graph.value(refusal, LG.authorizationStatus) == LG.Refused
    assert graph.value(refusal, LG.validFrom).toPython() == date(2024, 8, 9)
    assert (refusal, LG.authority, URIRef(ID + "authority/fda")) in graph
    assert str(graph.value(refusal, LG.indication)) == "PTSD"


def test_unverified_claims_are_not_records(graph: Graph) -> None:
    with (FIXTURES / "unverified_claims.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    claims = set(graph.subjects(RDF.type, LG.UnverifiedClaim))
    assert len(claims) == len(rows)
    for claim in claims:
        assert graph.value(claim, LG.basis) is None
