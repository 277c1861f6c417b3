"""The ontology declares every term the data and shapes use, and documents each one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from legalgraph import paths
from legalgraph.namespaces import LG

ONTOLOGY = paths.ONTOLOGY_DIR / "legalgraph.ttl"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY)


def declared(ontology: Graph) -> set[URIRef]:
    return {s for s in ontology.subjects() if isinstance(s, URIRef) and s.startswith(str(LG))}


def used_terms(files: list[Path]) -> dict[URIRef, Path]:
    used: dict[URIRef, Path] = {}
    for path in files:
        graph = Graph().parse(path)
        for triple in graph:
            for term in triple:
                if isinstance(term, URIRef) and term.startswith(str(LG)) and term != URIRef(LG):
                    used.setdefault(term, path)
    return used


def test_every_lg_term_in_data_and_shapes_is_declared(ontology: Graph) -> None:
    files = paths.turtle_files(paths.DATA_DIR) + paths.turtle_files(paths.SHAPES_DIR)
    assert files, "no data or shapes found"
    undeclared = {
        str(term): str(path) for term, path in used_terms(files).items()
        if term not in declared(ontology)
    }
    assert undeclared == {}


def test_every_lg_term_in_queries_and_rules_is_declared(ontology: Graph) -> None:
    files = [*paths.QUERIES_DIR.glob("*.rq"), *paths.RULES_DIR.glob("*.rq")]
    texts = [p.read_text() for p in files]
    names = {m for text in texts for m in re.findall(r"\blg:([A-Za-z_][A-Za-z0-9_]*)", text)}
    missing = sorted(n for n in names if LG[n] not in declared(ontology))
    assert missing == []


def test_the_check_catches_an_undeclared_term(tmp_path: Path, ontology: Graph) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix lg: <https://w3id.org/legalgraph/ontology#> .\n"
        "<https://w3id.org/legalgraph/id/x> lg:noSuchTerm 1 .\n"
    )
    used = used_terms([bad])
    assert LG.noSuchTerm in used and LG.noSuchTerm not in declared(ontology)


def test_every_class_and_property_has_label_comment_and_property_domain_range(
    ontology: Graph,
) -> None:
    problems = []
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    for kind in kinds:
        for term in ontology.subjects(RDF.type, kind):
            if not str(term).startswith(str(LG)):
                continue
            for needed in (RDFS.label, RDFS.comment):
                if ontology.value(term, needed) is None:
                    problems.append(f"{term} lacks {needed}")
            if kind != OWL.Class:
                if ontology.value(term, RDFS.range) is None:
                    problems.append(f"{term} lacks rdfs:range")
                if ontology.value(term, RDFS.domain) is None and term != LG.controlLevel:
                    problems.append(f"{term} lacks rdfs:domain")
    assert problems == []


def test_individuals_have_label_and_comment(ontology: Graph) -> None:
    problems = []
    for term in declared(ontology):
        kinds = set(ontology.objects(term, RDF.type))
        if kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}:
            continue
        for needed in (RDFS.label, RDFS.comment):
            if ontology.value(term, needed) is None:
                problems.append(f"{term} lacks {needed}")
    assert problems == []


def test_header_has_version_license_and_modified(ontology: Graph) -> None:
    header = URIRef("https://w3id.org/legalgraph/ontology")
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, OWL.versionInfo) is not None
    assert str(ontology.value(header, URIRef("http://purl.org/dc/terms/license"))) == (
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert ontology.value(header, URIRef("http://purl.org/dc/terms/modified")) is not None


def test_control_levels_are_ordered(ontology: Graph) -> None:
    ranks = {
        str(level).rsplit("#", 1)[-1]: int(rank)
        for level, rank in ontology.subject_objects(LG.rank)
        if (level, RDF.type, LG.ControlLevel) in ontology
    }
    assert ranks == {
        "ProhibitedExceptResearch": 1,
        "StrictMedicalControl": 2,
        "PrescriptionMedicine": 3,
        "NotControlled": 4,
    }
