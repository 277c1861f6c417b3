"""The SPARQL 1.1 Protocol over raw HTTP against the real server: methods, content types,
negotiation, errors, CORS, conditional requests and the descriptions."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
import xml.etree.ElementTree as ET
from http.client import HTTPConnection, HTTPResponse

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, VOID

from legalgraph.namespaces import DATASET_IRI
from legalgraph.store import Store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
LABELS = ("SELECT ?s ?label WHERE { ?s a lg:Country ; skos:prefLabel ?label . "
          "FILTER(LANG(?label) = 'en') } ORDER BY ?s LIMIT 5")
CONSTRUCT = "CONSTRUCT { ?s skos:prefLabel ?l } WHERE { ?s a lg:Country ; skos:prefLabel ?l } "
SRX = "{http://www.w3.org/2005/sparql-results#}"


def request(base: str, method: str, target: str, body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[HTTPResponse, bytes]:
    """One HTTP request; the response and its body."""
    parts = urllib.parse.urlsplit(base)
    connection = HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def get(base: str, query: str, **headers: str) -> tuple[HTTPResponse, bytes]:
    return request(base, "GET", "/sparql?" + urllib.parse.urlencode({"query": query}),
                   headers=headers)


def count_of(store: Store) -> int:
    return len(store)


def test_get_without_accept_answers_sparql_json(live_server: str, store: Store) -> None:
    response, body = get(live_server, COUNT)
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/sparql-results+json"
    document = json.loads(body)
    assert document["head"]["vars"] == ["n"]
    assert int(document["results"]["bindings"][0]["n"]["value"]) == count_of(store)


def test_post_form_encoded(live_server: str, store: Store) -> None:
    body = urllib.parse.urlencode({"query": COUNT}).encode()
    response, data = request(live_server, "POST", "/sparql", body,
                             {"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status == 200
    assert int(json.loads(data)["results"]["bindings"][0]["n"]["value"]) == count_of(store)


def test_post_sparql_query_body(live_server: str, store: Store) -> None:
    response, data = request(live_server, "POST", "/sparql", COUNT.encode(),
                             {"Content-Type": "application/sparql-query"})
    assert response.status == 200
    assert int(json.loads(data)["results"]["bindings"][0]["n"]["value"]) == count_of(store)


def test_post_with_other_content_type_is_415(live_server: str) -> None:
    response, data = request(live_server, "POST", "/sparql", COUNT.encode(),
                             {"Content-Type": "text/plain", "Accept": "application/json"})
    assert response.status == 415
    assert "application/sparql-query" in json.loads(data)["message"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/html, */*;q=0.1", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
    ],
)
def test_select_negotiates_by_accept(live_server: str, store: Store, accept: str,
                                     expected: str) -> None:
    response, body = get(live_server, LABELS, Accept=accept)
    assert response.status == 200
    assert response.getheader("Content-Type", "").split(";")[0] == expected
    expected_iris = [str(row["s"]) for row in store.select(LABELS)]
    assert len(expected_iris) == 5
    if expected == "application/sparql-results+json":
        got = [b["s"]["value"] for b in json.loads(body)["results"]["bindings"]]
    elif expected == "application/sparql-results+xml":
        root = ET.fromstring(body)
        got = [e.text or "" for e in root.iter(f"{SRX}uri")]
    elif expected == "text/csv":
        got = [row["s"] for row in csv.DictReader(io.StringIO(body.decode()))]
    else:
        lines = body.decode().splitlines()
        assert lines[0].split("\t") == ["?s", "?label"]
        got = [line.split("\t")[0].strip("<>") for line in lines[1:]]
    assert got == expected_iris


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
     ("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
     ("text/csv", "text/csv")],
)
def test_format_parameter_wins_over_accept(live_server: str, fmt: str, expected: str) -> None:
    target = "/sparql?" + urllib.parse.urlencode({"query": LABELS, "format": fmt})
    response, _ = request(live_server, "GET", target, headers={"Accept": "text/turtle"})
    assert response.status == 200
    assert response.getheader("Content-Type", "").split(";")[0] == expected


def test_ask_in_each_results_format(live_server: str) -> None:
    query = f"ASK {{ <{DATASET_IRI}> ?p ?o }}"
    response, body = get(live_server, query)
    assert response.status == 200
    assert json.loads(body) == {"head": {}, "boolean": True}
    response, body = get(live_server, query, Accept="application/sparql-results+xml")
    assert response.getheader("Content-Type") == "application/sparql-results+xml"
    assert ET.fromstring(body).find(f"{SRX}boolean").text == "true"  # type: ignore[union-attr]
    response, body = get(live_server, query, Accept="text/csv")
    assert response.getheader("Content-Type", "").startswith("text/csv")
    assert body.decode().splitlines() == ["_askResult", "true"]
    response, body = get(live_server, "ASK { <urn:x> <urn:y> <urn:z> }",
                         Accept="text/tab-separated-values")
    assert response.getheader("Content-Type", "").startswith("text/tab-separated-values")
    assert body.decode().splitlines() == ["?_askResult", "false"]


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [("text/turtle", "turtle"), ("application/n-triples", "nt"),
     ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")],
)
def test_construct_negotiates_rdf(live_server: str, store: Store, accept: str,
                                  rdflib_format: str) -> None:
    response, body = get(live_server, CONSTRUCT, Accept=accept)
    assert response.status == 200
    assert response.getheader("Content-Type", "").split(";")[0] == accept
    graph = Graph().parse(data=body, format=rdflib_format)
    assert set(graph) == set(store.query(CONSTRUCT).triples)


def test_construct_without_accept_is_turtle(live_server: str) -> None:
    response, body = get(live_server, CONSTRUCT)
    assert response.getheader("Content-Type", "").startswith("text/turtle")
    assert len(Graph().parse(data=body, format="turtle")) > 0


def test_describe(live_server: str, store: Store) -> None:
    response, body = get(live_server, f"DESCRIBE <{DATASET_IRI}>",
                         Accept="application/n-triples")
    assert response.status == 200
    graph = Graph().parse(data=body, format="nt")
    assert (URIRef(DATASET_IRI), VOID.triples, None) in graph


def test_nothing_acceptable_is_406_with_the_offer(live_server: str) -> None:
    response, body = get(live_server, COUNT, Accept="image/png")
    assert response.status == 406
    text = body.decode()
    for media in ("application/sparql-results+json", "text/csv", "text/turtle"):
        assert media in text


def test_select_with_only_rdf_acceptable_is_406(live_server: str) -> None:
    response, body = get(live_server, COUNT, Accept="text/turtle, application/json;q=0")
    assert response.status == 406
    assert "SELECT" in body.decode()


def test_malformed_query_is_400_with_position_as_json(live_server: str) -> None:
    response, body = get(live_server, "SELECT * WHERE {\n  ?s ?p \n}",
                         Accept="application/sparql-results+json")
    assert response.status == 400
    document = json.loads(body)
    assert document["error"] == "malformed query"
    assert (document["line"], document["column"]) == (2, 3)
    assert "line 2, column 3" in document["message"]


def test_malformed_query_is_readable_text_for_people(live_server: str) -> None:
    response, body = get(live_server, "SELEKT ?x", Accept="text/html,*/*;q=0.8")
    assert response.status == 400
    assert response.getheader("Content-Type", "").startswith("text/plain")
    text = body.decode()
    assert text.startswith("400 malformed query")
    assert "line 1, column 1" in text
    assert "Traceback" not in text


def test_two_query_parameters_are_400(live_server: str) -> None:
    response, _ = request(live_server, "GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert response.status == 400


def test_post_without_query_is_400(live_server: str) -> None:
    response, body = request(live_server, "POST", "/sparql", b"format=json",
                             {"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status == 400
    assert "query" in json.loads(body)["message"]


def test_body_over_the_limit_is_413(live_server: str) -> None:
    padding = "#" + "x" * 70000 + "\n"
    response, body = request(live_server, "POST", "/sparql", (padding + COUNT).encode(),
                             {"Content-Type": "application/sparql-query",
                              "Accept": "application/json"})
    assert response.status == 413
    assert "65536" in json.loads(body)["message"]


def test_default_graph_uri_of_ours_is_the_whole_graph(live_server: str, store: Store) -> None:
    target = "/sparql?" + urllib.parse.urlencode(
        {"query": COUNT, "default-graph-uri": DATASET_IRI})
    response, body = request(live_server, "GET", target)
    assert response.status == 200
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == len(store)
    response, body = get(live_server, f"SELECT (COUNT(*) AS ?n) FROM <{DATASET_IRI}> "
                         "WHERE { ?s ?p ?o }")
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == len(store)


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_graph_uri_not_ours_is_refused(live_server: str, parameter: str) -> None:
    target = "/sparql?" + urllib.parse.urlencode(
        {"query": COUNT, parameter: "http://example.org/graph"})
    response, body = request(live_server, "GET", target)
    assert response.status == 400
    assert "http://example.org/graph" in json.loads(body)["message"]


def test_cors_headers_and_preflight(live_server: str) -> None:
    response, _ = get(live_server, COUNT, Origin="https://elsewhere.example")
    assert response.getheader("Access-Control-Allow-Origin") == "*"
    response, _ = request(live_server, "OPTIONS", "/sparql", headers={
        "Origin": "https://elsewhere.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    })
    assert response.status in (200, 204)
    assert response.getheader("Access-Control-Allow-Origin") == "*"
    assert "POST" in (response.getheader("Access-Control-Allow-Methods") or "")
    assert "content-type" in (response.getheader("Access-Control-Allow-Headers") or "")


def test_etag_and_last_modified_answer_304(live_server: str) -> None:
    response, _ = get(live_server, LABELS)
    etag = response.getheader("ETag")
    modified = response.getheader("Last-Modified")
    assert etag and modified
    again, body = get(live_server, LABELS, **{"If-None-Match": etag})
    assert again.status == 304
    assert body == b""
    since, _ = get(live_server, LABELS, **{"If-Modified-Since": modified})
    assert since.status == 304
    other, _ = get(live_server, LABELS, Accept="text/csv", **{"If-None-Match": etag})
    assert other.status == 200


def test_service_description_for_machines(live_server: str) -> None:
    response, body = request(live_server, "GET", "/sparql", headers={"Accept": "text/turtle"})
    assert response.status == 200
    graph = Graph().parse(data=body, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(live_server + "/sparql")
    assert (endpoint, RDF.type, URIRef(sd + "Service")) in graph
    assert (endpoint, URIRef(sd + "endpoint"), endpoint) in graph
    formats = set(graph.objects(endpoint, URIRef(sd + "resultFormat")))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_CSV") in formats


def test_query_editor_for_browsers(live_server: str) -> None:
    response, body = request(live_server, "GET", "/sparql", headers={
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert response.status == 200
    assert response.getheader("Content-Type", "").startswith("text/html")
    assert b"yasgui" in body.lower()


@pytest.mark.parametrize("path", ["/dataset", "/.well-known/void"])
def test_dataset_description_links_to_this_endpoint(live_server: str, path: str) -> None:
    response, body = request(live_server, "GET", path, headers={"Accept": "text/turtle"})
    assert response.status == 200
    graph = Graph().parse(data=body, format="turtle")
    endpoints = set(graph.objects(URIRef(DATASET_IRI), VOID.sparqlEndpoint))
    assert endpoints == {URIRef(live_server + "/sparql")}
    assert (URIRef(DATASET_IRI), RDF.type, VOID.Dataset) in graph


def test_identical_query_is_answered_from_the_cache(live_server: str) -> None:
    query = "SELECT ?c WHERE { ?c a lg:Country } ORDER BY ?c LIMIT 4  # cache test"
    first, body = get(live_server, query)
    assert first.getheader("X-Cache") == "miss"
    second, again = get(live_server, "  " + query + "\n")
    assert second.getheader("X-Cache") == "hit"
    assert again == body
    other, _ = get(live_server, query, Accept="text/csv")
    assert other.getheader("X-Cache") == "miss"


def test_head_mirrors_get(live_server: str) -> None:
    target = "/sparql?" + urllib.parse.urlencode({"query": COUNT})
    got, body = request(live_server, "GET", target, headers={"Accept": "text/csv"})
    head, empty = request(live_server, "HEAD", target, headers={"Accept": "text/csv"})
    assert head.status == got.status == 200
    assert empty == b"" and body
    for name in ("Content-Type", "ETag", "X-Result-Size", "X-Result-Truncated"):
        assert head.getheader(name) == got.getheader(name), name
    head, _ = request(live_server, "HEAD", "/sparql", headers={"Accept": "text/turtle"})
    assert head.status == 200
    assert head.getheader("Content-Type", "").startswith("text/turtle")


def test_relative_iris_resolve_against_the_base_iri(live_server: str) -> None:
    response, body = get(live_server, "CONSTRUCT { <s> <p> 1 } WHERE {}",
                         Accept="application/n-triples")
    assert response.status == 200, body
    assert b"<https://w3id.org/legalgraph/s> <https://w3id.org/legalgraph/p>" in body


def test_named_graph_uri_is_refused_even_for_our_dataset(live_server: str) -> None:
    target = "/sparql?" + urllib.parse.urlencode({"query": COUNT,
                                                  "named-graph-uri": DATASET_IRI})
    response, body = request(live_server, "GET", target, headers={"Accept": "application/json"})
    assert response.status == 400
    assert "no named graphs" in json.loads(body)["message"]


def test_a_foreign_from_named_is_named_in_the_refusal(live_server: str) -> None:
    response, body = get(live_server, "SELECT * FROM NAMED <http://example.org/g> "
                         "WHERE { GRAPH ?g { ?s ?p ?o } }", Accept="application/json")
    assert response.status == 400
    assert "FROM NAMED <http://example.org/g>" in json.loads(body)["message"]
