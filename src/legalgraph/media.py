"""Every media type the endpoint, the downloads and the exports speak, in one registry.

Each :class:`MediaType` says what it carries (``tabular``: SELECT and ASK answers; ``graph``:
RDF, for CONSTRUCT and DESCRIBE answers, descriptions and dumps), its short names for the
``format`` parameter, its file extension (the key of :meth:`legalgraph.store.Store.export`),
its rdflib serializer, its name in the W3C formats vocabulary and whether it is text. The
engine's own format for each is the store's business (:mod:`legalgraph.store`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["tabular", "graph"]


@dataclass(frozen=True)
class MediaType:
    """One media type and what the code needs to know of it."""

    name: str
    kind: Kind
    title: str
    extension: str
    """File extension, also the export format name (``ttl``, ``nt``, ...)."""
    w3c_format: str
    """Local name in http://www.w3.org/ns/formats/ (for the service description)."""
    rdflib: str = ""
    """rdflib's serializer name (graph media types only)."""

    @property
    def text(self) -> bool:
        """Whether the bytes are text, sent with ``charset=utf-8``."""
        return self.name.startswith("text/") or self.name == "application/n-triples"

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header value."""
        return f"{self.name}; charset=utf-8" if self.text else self.name


SPARQL_JSON = MediaType("application/sparql-results+json", "tabular", "SPARQL results in JSON",
                        "srj", "SPARQL_Results_JSON")
SPARQL_XML = MediaType("application/sparql-results+xml", "tabular", "SPARQL results in XML",
                       "srx", "SPARQL_Results_XML")
SPARQL_CSV = MediaType("text/csv", "tabular", "SPARQL results in CSV", "csv",
                       "SPARQL_Results_CSV")
SPARQL_TSV = MediaType("text/tab-separated-values", "tabular", "SPARQL results in TSV", "tsv",
                       "SPARQL_Results_TSV")
TURTLE = MediaType("text/turtle", "graph", "Turtle", "ttl", "Turtle", "turtle")
N_TRIPLES = MediaType("application/n-triples", "graph", "N-Triples", "nt", "N-Triples", "nt")
JSON_LD = MediaType("application/ld+json", "graph", "JSON-LD", "jsonld", "JSON-LD", "json-ld")
RDF_XML = MediaType("application/rdf+xml", "graph", "RDF/XML", "xml", "RDF_XML", "xml")

TABULAR: tuple[MediaType, ...] = (SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV)
"""SELECT and ASK answers, in the order the endpoint prefers them."""
GRAPH: tuple[MediaType, ...] = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)
"""RDF, in the order the endpoint prefers it."""
BY_NAME: dict[str, MediaType] = {m.name: m for m in (*TABULAR, *GRAPH)}

ALIASES: dict[str, tuple[str, ...]] = {
    "application/json": (SPARQL_JSON.name, JSON_LD.name),
    "application/xml": (SPARQL_XML.name, RDF_XML.name),
    "text/xml": (SPARQL_XML.name, RDF_XML.name),
    "text/plain": (N_TRIPLES.name,),
    "application/x-turtle": (TURTLE.name,),
}
"""Common media types clients send that stand for one of ours."""

FORMAT_NAMES: dict[str, tuple[str | None, str | None]] = {
    "json": (SPARQL_JSON.name, JSON_LD.name),
    "xml": (SPARQL_XML.name, RDF_XML.name),
    "csv": (SPARQL_CSV.name, None),
    "tsv": (SPARQL_TSV.name, None),
    "ttl": (None, TURTLE.name),
    "turtle": (None, TURTLE.name),
    "nt": (None, N_TRIPLES.name),
    "ntriples": (None, N_TRIPLES.name),
    "jsonld": (None, JSON_LD.name),
    "rdfxml": (None, RDF_XML.name),
}
"""Short names of the ``format`` parameter: (SELECT/ASK media type, CONSTRUCT/DESCRIBE one)."""


def content_type(name: str) -> str:
    """The ``Content-Type`` header value for the media type ``name`` (one of ours or not)."""
    found = BY_NAME.get(name)
    return found.content_type if found else name
