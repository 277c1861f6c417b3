"""``legalgraph diff``: answers, records and validation that change between two versions.

Real git: a temporary repository with two commits of a small data folder, the same two versions
as plain folders, and two real commits of this repository. The command runs as users run it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTEXT = ROOT / "tests" / "fixtures" / "shapes" / "context.ttl"
HEAD = """@base <https://w3id.org/legalgraph/id/> .
@prefix lg: <https://w3id.org/legalgraph/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
SCHEDULE_9 = """
<record/status/AUS/mdma/1>
    a lg:StatusAssertion ;
    lg:substance <substance/mdma> ;
    lg:jurisdiction <jurisdiction/AUS> ;
    lg:schedule <schedule/AU-SUSMP/schedule-9> ;
    lg:controlLevel lg:ProhibitedExceptResearch ;
    lg:validFrom "2000-01-01"^^xsd:date ;{until}
    lg:basis lg:Curated ;
    lg:confidence lg:HighConfidence ;
    lg:lastVerified "2024-01-02"^^xsd:date ;
    dcterms:source <source/000000000001> .
"""
SCHEDULE_8 = """
<record/status/AUS/mdma/2>
    a lg:StatusAssertion ;
    lg:substance <substance/mdma> ;
    lg:jurisdiction <jurisdiction/AUS> ;
    lg:schedule <schedule/AU-SUSMP/schedule-8> ;
    lg:controlLevel lg:StrictMedicalControl ;
    lg:validFrom "2023-07-01"^^xsd:date ;
    lg:basis lg:Curated ;
    lg:confidence lg:HighConfidence ;
    dcterms:source <source/000000000001> .
"""


def legalgraph(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "legalgraph", *args], capture_output=True,
                          text=True, timeout=300, check=False, cwd=cwd)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True).stdout


def write_version(folder: Path, changed: bool) -> None:
    """Version 1: Australia's MDMA in Schedule 9 since 2000. Version 2: Schedule 9 until
    2023-07-01, then Schedule 8 (a record without lg:lastVerified: a new violation)."""
    (folder / "data").mkdir(parents=True, exist_ok=True)
    shutil.copy(CONTEXT, folder / "data" / "world.ttl")
    until = '\n    lg:validUntil "2023-07-01"^^xsd:date ;' if changed else ""
    text = HEAD + SCHEDULE_9.format(until=until) + (SCHEDULE_8 if changed else "")
    (folder / "data" / "mdma.ttl").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("repo")
    git(path, "init", "-q")
    git(path, "config", "user.email", "maintainer@example.org")
    git(path, "config", "user.name", "Maintainer")
    write_version(path, changed=False)
    git(path, "add", "data")
    git(path, "commit", "-q", "-m", "Australia: MDMA in Schedule 9")
    write_version(path, changed=True)
    git(path, "add", "data")
    git(path, "commit", "-q", "-m", "Australia: MDMA in Schedule 8 from 2023-07-01")
    return path


@pytest.fixture(scope="module")
def between_commits(repo: Path) -> dict[str, Any]:
    done = legalgraph("diff", "HEAD~1", "HEAD", "--repo", str(repo), "--format", "json",
                      "--as-of", "2024-01-01")
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def answer(report: dict[str, Any], place: str, day: str) -> dict[str, Any]:
    found = [a for a in report["answers"] if a["place"] == place and day in a["days"]]
    assert len(found) == 1, report["answers"]
    changes: dict[str, Any] = found[0]["changes"]
    return changes


def test_the_answers_that_change_are_listed_with_before_and_after(
    between_commits: dict[str, Any],
) -> None:
    from_change = answer(between_commits, "AUS", "2023-07-01")
    assert from_change["control_level"] == {"before": "prohibited-except-research",
                                            "after": "strict-medical-control"}
    assert from_change["national_schedule"] == {"before": "Schedule 9", "after": "Schedule 8"}
    # "today" (the --as-of day) is asked too, and gives the same change
    assert "2024-01-01" in next(a["days"] for a in between_commits["answers"]
                                if "control_level" in a["changes"])
    # from the old record's start to the change, only its end date is new; the day before
    # the earliest date involved (1999-12-31) shows no change
    before = answer(between_commits, "AUS", "2000-01-01")
    assert before == {"valid_until": {"before": None, "after": "2023-07-01"}}
    assert not [a for a in between_commits["answers"] if "1999-12-31" in a["days"]]
    assert all(a["substance"] == "mdma" for a in between_commits["answers"])


def test_records_added_and_edited_are_listed(between_commits: dict[str, Any]) -> None:
    records = {r["record"]: r for r in between_commits["records"]}
    assert records["record/status/AUS/mdma/2"]["change"] == "added"
    edited = records["record/status/AUS/mdma/1"]
    assert edited["change"] == "edited"
    assert edited["properties"] == {"lg:validUntil": {"before": [], "after": ["2023-07-01"]}}
    assert len(records) == 2


def test_the_validation_delta_names_the_new_problem(between_commits: dict[str, Any]) -> None:
    added = between_commits["validation"]["added"]
    # the Schedule 8 record has no lg:lastVerified, and is below the 1971 Convention's floor
    assert {(p["severity"], p["rule"], p["focus"]) for p in added} == {
        ("Violation", "lgsh:CuratedFactVerified", "record/status/AUS/mdma/2"),
        ("Warning", "lgsh:TreatyFloor", "record/status/AUS/mdma/2")}
    assert between_commits["validation"]["gone"] == []
    counts = between_commits["validation"]["counts"]
    assert counts["new"]["Violation"] == counts["old"]["Violation"] + 1


def test_text_and_markdown_say_the_same(repo: Path) -> None:
    text = legalgraph("diff", "HEAD~1", "HEAD", "--repo", str(repo), "--as-of", "2024-01-01")
    assert text.returncode == 0, text.stderr
    assert "mdma in Australia (AUS), on 2023-07-01, today:" in text.stdout
    assert "control_level: prohibited-except-research -> strict-medical-control" in text.stdout
    assert "Records: 1 added, 0 removed, 1 edited" in text.stdout
    assert "+ Violation lgsh:CuratedFactVerified record/status/AUS/mdma/2" in text.stdout
    markdown = legalgraph("diff", "HEAD~1", "HEAD", "--repo", str(repo), "--format",
                          "markdown", "--as-of", "2024-01-01")
    assert markdown.returncode == 0, markdown.stderr
    assert markdown.stdout.startswith("### Data change: `HEAD~1")
    assert ("| mdma | Australia (AUS) | 2023-07-01, today | control_level | "
            "prohibited-except-research | strict-medical-control |") in markdown.stdout
    assert "| added | `record/status/AUS/mdma/2` |" in markdown.stdout


def test_two_data_folders_compare_like_two_revisions(
    tmp_path: Path, between_commits: dict[str, Any],
) -> None:
    write_version(tmp_path / "old", changed=False)
    write_version(tmp_path / "new", changed=True)
    done = legalgraph("diff", str(tmp_path / "old"), str(tmp_path / "new"), "--format", "json",
                      "--as-of", "2024-01-01")
    assert done.returncode == 0, done.stderr
    folders = json.loads(done.stdout)
    for part in ("answers", "records", "validation"):
        assert folders[part] == between_commits[part]


def test_two_real_commits_of_this_repository() -> None:
    """Commit 40227eb kept Viet Nam's MDMA status through Decrees 57/2022 and 28/2026."""
    done = legalgraph("diff", "40227eb~1", "40227eb", "--format", "json",
                      "--as-of", "2026-12-04")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    changes = answer(report, "VNM", "2026-01-19")
    assert changes["basis"] == {"before": "unknown", "after": "curated"}
    assert changes["valid_from"]["after"] == "2026-01-19"
    added = {r["record"] for r in report["records"] if r["change"] == "added"}
    assert added == {"record/status/VNM/mdma/2", "record/status/VNM/mdma/3"}


def test_a_name_that_is_neither_folder_nor_revision_is_a_clear_error(repo: Path) -> None:
    done = legalgraph("diff", "no-such-revision", "HEAD", "--repo", str(repo))
    assert done.returncode == 2
    assert done.stderr.startswith("error: 'no-such-revision' is neither a folder nor a revision")
    assert "Traceback" not in done.stderr


def test_the_readme_shows_real_output() -> None:
    done = legalgraph("diff", "40227eb~1", "40227eb", "--as-of", "2026-12-04")
    assert done.returncode == 0, done.stderr
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme[readme.index("$ legalgraph diff 40227eb~1 40227eb --as-of 2026-12-04"):]
    # the answers and records; the validation counts follow the shapes of the day
    for line in done.stdout.split("\nValidation:")[0].splitlines():
        assert line in shown
