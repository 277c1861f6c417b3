"""The schedule-level rule (``src/legalgraph/rules/schedule_level.rq``) and its warning.

A status assertion that states no ranked control level takes its schedule's ranked level as
``lg:levelFromSchedule``; one that states its own keeps it; one whose schedule says nothing stays
"level not stated" and ``lgsh:LevelNotStated`` lists it. Checked on a small fixture graph and on
the shipped data (the audit's examples).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from legalgraph import build
from legalgraph import validate as validation
from legalgraph.shacl_report import compact
from legalgraph.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONTEXT = FIXTURES / "shapes" / "context.ttl"
CASE = FIXTURES / "rules" / "schedule_level.ttl"
ID = "https://w3id.org/legalgraph/id/"
LG = "https://w3id.org/legalgraph/ontology#"
LEVELS = f"""
PREFIX lg: <{LG}>
SELECT ?record ?level WHERE {{ ?record lg:levelFromSchedule ?level }}
"""


def derived_levels(store: Store) -> dict[str, str]:
    return {str(r["record"])[len(ID):]: str(r["level"])[len(LG):]
            for r in store.select(LEVELS)}


@pytest.fixture(scope="module")
def small() -> Store:
    return build.load(validation.graph_files([CONTEXT, CASE]))


def test_a_status_without_a_ranked_level_takes_its_schedules(small: Store) -> None:
    levels = derived_levels(small)
    assert levels["record/status/AUS/psilocybin/1"] == "ProhibitedExceptResearch"
    assert levels["record/status/AUS/psilocybin/2"] == "StrictMedicalControl"


def test_a_stated_level_is_kept_and_an_unranked_schedule_gives_nothing(small: Store) -> None:
    levels = derived_levels(small)
    assert "record/status/NZL/esketamine/1" not in levels
    assert "record/status/AUS/esketamine/1" not in levels
    # the curated level is never overwritten
    own = small.select(f"""PREFIX lg: <{LG}>
        SELECT ?level WHERE {{ <{ID}record/status/AUS/psilocybin/1> lg:controlLevel ?level }}""")
    assert [str(r["level"]) for r in own] == [LG + "ControlledLevelNotStated"]


def test_the_warning_lists_only_the_status_nothing_ranks(small: Store) -> None:
    report = validation.validate(small)
    listed = {(str(r.focus)[len(ID):], r.severity) for r in report.results
              if compact(r.source_constraint or r.source_shape) == "lgsh:LevelNotStated"}
    assert listed == {("record/status/AUS/esketamine/1", "Warning")}


def test_the_audit_examples_get_a_level_from_their_schedule(store: Store) -> None:
    levels = derived_levels(store)
    # Canada's listings state their level themselves (the restricted-drug listing): nothing to fill
    assert "record/status/CAN/mdma/1" not in levels
    assert levels["record/status/SWE/mdma/1"] == "ProhibitedExceptResearch"
    assert levels["record/status/SWE/psilocybin-mushrooms/1"] == "ProhibitedExceptResearch"
    assert levels["record/status/AUT/mdma/1"] == "ProhibitedExceptResearch"
    assert levels["record/status/LVA/mdma/1"] == "ProhibitedExceptResearch"
    assert levels["record/status/RUS/mdma/1"] == "ProhibitedExceptResearch"
    assert levels["record/status/KOR/mdma/1"] == "StrictMedicalControl"


def test_japans_mdma_is_prohibited_except_research(store: Store) -> None:
    rows = store.select(f"""PREFIX lg: <{LG}>
        SELECT ?level WHERE {{ <{ID}record/status/JPN/mdma/1> lg:controlLevel ?level }}""")
    assert [str(r["level"]) for r in rows] == [LG + "ProhibitedExceptResearch"]
