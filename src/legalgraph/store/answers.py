"""Serialized answers for the SPARQL endpoint: bytes in a negotiated media type, cut at a row
cap, written from the engine's own terms (no conversion to rdflib terms)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from legalgraph.errors import InputError, QueryError
from legalgraph.namespaces import PREFIXES
from legalgraph.store.terms import XSD_STRING, ResultKind

if TYPE_CHECKING:
    from legalgraph.store.graph import Store


GRAPH_MEDIA_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
"""The media types of CONSTRUCT and DESCRIBE answers, in the order the endpoint prefers them."""


@dataclass(frozen=True)
class Answer:
    """A serialized answer: ``body`` in ``media_type`` (empty when the kind's media type was
    not acceptable), ``size`` rows or triples, ``truncated`` when the row cap cut it."""

    kind: ResultKind
    body: bytes
    media_type: str
    size: int
    truncated: bool


def _plain(term: object) -> tuple[str, str, str, str]:
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value, "", "")
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value, "", "")
    if isinstance(term, ox.Literal):
        if term.language:
            return ("literal", term.value, term.language, "")
        datatype = term.datatype.value
        return ("literal", term.value, "", "" if datatype == XSD_STRING else datatype)
    raise QueryError(f"unsupported term in result: {term!r}")


def answer(
    store: Store,
    sparql: str,
    *,
    tabular: str | None,
    graph: str | None,
    row_cap: int,
    whole_default_graph: bool = False,
    base_iri: str | None = None,
) -> Answer:
    """Run ``sparql`` on ``store`` and serialize the answer.

    ``tabular`` is the media type for SELECT and ASK (see :data:`legalgraph.results.MEDIA_TYPES`),
    ``graph`` the one for CONSTRUCT and DESCRIBE (see :data:`GRAPH_MEDIA_TYPES`); ``None`` means
    that kind is not acceptable, and the answer comes back with an empty body and media type.
    ``whole_default_graph`` makes the store's default graph the query's default graph even when
    the query names a FROM graph (the endpoint maps its own dataset IRI to the whole graph).
    ``base_iri`` resolves the query's relative IRIs when it declares no BASE of its own.
    """
    from legalgraph import results

    # either engine (embedded, or RemoteEngine for a server) answers in the engine's shapes
    engine = store._engine
    raw: object
    try:
        raw = engine.query(
            sparql,
            prefixes=PREFIXES,
            default_graph=ox.DefaultGraph() if whole_default_graph else None,
            base_iri=base_iri,
        )
    except SyntaxError as error:
        raise InputError(message=str(error), where="query") from None
    except (OSError, RuntimeError) as error:
        raise QueryError(str(error)) from None
    if isinstance(raw, bool | ox.QueryBoolean):
        body = results.write_ask(tabular, bool(raw)) if tabular else b""
        return Answer("ask", body, tabular or "", 1, False)
    if isinstance(raw, ox.QuerySolutions):
        variables = [v.value for v in raw.variables]
        rows: list[list[tuple[str, str, str, str] | None]] = []
        truncated = False
        for solution in raw:
            if len(rows) == row_cap:
                truncated = True
                break
            rows.append([None if (t := solution[i]) is None else _plain(t)
                         for i in range(len(variables))])
        if not tabular:
            return Answer("select", b"", "", len(rows), truncated)
        warning = f"result cut at the row cap of {row_cap} rows" if truncated else ""
        body = results.write_select(tabular, variables, rows, warning)
        return Answer("select", body, tabular, len(rows), truncated)
    triples: list[ox.Triple] = []
    truncated = False
    for triple in raw:
        if len(triples) == row_cap:
            truncated = True
            break
        triples.append(triple)
    if not graph:
        return Answer("graph", b"", "", len(triples), truncated)
    data = ox.serialize(triples, format=GRAPH_MEDIA_TYPES[graph], prefixes=PREFIXES)
    return Answer("graph", data if isinstance(data, bytes) else b"", graph, len(triples),
                  truncated)
