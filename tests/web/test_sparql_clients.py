"""Real SPARQL clients against the real server: SPARQLWrapper in every results format, rdflib's
SPARQLStore, and every named query answered exactly as the store API answers it."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.term import Node
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from legalgraph import queries
from legalgraph.store import Store, prologue

LABELS = (prologue() + "SELECT ?s ?label WHERE { ?s a lg:Country ; skos:prefLabel ?label . "
          "FILTER(LANG(?label) = 'en') } ORDER BY ?s LIMIT 20")


def wrapper(base: str, query: str, fmt: str) -> Any:
    client = SPARQLWrapper(base + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client.query().convert()


def term_of(binding: dict[str, str]) -> Node:
    """An rdflib term from a SPARQL JSON results binding (blank nodes all look alike)."""
    if binding["type"] == "uri":
        return URIRef(binding["value"])
    if binding["type"] == "bnode":
        return BNode("b")
    if "xml:lang" in binding:
        return Literal(binding["value"], lang=binding["xml:lang"])
    if "datatype" in binding:
        return Literal(binding["value"], datatype=URIRef(binding["datatype"]))
    return Literal(binding["value"])


def rows_of_store(store: Store, query: str) -> Counter[tuple[tuple[str, Node], ...]]:
    result = store.query(query)
    return Counter(
        tuple(sorted((k, BNode("b") if isinstance(v, BNode) else v) for k, v in row.items()))
        for row in result.rows
    )


def rows_of_json(document: dict[str, Any]) -> Counter[tuple[tuple[str, Node], ...]]:
    return Counter(
        tuple(sorted((k, term_of(v)) for k, v in binding.items()))
        for binding in document["results"]["bindings"]
    )


def test_sparqlwrapper_json(live_server: str, store: Store) -> None:
    document = wrapper(live_server, LABELS, JSON)
    assert rows_of_json(document) == rows_of_store(store, LABELS)
    assert len(document["results"]["bindings"]) == 20


def test_sparqlwrapper_xml(live_server: str, store: Store) -> None:
    document = wrapper(live_server, LABELS, XML)
    ns = "http://www.w3.org/2005/sparql-results#"
    got = Counter()
    for result in document.getElementsByTagNameNS(ns, "result"):
        row = []
        for binding in result.getElementsByTagNameNS(ns, "binding"):
            name = binding.getAttribute("name")
            uri = binding.getElementsByTagNameNS(ns, "uri")
            if uri:
                row.append((name, URIRef(uri[0].firstChild.data)))
                continue
            literal = binding.getElementsByTagNameNS(ns, "literal")[0]
            lang = literal.getAttribute("xml:lang") or None
            row.append((name, Literal(literal.firstChild.data, lang=lang)))
        got[tuple(sorted(row))] += 1
    assert got == rows_of_store(store, LABELS)


def test_sparqlwrapper_csv(live_server: str, store: Store) -> None:
    data = wrapper(live_server, LABELS, CSV)
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    expected = [{"s": str(r["s"]), "label": str(r["label"])} for r in store.select(LABELS)]
    assert rows == expected


def test_sparqlwrapper_tsv(live_server: str, store: Store) -> None:
    data = wrapper(live_server, LABELS, TSV)
    lines = data.decode().splitlines()
    assert lines[0] == "?s\t?label"
    expected = [f"{r['s'].n3()}\t{r['label'].n3()}" for r in store.select(LABELS)]
    assert lines[1:] == expected


def test_sparqlwrapper_construct_turtle(live_server: str, store: Store) -> None:
    query = prologue() + "CONSTRUCT { ?s skos:prefLabel ?l } WHERE { ?s a lg:Country ; " \
                         "skos:prefLabel ?l }"
    data = wrapper(live_server, query, TURTLE)
    graph = Graph().parse(data=data, format="turtle")
    assert set(graph) == set(store.query(query).triples)
    assert len(graph) > 200


def test_sparqlwrapper_ask(live_server: str) -> None:
    document = wrapper(live_server, "ASK { ?s a <https://w3id.org/legalgraph/ontology#Country> }",
                       JSON)
    assert document["boolean"] is True


def test_rdflib_sparqlstore(live_server: str, store: Store) -> None:
    remote = Graph(store=SPARQLStore(live_server + "/sparql", returnFormat="json"))
    got = Counter(
        (("label", row.label), ("s", row.s)) for row in remote.query(LABELS)  # type: ignore[union-attr]
    )
    assert got == rows_of_store(store, LABELS)
    ask = remote.query("ASK { ?s ?p ?o }")
    assert ask.askAnswer is True


NAMED = sorted(queries.all_queries())


def test_there_are_named_queries() -> None:
    assert len(NAMED) >= 5


@pytest.mark.parametrize("name", NAMED)
def test_named_query_answers_as_the_store_api(live_server: str, store: Store, name: str) -> None:
    text = queries.get(name).bind({})
    expected = store.query(text)
    if expected.kind == "select":
        document = wrapper(live_server, text, JSON)
        assert document["head"]["vars"] == expected.variables
        assert rows_of_json(document) == rows_of_store(store, text)
    elif expected.kind == "ask":
        assert wrapper(live_server, text, JSON)["boolean"] is expected.boolean
    else:
        data = wrapper(live_server, text, TURTLE)
        assert set(Graph().parse(data=data, format="turtle")) == set(expected.triples)
