"""The shipped ontology and data, derived facts included, conform to the shapes.

This runs the real command, as CI and the pre-commit hook do. Every warning the shipped data
raises is listed below with the reason it is expected; a new warning (or a missing one) fails
the test, so someone looks at it and either fixes the data or adds it here with its reason.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from legalgraph import build

ID = "https://w3id.org/legalgraph/id/"
TREATY_FLOOR = "https://w3id.org/legalgraph/shapes#TreatyFloor"
LEVEL_NOT_STATED = "https://w3id.org/legalgraph/shapes#LevelNotStated"

# (focus node, rule) -> (file it is written in, why the warning is expected)
EXPECTED_WARNINGS: dict[tuple[str, str], tuple[str, str]] = {
    (ID + "record/status/AUS/mdma/2", TREATY_FLOOR): (
        "data/records/mdma.ttl",
        "Australia moved MDMA to Schedule 8 for PTSD under authorised psychiatrists from "
        "2023-07-01, below the 1971 Convention's Schedule I level.",
    ),
    (ID + "record/status/AUS/psilocybin/2", TREATY_FLOOR): (
        "data/records/psychedelics.ttl",
        "Australia moved psilocybin to Schedule 8 for treatment-resistant depression under "
        "authorised psychiatrists from 2023-07-01.",
    ),
    (ID + "record/status/NZL/mdma/1", TREATY_FLOOR): (
        "data/records/mdma.ttl",
        "New Zealand lists MDMA in Class B of the Misuse of Drugs Act 1975 (1987-2005, "
        "Class B2), which the scheme maps to strict medical control.",
    ),
    (ID + "record/status/NZL/mdma/2", TREATY_FLOOR): (
        "data/records/mdma.ttl",
        "New Zealand moved MDMA to Class B1 in 2005; still Class B.",
    ),
    (ID + "record/status/CZE/psilocybin/1", TREATY_FLOOR): (
        "data/records/psychedelics.ttl",
        "Czechia allows psychiatrists to prescribe individually prepared psilocybin medicines "
        "from 2026-01-01, a national medical-use exception.",
    ),
}


@pytest.fixture(scope="module")
def report() -> tuple[int, dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-m", "legalgraph", "validate", "--format", "json"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.stderr == ""
    return done.returncode, json.loads(done.stdout)


def test_shipped_data_has_no_violation(report: tuple[int, dict[str, Any]]) -> None:
    status, document = report
    violations = [
        f"{r['file']}:{r['line']} {r['focusNode']} {r['sourceConstraint'] or r['sourceShape']} "
        f"{r['path']} = {r['value']}: {r['message']}"
        for r in document["results"] if r["severity"] == "Violation"
    ]
    assert violations == []
    assert document["conforms"] is True
    assert status == 0


def test_shipped_data_checks_every_data_file_and_the_derived_facts(
    report: tuple[int, dict[str, Any]],
) -> None:
    _status, document = report
    files = document["summary"]["files"]
    assert "ontology/legalgraph.ttl" in files
    assert "data/jurisdictions.ttl" in files
    assert any(f.startswith("data/records/") for f in files)
    assert document["summary"]["triples"] > 30000


def test_every_warning_of_the_shipped_data_is_expected(
    report: tuple[int, dict[str, Any]],
) -> None:
    _status, document = report
    warnings = {
        (r["focusNode"], r["sourceConstraint"] or r["sourceShape"]): r["file"]
        for r in document["results"]
        if r["severity"] == "Warning" and r["sourceConstraint"] != LEVEL_NOT_STATED
    }
    assert warnings == {key: where for key, (where, _why) in EXPECTED_WARNINGS.items()}
    assert document["summary"]["infos"] == 0


def test_the_level_warning_lists_exactly_the_statuses_nothing_ranks(
    report: tuple[int, dict[str, Any]],
) -> None:
    """'Level not stated' stays only where neither the record nor its schedule ranks the level
    (tests/test_schedule_level.py checks the rule that fills the rest)."""
    _status, document = report
    listed = {r["focusNode"] for r in document["results"]
              if r["sourceConstraint"] == LEVEL_NOT_STATED}
    assert all(r["severity"] == "Warning" for r in document["results"]
               if r["sourceConstraint"] == LEVEL_NOT_STATED)
    store = build.load()
    unranked = {str(row["record"]) for row in store.select(UNRANKED)}
    assert listed == unranked
    assert ID + "record/status/HKG/mdma/1" in listed
    assert ID + "record/status/SWE/mdma/1" not in listed
    assert document["summary"]["warnings"] == len(EXPECTED_WARNINGS) + len(listed)


UNRANKED = """
PREFIX lg: <https://w3id.org/legalgraph/ontology#>
SELECT ?record WHERE {
  ?record a lg:StatusAssertion ; lg:basis lg:Curated .
  FILTER NOT EXISTS { ?record lg:controlLevel/lg:rank ?own }
  FILTER NOT EXISTS { ?record lg:levelFromSchedule ?derived }
}
"""
