"""The named queries: headers, defaults that run as-is, parameters bound as values, clear errors."""

from __future__ import annotations

import re
from datetime import date

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from legalgraph import queries
from legalgraph.cli import main
from legalgraph.errors import InputError
from legalgraph.namespaces import ID
from legalgraph.resolve import Resolver
from legalgraph.store import Store

NAMED = sorted(queries.all_queries())
ISSUE_QUERIES = {
    "status", "jurisdiction", "changes", "therapeutic_access", "research_exemptions",
    "treaty_floor_comparison", "subdivision_differences", "coverage_summary", "level_counts",
    "timeline", "coverage",
}


@pytest.fixture(scope="module")
def resolver(store: Store) -> Resolver:
    return Resolver(store)


def _values_line(text: str, name: str) -> str:
    match = re.search(r"^\s*VALUES\s+\?" + name + r"\s*\{([^}\n]*)\}", text, re.MULTILINE)
    assert match, f"no VALUES line for ?{name}"
    return match.group(1).strip()


def test_every_question_of_the_issue_has_a_named_query() -> None:
    assert set(NAMED) >= ISSUE_QUERIES


@pytest.mark.parametrize("name", NAMED)
def test_header_has_title_description_example_and_parameters(name: str) -> None:
    query = queries.get(name)
    assert query.title and query.description and query.examples
    for example in query.examples:
        assert example.startswith(f"legalgraph queries run {name}")
        for key in re.findall(r"--param (\w+)=", example):
            query.parameter(key)
    for parameter in query.parameters:
        assert parameter.type in queries.PARAM_TYPES
        assert parameter.default and parameter.doc
        _values_line(query.text, parameter.name)


@pytest.mark.parametrize("name", NAMED)
def test_header_defaults_are_the_values_in_the_body(name: str) -> None:
    """Defaults name substances by slug and places by code; the body holds their IRIs."""
    query = queries.get(name)
    folders = {"substance": "substance/", "place": "jurisdiction/"}
    for parameter in query.parameters:
        body = _values_line(query.text, parameter.name)
        if parameter.default in ("today", "all"):
            assert body == "UNDEF"
            continue
        expected = [
            ID[folders[parameter.type] + text].n3() if parameter.type in folders
            else queries.term_for(query, parameter.name, text).n3()
            for text in parameter.default.split()
        ]
        assert body.split() == expected


@pytest.mark.parametrize("name", NAMED)
def test_file_declares_its_own_prefixes_for_other_engines(name: str) -> None:
    """rdflib's SPARQL parser, with no prefixes given, accepts the file as it is."""
    prepareQuery(queries.get(name).text)


@pytest.mark.parametrize("name", NAMED)
def test_runs_as_is_with_its_defaults(name: str, store: Store) -> None:
    result = store.query(queries.get(name).text)
    assert result.kind == "select"


def test_a_list_parameter_binds_each_value(store: Store, resolver: Resolver) -> None:
    query = queries.get("status")
    text = queries.bind_texts(
        query, [("jurisdiction", "Holland"), ("jurisdiction", "fr"), ("asOf", "2020-01-01")],
        resolver,
    )
    rows = store.select(text)
    assert sorted(str(r["jurisdiction"]) for r in rows) == [
        str(ID["jurisdiction/FRA"]), str(ID["jurisdiction/NLD"])
    ]
    assert {r["day"] for r in rows} == {Literal(date(2020, 1, 1))}


def test_values_are_bound_as_terms_not_pasted_as_text() -> None:
    query = queries.get("status")
    sneaky = URIRef("https://example.org/x")
    text = query.bind({"jurisdiction": [sneaky], "asOf": [queries.literal_date(date(2020, 1, 1))]})
    assert "VALUES ?jurisdiction { <https://example.org/x> }" in text
    assert 'VALUES ?asOf { "2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date> }' in text
    with pytest.raises(InputError, match="not an IRI"):
        queries.expand_iri("x> } DELETE WHERE { ?s ?p ?o } #")


@pytest.mark.parametrize(
    ("name", "key", "value", "message"),
    [
        ("status", "asOf", "2023-02-30", "malformed date for parameter 'asOf'"),
        ("status", "asOf", "yesterday", "expected YYYY-MM-DD"),
        ("status", "colour", "red", "has no parameter 'colour'"),
        ("changes", "from", "2023/01/01", "malformed date for parameter 'from'"),
        ("status", "jurisdiction", "Narnia", "unknown place 'Narnia'"),
        ("timeline", "substance", "unobtainium", "unknown substance 'unobtainium'"),
    ],
)
def test_bad_parameters_are_clear_errors(
    name: str, key: str, value: str, message: str, resolver: Resolver
) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        queries.bind_texts(queries.get(name), [(key, value)], resolver)


def test_unknown_query_lists_the_known_ones() -> None:
    with pytest.raises(InputError, match=r"no named query 'stauts' \(known: .*status"):
        queries.get("stauts")


def test_cli_lists_shows_and_runs_queries() -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["queries", "list", "--format", "csv"])
    assert listed.exit_code == 0
    assert {line.split(",")[0] for line in listed.output.splitlines()[1:]} == set(NAMED)
    shown = runner.invoke(main, ["queries", "show", "changes"])
    assert shown.exit_code == 0 and shown.output == queries.get("changes").text
    ran = runner.invoke(main, ["queries", "run", "status", "--param", "jurisdiction=NLD",
                               "--param", "asOf=2024-01-01", "--format", "csv"])
    assert ran.exit_code == 0, ran.output
    assert ran.output.splitlines()[1].split(",")[1] == "NLD"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["queries", "run", "status", "--param", "asOf=2024-13-01"], "malformed date"),
        (["queries", "run", "status", "--param", "asOf"], "expected KEY=VALUE"),
        (["queries", "run", "status", "--param", "nope=1"], "has no parameter 'nope'"),
        (["queries", "run", "nope"], "no named query 'nope'"),
        (["queries", "show", "nope"], "no named query 'nope'"),
    ],
)
def test_cli_reports_bad_input_without_a_traceback(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
