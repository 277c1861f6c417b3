"""The namespaces of the graph, in one place."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

LG = Namespace("https://w3id.org/legalgraph/ontology#")
ID = Namespace("https://w3id.org/legalgraph/id/")
ONTOLOGY_IRI = "https://w3id.org/legalgraph/ontology"
DATASET_IRI = "https://w3id.org/legalgraph/id/dataset"

PREFIXES: dict[str, str] = {
    "lg": str(LG),
    "id": str(ID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "dcat": str(DCAT),
    "void": str(VOID),
    "schema": "https://schema.org/",
}

__all__ = ["DATASET_IRI", "ID", "LG", "ONTOLOGY_IRI", "PREFIXES"]
