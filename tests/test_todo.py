"""``legalgraph todo``: the maintainers' worklist, on the shipped data and on a small folder."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from legalgraph.engine import engine_for
from legalgraph.namespaces import ID
from legalgraph.store import Store

ROOT = Path(__file__).resolve().parent.parent
CONTEXT = ROOT / "tests" / "fixtures" / "shapes" / "context.ttl"
CURATED = """
PREFIX lg: <https://w3id.org/legalgraph/ontology#>
SELECT (COUNT(DISTINCT ?record) AS ?n) WHERE { ?record lg:basis lg:Curated }
"""
CLAIMS = """
PREFIX lg: <https://w3id.org/legalgraph/ontology#>
SELECT (COUNT(DISTINCT ?claim) AS ?n) WHERE { ?claim a lg:UnverifiedClaim }
"""


def legalgraph(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "legalgraph", "todo", *args],
                          capture_output=True, text=True, timeout=300, check=False, cwd=ROOT)


@pytest.fixture(scope="module")
def shipped() -> dict[str, Any]:
    done = legalgraph("--format", "json", "--as-of", "2026-12-04")
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def listed(report: dict[str, Any], category: str) -> dict[str, dict[str, Any]]:
    return {i["record"]: i for i in report["items"] if i["category"] == category}


def test_every_list_is_counted(shipped: dict[str, Any]) -> None:
    assert list(shipped["counts"]) == ["low-confidence", "weak-sources", "unverified-claim",
                                       "not-checked", "level-not-stated", "conflict"]
    for category, count in shipped["counts"].items():
        assert count == len(listed(shipped, category))


def test_records_resting_on_weak_sources_are_low_and_located(
    shipped: dict[str, Any], store: Store,
) -> None:
    engine = engine_for(store)
    expected = {
        iri.removeprefix(ID) for iri, fact in engine.facts.items()
        if not fact.derived and fact.sources and all(
            s.source_type is None or s.source_type.rank is None or s.source_type.rank > 7
            for s in fact.sources)}
    weak = listed(shipped, "weak-sources")
    indexed = {iri.removeprefix(ID) for iri in engine.facts}
    assert {r for r in weak if r in indexed} == expected and expected
    low = listed(shipped, "low-confidence")
    for record, item in weak.items():
        assert record in low, record  # the validator makes weak evidence low
        kinds = item["detail"].removeprefix("sources: ").split(", ")
        assert set(kinds) <= {"commercial", "community wiki", "mirror", "untyped"}, item
        path, line = low[record]["where"].rsplit(":", 1)
        written = (ROOT / path).read_text(encoding="utf-8").splitlines()
        assert written[int(line) - 1] == f"<{record}>"


def test_unverified_claims_and_unranked_levels_are_listed(
    shipped: dict[str, Any], store: Store,
) -> None:
    claims = listed(shipped, "unverified-claim")
    assert len(claims) == int(store.select(CLAIMS)[0]["n"].toPython())
    levels = listed(shipped, "level-not-stated")
    assert "record/status/HKG/mdma/1" in levels
    assert "record/status/SWE/mdma/1" not in levels  # its schedule gives the level


def test_conflicts_come_from_editorial_notes(shipped: dict[str, Any]) -> None:
    conflicts = listed(shipped, "conflict")
    assert conflicts
    assert all("conflict" in i["detail"].lower() or "contradict" in i["detail"].lower()
               for i in conflicts.values())


def test_not_checked_follows_the_cut_off(store: Store) -> None:
    done = legalgraph("--format", "json", "--as-of", "2030-01-01", "--older-than", "0",
                      "--only", "not-checked")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["cutoff"] == "2030-01-01"
    curated = int(store.select(CURATED)[0]["n"].toPython())
    assert report["counts"]["not-checked"] == curated
    assert report["counts"] == {"not-checked": curated}


def test_a_data_folder_and_the_text_and_markdown_forms(tmp_path: Path) -> None:
    shutil.copy(CONTEXT, tmp_path / "world.ttl")  # one participation, verified 2024-01-02
    args = ("--data", str(ROOT / "ontology"), "--data", str(tmp_path), "--as-of", "2025-06-01",
            "--older-than", "100")
    text = legalgraph(*args)
    assert text.returncode == 0, text.stderr
    assert "Records not checked since the cut-off day: 1" in text.stdout
    assert "participation/AUS/un-1971  (AUS)" in text.stdout
    assert "last verified 2024-01-02" in text.stdout
    markdown = legalgraph(*args, "--format", "markdown")
    assert "| Records not checked since the cut-off day | 1 |" in markdown.stdout
    assert "| participation/AUS/un-1971 |  | AUS |" in markdown.stdout


def test_a_bad_date_is_a_clear_error() -> None:
    done = legalgraph("--as-of", "2026-13-40")
    assert done.returncode == 2
    assert done.stderr.startswith("error:") and "Traceback" not in done.stderr
