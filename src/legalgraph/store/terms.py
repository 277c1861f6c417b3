"""Results and terms: what a query answers, as rdflib terms, and the conversions between
rdflib and Oxigraph terms."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from legalgraph.errors import InputError, QueryError

Term = URIRef | Literal | BNode
ResultKind = TypingLiteral["select", "ask", "graph"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

SERIALIZATIONS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
    "nq": ox.RdfFormat.N_QUADS,
}



VERSION_INFO = "http://www.w3.org/2002/07/owl#versionInfo"


@contextmanager
def engine_errors() -> Iterator[None]:
    """The engine's errors as ours: a query that does not parse is an :class:`InputError`,
    one the engine cannot answer a :class:`QueryError`."""
    try:
        yield
    except SyntaxError as error:
        raise InputError(message=str(error), where="query") from None
    except (OSError, RuntimeError) as error:
        raise QueryError(str(error)) from None


@dataclass
class QueryResult:
    """The answer to one query.

    ``kind`` says which fields are set: ``variables`` and ``rows`` for SELECT (a row maps each
    bound variable to its term), ``boolean`` for ASK, ``triples`` for CONSTRUCT and DESCRIBE.
    """

    kind: ResultKind
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Term]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)

    def values(self, variable: str) -> list[Term]:
        """The bound values of one variable, row by row."""
        return [row[variable] for row in self.rows if variable in row]

    def python_rows(self) -> list[dict[str, object]]:
        """Rows with literals turned into Python values and IRIs into strings."""
        return [{k: to_python(v) for k, v in row.items()} for row in self.rows]


def to_python(term: Node) -> object:
    """A term as a plain Python value: IRIs as strings, literals as their value."""
    if isinstance(term, Literal):
        value = term.toPython()
        return value if not isinstance(value, Literal) else str(value)
    return str(term)


def to_rdflib(term: object) -> Term:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise QueryError(f"unsupported term in result: {term!r}")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as an Oxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) not in (XSD_STRING, LANG_STRING):
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError(f"cannot bind {term!r}")



def convert(raw: object) -> QueryResult:
    if isinstance(raw, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(raw))
    if isinstance(raw, ox.QuerySolutions):
        variables = [v.value for v in raw.variables]
        rows: list[dict[str, Term]] = []
        for solution in raw:
            row: dict[str, Term] = {}
            for name in variables:
                value = solution[name]
                if value is not None:
                    row[name] = to_rdflib(value)
            rows.append(row)
        return QueryResult(kind="select", variables=variables, rows=rows)
    if isinstance(raw, ox.QueryTriples):
        triples = [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
                   for t in raw]
        return QueryResult(kind="graph", triples=triples)
    raise QueryError(f"unexpected query result {type(raw).__name__}")


