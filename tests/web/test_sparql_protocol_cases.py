"""The test cases of the W3C SPARQL 1.1 Protocol test suite (names as in its manifest,
http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/), written from the
specification against the real server. Each passes, or is refused by design with the status
the README documents: this endpoint is read-only (updates: 403) and serves one graph (other
graphs and named graphs: 400)."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from legalgraph.namespaces import DATASET_IRI

from .test_sparql_protocol import request

RESULTS = ("application/sparql-results+json", "application/sparql-results+xml")
FORM = "application/x-www-form-urlencoded"
EXTERNAL = "http://kasei.us/2009/09/sparql/data/data1.rdf"


def query_string(**values: str | list[str]) -> str:
    return urllib.parse.urlencode(values, doseq=True)


def is_true(body: bytes) -> bool:
    return json.loads(body)["boolean"] is True


def test_query_get(live_server: str) -> None:
    response, body = request(live_server, "GET", "/sparql?" + query_string(query="ASK {}"))
    assert response.status == 200 and response.getheader("Content-Type") in RESULTS
    assert is_true(body)


def test_query_post_form(live_server: str) -> None:
    response, body = request(live_server, "POST", "/sparql", query_string(query="ASK {}")
                             .encode(), {"Content-Type": FORM})
    assert response.status == 200 and response.getheader("Content-Type") in RESULTS
    assert is_true(body)


def test_query_post_direct(live_server: str) -> None:
    response, body = request(live_server, "POST", "/sparql", b"ASK {}",
                             {"Content-Type": "application/sparql-query"})
    assert response.status == 200 and response.getheader("Content-Type") in RESULTS
    assert is_true(body)


def test_query_dataset_default_graph_of_ours(live_server: str) -> None:
    """As query_dataset_default_graph, with our dataset (the only graph there is)."""
    target = "/sparql?" + query_string(**{"default-graph-uri": DATASET_IRI})
    response, body = request(live_server, "POST", target,
                             f"ASK {{ <{DATASET_IRI}> ?p ?o }}".encode(),
                             {"Content-Type": "application/sparql-query"})
    assert response.status == 200 and is_true(body)


@pytest.mark.parametrize(("name", "parameters", "query"), [
    ("query_dataset_default_graph", {"default-graph-uri": EXTERNAL}, "ASK { ?s ?p ?o }"),
    ("query_dataset_default_graphs_post", {"default-graph-uri": [EXTERNAL, EXTERNAL + "2"]},
     "ASK { ?s ?p ?o }"),
    ("query_dataset_named_graphs_post", {"named-graph-uri": [EXTERNAL]},
     "ASK { GRAPH ?g { ?s ?p ?o } }"),
    ("query_dataset_full", {"default-graph-uri": EXTERNAL, "named-graph-uri": EXTERNAL},
     "SELECT ?g ?x ?s { ?x ?y ?o GRAPH ?g { ?s ?p ?o } }"),
    ("query_multiple_dataset", {"default-graph-uri": EXTERNAL},
     f"ASK FROM <{EXTERNAL}> {{ <data1.rdf> ?p ?o }}"),
])
def test_client_datasets_are_refused_by_design(live_server: str, name: str,
                                               parameters: dict[str, str], query: str) -> None:
    target = "/sparql?" + query_string(**parameters)
    response, body = request(live_server, "POST", target, query.encode(),
                             {"Content-Type": "application/sparql-query",
                              "Accept": "application/json"})
    assert response.status == 400, (name, body)
    assert "graph" in json.loads(body)["message"], name


@pytest.mark.parametrize(("name", "query", "types"), [
    ("query_content_type_select", "SELECT (1 AS ?value) {}",
     (*RESULTS, "text/csv; charset=utf-8", "text/tab-separated-values; charset=utf-8")),
    ("query_content_type_ask", "ASK {}", RESULTS),
    ("query_content_type_describe", "DESCRIBE <http://example.org/>",
     ("application/rdf+xml", "text/turtle; charset=utf-8")),
    ("query_content_type_construct", "CONSTRUCT { <s> <p> 1 } WHERE {}",
     ("application/rdf+xml", "text/turtle; charset=utf-8")),
])
def test_query_content_types(live_server: str, name: str, query: str,
                             types: tuple[str, ...]) -> None:
    response, _body = request(live_server, "POST", "/sparql", query.encode(),
                              {"Content-Type": "application/sparql-query"})
    assert response.status == 200, name
    assert response.getheader("Content-Type") in types, name


UTF16 = "ASK {}".encode("utf-16")


@pytest.mark.parametrize(("name", "method", "target", "body", "headers", "status"), [
    ("bad_query_method", "PUT", "/sparql?query=ASK%20%7B%7D", None, {}, 405),
    ("bad_multiple_queries", "GET", "/sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D",
     None, {}, 400),
    ("bad_query_wrong_media_type", "POST", "/sparql", b"ASK {}",
     {"Content-Type": "text/plain"}, 415),
    ("bad_query_missing_form_type", "POST", "/sparql", b"query=ASK%20%7B%7D", {}, 415),
    ("bad_query_missing_direct_type", "POST", "/sparql", b"ASK {}", {}, 415),
    ("bad_query_non_utf8", "POST", "/sparql", UTF16,
     {"Content-Type": "application/sparql-query; charset=UTF-16"}, 400),
    ("bad_query_syntax", "GET", "/sparql?query=ASK%20%7B", None, {}, 400),
    ("bad_update_get", "GET", "/sparql?update=CLEAR%20ALL", None, {}, 403),
    ("bad_multiple_updates", "POST", "/sparql", b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
     {"Content-Type": FORM}, 403),
    ("bad_update_wrong_media_type", "POST", "/sparql", b"CLEAR NAMED",
     {"Content-Type": "text/plain"}, 415),
    ("bad_update_missing_form_type", "POST", "/sparql", b"update=CLEAR%20NAMED", {}, 415),
    ("bad_update_non_utf8", "POST", "/sparql", "CLEAR NAMED".encode("utf-16"),
     {"Content-Type": "application/sparql-update; charset=UTF-16"}, 403),
    ("bad_update_syntax", "POST", "/sparql", b"update=CLEAR%20XYZ", {"Content-Type": FORM},
     403),
    ("bad_update_dataset_conflict", "POST", "/sparql",
     b"using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople&update=WITH%20%3Chttp%3A%2F%2F"
     b"example%2Faddresses%3E%20DELETE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20WHERE%20%7B%20%3Fs"
     b"%20%3Fp%20%3Fo%20%7D", {"Content-Type": FORM}, 403),
])
def test_bad_requests(live_server: str, name: str, method: str, target: str,
                      body: bytes | None, headers: dict[str, str], status: int) -> None:
    response, data = request(live_server, method, target, body, headers)
    assert response.status == status, (name, data)
    assert b"Traceback" not in data
