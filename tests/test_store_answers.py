"""Endpoint answers written by the engine (SELECT in JSON) are the bytes the project's own
writers (:mod:`legalgraph.results`) make of the same rows, cut at the row cap or not."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from legalgraph import results
from legalgraph.results import PlainTerm
from legalgraph.store import Store, Term

QUERIES = [
    'SELECT ?a ?b WHERE { VALUES (?a ?b) { ("x\\ny\\t\\"z,\\\\"@en UNDEF)'
    ' (<http://example.org/a> 1) ("2020-01-01"^^xsd:date "") ("é ü 😀" "a\\rb") } }',
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) } "
    "ORDER BY ?s ?p ?o LIMIT 300",
    "SELECT ?x WHERE { FILTER(false) }",
]


def plain(term: Term) -> PlainTerm:
    if isinstance(term, URIRef):
        return ("uri", str(term), "", "")
    if isinstance(term, BNode):
        return ("bnode", str(term), "", "")
    assert isinstance(term, Literal)
    datatype = "" if term.datatype in (None, XSD.string) or term.language else str(term.datatype)
    return ("literal", str(term), term.language or "", datatype)


@pytest.mark.parametrize("query", QUERIES)
def test_the_engine_writes_what_our_writers_write(store: Store, query: str) -> None:
    media_type = results.JSON
    written = store.answer(query, tabular=media_type, graph=None, row_cap=10000)
    found = store.query(query)
    rows = [[plain(row[v]) if v in row else None for v in found.variables] for row in found.rows]
    assert written.size == len(rows) and not written.truncated
    assert written.body == results.write_select(media_type, found.variables, rows)


@pytest.mark.parametrize("media_type", [results.JSON, results.TSV])
def test_a_cut_answer_is_the_first_rows_written_by_our_writers(store: Store,
                                                               media_type: str) -> None:
    query = QUERIES[1]  # the engine writes the JSON, our writers the TSV: the same cut
    written = store.answer(query, tabular=media_type, graph=None, row_cap=25)
    found = store.query(query)
    rows = [[plain(row[v]) if v in row else None for v in found.variables]
            for row in found.rows[:25]]
    assert written.size == 25 and written.truncated
    warning = "result cut at the row cap of 25 rows" if media_type == results.JSON else ""
    assert written.body == results.write_select(media_type, found.variables, rows, warning)
