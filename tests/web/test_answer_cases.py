"""The dated questions of tests/fixtures/answer_cases.csv, asked of every surface.

Each case names a substance, a place and a day, the basis the answer must have, words one of
which it must mention and words none of which it may mention, with the reason and a source.
The same case is asked of the engine, of ``legalgraph compare --format json`` and of the status
page on a real server; all three must pass. What an answer "says" is what holds on the day:
the record, level, schedule, exceptions, access routes, research exemptions and why (not the
history or the next change, which may rightly name later records).
"""

from __future__ import annotations

import csv
import html
import json
import re
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from legalgraph.cli import main
from legalgraph.compare import Comparer
from legalgraph.engine import Answer, engine_for
from legalgraph.store import Store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _cases(name: str) -> list[dict[str, str]]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


CASES = _cases("answer_cases.csv") + _cases("engine_cases.csv")


def _check(case: dict[str, str], basis: str, text: str) -> None:
    said = text.lower()
    expected = case["expect_basis"]
    if expected != "any":
        assert basis in expected.split("|"), (case["id"], basis, case["why"], text)
    if case["must_mention"]:
        words = case["must_mention"].lower().split("|")
        assert any(w in said for w in words), (case["id"], words, case["why"], text)
    if case["must_not_mention"]:
        words = case["must_not_mention"].lower().split("|")
        assert not any(w in said for w in words), (case["id"], words, case["why"], text)


def _engine_text(answer: Answer) -> str:
    parts = [answer.why, answer.level.concept.label if answer.level else "level not stated"]
    if answer.record is not None:
        parts.append(answer.record.summary())
    parts += [f"{a.kind}: {a.scope or ''}" for a in answer.exceptions]
    parts += [a.fact.access_text() for a in answer.access]
    parts += [a.fact.summary() for a in answer.research]
    return " | ".join(parts)


@pytest.fixture(scope="module")
def comparer(store: Store) -> Comparer:
    return Comparer(store)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_the_engine_answers(case: dict[str, str], store: Store, comparer: Comparer) -> None:
    item = comparer.substance(case["substance"]).iri
    place = comparer.place(case["place"]).iri
    answer = engine_for(store).status(item, place, date.fromisoformat(case["as_of"]))
    _check(case, answer.basis.value, _engine_text(answer))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_compare_json_answers(case: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["compare", case["substance"], case["place"], "--as-of",
                                       case["as_of"], "--format", "json"])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    said = {k: v for k, v in row.items()
            if k not in ("next_change", "next_change_what", "sources", "source_url")}
    _check(case, row["basis"], json.dumps(said, ensure_ascii=False, default=str))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_the_status_page_answers(case: dict[str, str], live_server: str,
                                 comparer: Comparer) -> None:
    item = str(comparer.substance(case["substance"]).iri).rsplit("/substance/", 1)[1]
    place = str(comparer.place(case["place"]).iri).rsplit("/jurisdiction/", 1)[1]
    url = f"{live_server}/status/{item}/{place}?as_of={case['as_of']}"
    with urllib.request.urlopen(url, timeout=30) as response:
        page = response.read().decode("utf-8")
    sentence = re.search(r'id="answer">(.*?)</p>', page, re.S)
    why = re.search(r'id="why"[^>]*>(.*?)</p>', page, re.S)
    basis = re.search(r'data-basis="([a-z]+)"', page)
    assert sentence and why and basis, url
    text = html.unescape(re.sub(r"<[^>]+>", "", sentence.group(1) + " " + why.group(1)))
    _check(case, basis.group(1), text)


def test_the_feed_never_reads_a_pending_application_as_started(live_server: str) -> None:
    url = f"{live_server}/changes.atom?from=2018-10-01&to=2018-10-31&substance=psilocybin"
    with urllib.request.urlopen(url, timeout=30) as response:
        feed = response.read().decode("utf-8")
    entries = re.findall(r"<entry>(.*?)</entry>", feed, re.S)
    pending = [e for e in entries if "(pending)" in e]
    assert pending
    for entry in pending:
        title = re.search(r"<title>(.*?)</title>", entry, re.S)
        assert title and "applied for" in title.group(1) and "started" not in title.group(1)


def test_the_changes_page_has_one_line_per_replacement(live_server: str) -> None:
    url = f"{live_server}/changes?from=2023-07-01&to=2023-07-01&substance=mdma"
    with urllib.request.urlopen(url, timeout=30) as response:
        page = html.unescape(response.read().decode("utf-8"))
    items = [" ".join(re.sub(r"<[^>]+>", " ", li).split())
             for li in re.findall(r"<li[^>]*>(.*?)</li>", page, re.S)]
    australia = [line for line in items if "MDMA in Australia" in line and "Schedule" in line]
    assert len(australia) == 1 and " from " in australia[0] and " to " in australia[0]
