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


def _values_query(rows: list[list[str | None]]) -> str:
    def cell(value: str | None) -> str:
        if value is None:
            return "UNDEF"
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    table = " ".join("(" + " ".join(cell(v) for v in row) + ")" for row in rows)
    return f"SELECT ?a ?b WHERE {{ VALUES (?a ?b) {{ {table} }} }}"


_PIECES = ['},{', '},{"', '},{",', '},{"}', '},{}', '"', "\\", "a", ":", "]", "[", ",", "{", "}"]


def _generated_tables(count: int) -> list[list[list[str | None]]]:
    """Tables of rows whose strings are made of the pieces of the JSON the engine writes
    (row breaks, quotes, escapes), some cells unbound and some rows empty."""
    import random

    chance = random.Random(20261204)
    tables = []
    for _ in range(count):
        rows: list[list[str | None]] = []
        for _ in range(chance.randint(0, 6)):
            rows.append([None if chance.random() < 0.25 else
                         "".join(chance.choice(_PIECES) for _ in range(chance.randint(0, 5)))
                         for _ in range(2)])
        tables.append(rows)
    return tables


@pytest.mark.parametrize("rows", _generated_tables(300))
def test_the_size_of_an_answer_counted_on_the_engines_bytes_is_the_number_of_rows(
        store: Store, rows: list[list[str | None]]) -> None:
    """Strings that look like the JSON between two rows, empty rows, and a row cap on either
    side of the count: the size is the rows' number and the cut is at the cap."""
    import json

    query = _values_query(rows)
    written = store.answer(query, tabular=results.JSON, graph=None, row_cap=10000)
    assert written.size == len(rows) and not written.truncated
    assert len(json.loads(written.body)["results"]["bindings"]) == len(rows)
    if rows:
        cap = max(1, len(rows) - 1)
        cut = store.answer(query, tabular=results.JSON, graph=None, row_cap=cap)
        assert cut.size == min(cap, len(rows)) and cut.truncated == (len(rows) > cap)
        assert len(json.loads(cut.body)["results"]["bindings"]) == cut.size
