"""The JSON-LD context of the data, served at ``/context.jsonld``, and the compact JSON-LD twins.

The context names every class and property of the ontology by its local name (``validFrom``,
``jurisdiction``, ``StatusAssertion``), with the datatype or ``@id`` its range gives, plus the
prefixes of :data:`~legalgraph.namespaces.PREFIXES`. A twin is compacted with it and refers to it
by URL, so it reads as plain JSON (``"validFrom": "2023-07-01"``) and stays linked data.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from flask import Blueprint, Response, url_for
from rdflib import OWL, RDF, RDFS, XSD, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from legalgraph.namespaces import LG, PREFIXES
from legalgraph.paths import ONTOLOGY_DIR, turtle_files

MEDIA_TYPE = "application/ld+json"
blueprint = Blueprint("jsonld", __name__)

#: Terms from other vocabularies that the data uses on almost every record.
_COMMON: dict[str, Any] = {
    "title": "dcterms:title",
    "publisher": "dcterms:publisher",
    "license": {"@id": "dcterms:license", "@type": "@id"},
    "source": {"@id": "dcterms:source", "@type": "@id"},
    "prefLabel": "skos:prefLabel",
    "altLabel": "skos:altLabel",
    "inScheme": {"@id": "skos:inScheme", "@type": "@id"},
    "label": "rdfs:label",
    "comment": "rdfs:comment",
    "wasDerivedFrom": {"@id": "prov:wasDerivedFrom", "@type": "@id"},
}
_USED = {"dcterms": str(DCTERMS), "skos": str(SKOS), "prov": str(PROV), "rdfs": str(RDFS)}


@cache
def context() -> dict[str, Any]:
    """The context: prefixes, then one term per class and property of the ontology."""
    ontology = Graph()
    for path in turtle_files(ONTOLOGY_DIR):
        ontology.parse(path, format="turtle")
    terms: dict[str, Any] = {**PREFIXES, **_USED}
    for subject in sorted(set(ontology.subjects(RDF.type, None)), key=str):
        if not isinstance(subject, URIRef) or not str(subject).startswith(str(LG)):
            continue
        name = str(subject)[len(str(LG)):]
        types = set(ontology.objects(subject, RDF.type))
        if OWL.Class in types:
            terms[name] = f"lg:{name}"
        elif OWL.ObjectProperty in types:
            terms[name] = {"@id": f"lg:{name}", "@type": "@id"}
        elif OWL.DatatypeProperty in types:
            ranges = {r for r in ontology.objects(subject, RDFS.range) if str(r).startswith(
                str(XSD))}
            if len(ranges) == 1 and next(iter(ranges)) != XSD.string:
                terms[name] = {"@id": f"lg:{name}", "@type": "xsd:" + str(ranges.pop())[
                    len(str(XSD)):]}
            else:
                terms[name] = f"lg:{name}"
    for name, value in _COMMON.items():
        terms.setdefault(name, value)
    return {"@context": terms}


def serialize(graph: Graph) -> str:
    """``graph`` as compact JSON-LD whose ``@context`` is the URL of :func:`context`."""
    compact = json.loads(graph.serialize(format="json-ld", context=context()["@context"],
                                         auto_compact=True))
    compact["@context"] = url_for("jsonld.context_document", _external=True)
    return json.dumps(compact, indent=2, ensure_ascii=False)


@blueprint.get("/context.jsonld")
def context_document() -> Response:
    """The context as a document of its own, the same for every page and version."""
    body = json.dumps(context(), indent=2, ensure_ascii=False, sort_keys=True)
    response = Response(body, mimetype=MEDIA_TYPE)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
