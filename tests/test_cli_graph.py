"""The graph commands, run as a user runs them: coverage, query, export, stats, bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import REFERENCE

from legalgraph.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed command in a real process."""
    return subprocess.run(
        [sys.executable, "-m", "legalgraph", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def mdma_coverage() -> list[dict[str, str]]:
    result = run("coverage", "mdma", "--format", "csv", "--as-of", "2026-11-26")
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def _reference(file: str) -> list[dict[str, str]]:
    with (REFERENCE / file).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_coverage_has_one_row_per_iso_3166_1_entry(mdma_coverage: list[dict[str, str]]) -> None:
    import pycountry

    assert len(mdma_coverage) == 249
    assert {r["code"] for r in mdma_coverage} == {c.alpha_3 for c in pycountry.countries}


STATUS_FILES = ("mdma_status.csv", "east_regions_status.csv", "south_regions_status.csv")
EXPECTED_LEVEL = {
    "none": "prohibited except research",
    "research-only": "prohibited except research",
    "restricted-prescribing": "strict medical control",
}


def _mdma_status_rows() -> list[dict[str, str]]:
    """Reference rows that state MDMA's status in a country (a schedule or a medical use)."""
    rows = []
    for file in STATUS_FILES:
        for row in _reference(file):
            about_mdma = file == "mdma_status.csv" or row.get("substance", "").strip() == "MDMA"
            states_status = row["schedule_or_class"].strip() or row["medical_use_allowed"].strip()
            country = len(row["iso_code"]) == 3 and row["iso_code"] != "EU"
            if about_mdma and states_status and country:
                rows.append(row)
    return rows


def test_curated_rows_match_the_mdma_reference(mdma_coverage: list[dict[str, str]]) -> None:
    expected = {row["iso_code"] for row in _mdma_status_rows()}
    curated = {r["code"]: r for r in mdma_coverage if r["basis"] == "curated"}
    # every country the reference states is curated; research since then adds more
    assert expected <= set(curated)
    for code, row in curated.items():
        assert row["source_url"].startswith("http"), code
        assert row["confidence"] in ("high", "medium", "low"), code


def test_curated_control_levels_follow_the_reference_medical_use(
    mdma_coverage: list[dict[str, str]],
) -> None:
    by_code = {r["code"]: r for r in mdma_coverage}
    checked = 0
    for row in _mdma_status_rows():
        level = EXPECTED_LEVEL.get(row["medical_use_allowed"].strip())
        current = not row["effective_from"] or row["effective_from"][:4] <= "2026"
        if level and current:
            assert by_code[row["iso_code"]]["control_level"] == level, row["iso_code"]
            checked += 1
    assert checked >= 8


def test_every_party_without_curated_row_is_derived(mdma_coverage: list[dict[str, str]]) -> None:
    parties = {r["iso3"] for r in _reference("un1971_parties.csv") if r["status"] == "party"}
    for row in mdma_coverage:
        if row["basis"] != "curated" and row["code"] in parties:
            assert row["basis"] == "derived", row
            assert row["control_level"] == "prohibited except research"
            assert row["national_schedule"] == "Schedule I"


def test_non_parties_without_curated_row_are_unknown(mdma_coverage: list[dict[str, str]]) -> None:
    others = {r["iso3"] for r in _reference("un1971_parties.csv") if r["status"] != "party"}
    rows = [r for r in mdma_coverage if r["code"] in others and r["basis"] != "curated"]
    assert rows
    for row in rows:
        assert row["basis"] == "unknown"
        assert row["control_level"] == ""
        assert "1971 Convention" in row["why"]


def test_territories_without_treaty_record_are_unknown(mdma_coverage: list[dict[str, str]]) -> None:
    listed = {r["iso3"] for r in _reference("un1971_parties.csv")}
    rows = [r for r in mdma_coverage if r["code"] not in listed and r["basis"] != "curated"]
    assert rows and all(r["basis"] == "unknown" for r in rows)
    assert any(r["code"] == "ATA" for r in rows)


def test_coverage_json_has_stable_fields() -> None:
    result = CliRunner().invoke(main, ["coverage", "ecstasy", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 249
    assert set(rows[0]) >= {"code", "name", "basis", "control_level", "national_schedule",
                            "medical_use", "confidence", "source_url", "why"}


def test_coverage_of_unknown_substance_suggests_names() -> None:
    result = run("coverage", "mdmx")
    assert result.returncode == 2
    assert "unknown substance 'mdmx'" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_as_of_date_is_a_clear_error() -> None:
    result = run("coverage", "mdma", "--as-of", "2023-13-45")
    assert result.returncode == 2
    assert "malformed --as-of date '2023-13-45'" in result.stderr


def test_query_runs_sparql_with_predeclared_prefixes() -> None:
    result = run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?c a lg:Country }", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["n", "249"]


def test_invalid_sparql_is_a_clear_error() -> None:
    result = run("query", "SELECT * WHERE { ?s ?p }")
    assert result.returncode == 2
    assert result.stderr.startswith("error: query:") and "Traceback" not in result.stderr


def test_federated_query_to_an_unreachable_server_is_an_error_line() -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run("query", f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> "
                 "{ ?s ?p ?o } }")
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert "federated" in run("query", "--help").stdout


def test_export_contains_derived_facts(tmp_path: Path) -> None:
    out = tmp_path / "graph.nt"
    result = run("export", "--format", "nt", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "<https://w3id.org/legalgraph/ontology#Derived>" in text
    assert "/id/derived/status/" in text


@pytest.mark.parametrize("command", [["stats"], ["coverage", "mdma"], ["query", "ASK {}"],
                                     ["export"]])
def test_malformed_turtle_stops_every_command_with_file_and_line(
    tmp_path: Path, command: list[str]
) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n')
    result = run(*command, "--data", str(bad))
    assert result.returncode == 2
    assert f"{bad}:3:" in result.stderr
    assert "Traceback" not in result.stderr
