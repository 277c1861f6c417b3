"""Bounds on a request before anything parses, looks up or forwards it: query length,
nesting and triple patterns, URL length, names to compare, against a real server with small
limits."""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Iterator

import pytest

from .conftest import running_server
from .test_sparql_protocol import get, request


@pytest.fixture(scope="module")
def small_server() -> Iterator[str]:
    with running_server("--max-query-chars", "400", "--max-nesting", "8",
                        "--max-triple-patterns", "12", "--max-url-chars", "6000",
                        "--workers", "1") as base:
        yield base


def refusal(base: str, text: str) -> tuple[int, dict[str, object]]:
    response, body = get(base, text, Accept="application/json")
    return response.status, json.loads(body)


def test_a_long_query_is_refused_naming_the_limit(small_server: str) -> None:
    text = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 400
    status, document = refusal(small_server, text)
    assert status == 400
    assert "limit is 400" in str(document["message"])
    assert "max_query_chars" in str(document["message"])
    body = ("query=" + "SELECT * WHERE { ?s ?p ?o } # " + "x" * 400).encode()
    response, data = request(small_server, "POST", "/sparql", body, {
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
    assert response.status == 400
    assert "max_query_chars" in json.loads(data)["message"]


@pytest.mark.parametrize("text", [
    "SELECT * WHERE " + "{" * 300,
    "SELECT * WHERE " + "{" * 9 + " ?s ?p ?o " + "}" * 9,
    "SELECT * WHERE { FILTER(" + "(" * 9 + "1" + ")" * 9 + ") }",
    "ASK { ?s ?p [ ?q [ ?r [ ?t [ ?u [ ?v [ ?w [ ?x [ ?y 1 ] ] ] ] ] ] ] ] }",
])
def test_deep_nesting_is_refused_before_the_engine(small_server: str, text: str) -> None:
    status, document = refusal(small_server, text)
    assert status == 400
    assert document["error"] == "query too deep"
    assert "limit is 8" in str(document["message"]) and "max_nesting" in str(document["message"])


def test_too_many_triple_patterns_are_refused(small_server: str) -> None:
    text = "SELECT * WHERE { " + " . ".join(f"?s{i} ?p ?o" for i in range(13)) + " }"
    status, document = refusal(small_server, text)
    assert status == 400
    assert "max_triple_patterns" in str(document["message"])


def test_queries_within_the_limits_run(small_server: str) -> None:
    """Brackets in comments do not count (those in strings do: a reader may disagree on
    where a string ends, so the count errs on the large side)."""
    for text in ("SELECT * WHERE " + "{" * 7 + " ?s ?p ?o " + "}" * 7 + " LIMIT 1",
                 "SELECT * WHERE { ?s ?p ?o . ?o ?q ?r } LIMIT 1",
                 'SELECT * WHERE { BIND("# {{" AS ?x) } # (((((((((((((((((((((('):
        response, body = get(small_server, text, Accept="application/json")
        assert response.status == 200, (text, body)


def test_an_absurd_url_is_414(small_server: str) -> None:
    response, body = request(small_server, "GET", "/sparql?query=" + "x" * 7000)
    assert response.status == 414
    assert b"max_url_chars" in body and b"POST" in body
    response, _ = request(small_server, "GET", "/compare?places=" + ",".join(["aus"] * 2000))
    assert response.status == 414


def test_compare_caps_the_names_before_looking_them_up(small_server: str) -> None:
    names = ",".join(f"nowhere{i}" for i in range(500))
    started = time.monotonic()
    response, body = request(small_server, "GET", "/compare?places=" + names,
                             headers={"Accept": "text/html"})
    assert time.monotonic() - started < 5
    assert response.status < 500
    assert b"nowhere7" not in body  # the eighth name is never looked up, nor shown


def test_search_keeps_its_redirect_short(small_server: str) -> None:
    target = "/search?" + urllib.parse.urlencode({"q": "mdma australia", "as_of": "9" * 3000})
    response, _ = request(small_server, "GET", target)
    assert response.status in (301, 302, 303)
    assert len(response.getheader("Location") or "") < 200
