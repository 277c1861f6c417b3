"""The answers of the lookup pages on the shipped graph, checked against the reference rows.

The expected values come from ``tests/fixtures/reference/mdma_status.csv`` (the rows the data
was built from), never from the pages' own output.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from tests.servers import serve_in_thread

from legalgraph.store import Store

from .test_pages import get

REFERENCE = Path(__file__).resolve().parents[1] / "fixtures" / "reference" / "mdma_status.csv"
MEDICAL_USE = {
    "none": "no medical use",
    "research-only": "research only",
    "restricted-prescribing": "restricted prescribing",
    "compassionate/special-access": "compassionate or special access",
    "approved-medicine": "approved medicine",
}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def rows() -> list[dict[str, str]]:
    with REFERENCE.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def row_for(code: str) -> dict[str, str]:
    return next(r for r in rows() if r["iso_code"] == code)


def answer_of(page: str) -> str:
    match = re.search(r'<p class="answer" id="answer">(.*?)</p>', page, re.S)
    assert match, "no answer sentence on the page"
    return html.unescape(" ".join(match.group(1).split()))


def fact(page: str, name: str) -> str:
    match = re.search(rf"<dt>{name}</dt><dd>(.*?)</dd>", page, re.S)
    assert match, f"no {name} on the page"
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split()))


def spoken(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@pytest.fixture(scope="module")
def site(store: Store) -> Iterator[str]:
    with serve_in_thread(store) as base:
        yield base


def test_mdma_in_australia_before_the_change_is_prohibited_except_research(site: str) -> None:
    row = row_for("AUS")
    change = date.fromisoformat(row["effective_from"])
    before = change - timedelta(days=1)
    page = get(site, f"/status/mdma/AUS?as_of={before.isoformat()}").body
    sentence = answer_of(page)
    assert "prohibited in Australia except for research" in sentence
    assert "not be prescribed" in sentence
    assert "PTSD" not in sentence
    # The row: "Schedule 9 (Prohibited Substance) for all other uses"; before, only Schedule 9.
    schedule_9 = re.search(r"Schedule 9 \([^)]*\)", row["schedule_or_class"])
    assert schedule_9 and schedule_9.group(0) in fact(page, "National schedule")
    assert fact(page, "Medical use") == MEDICAL_USE["research-only"]
    assert "prohibited except research" in fact(page, "Control level")


def test_mdma_in_australia_from_the_change_may_be_prescribed_for_ptsd(site: str) -> None:
    row = row_for("AUS")
    change = date.fromisoformat(row["effective_from"])
    page = get(site, f"/status/mdma/AUS?as_of={change.isoformat()}").body
    sentence = answer_of(page)
    assert sentence.startswith("MDMA was prohibited in Australia, except that since "
                               f"{spoken(change)}")
    assert "prescribe it for PTSD" in sentence and "PTSD" in row["schedule_or_class"]
    assert "Therapeutic Goods Administration" in sentence and "TGA" in row["therapeutic_access"]
    assert fact(page, "Medical use") == MEDICAL_USE[row["medical_use_allowed"]]
    schedule_8 = re.search(r"Schedule 8 \([^)]*\)", row["schedule_or_class"])
    assert schedule_8 and schedule_8.group(0) in fact(page, "National schedule")
    assert f"since {spoken(change)}" in fact(page, "In force")
    assert "curated" in fact(page, "Basis") and row["confidence"] in fact(page, "Basis")


def test_today_the_australian_answer_is_in_the_present_tense(site: str) -> None:
    sentence = answer_of(get(site, "/status/mdma/AUS").body)
    assert sentence.startswith("MDMA is prohibited in Australia, except that since 1 July 2023")
    assert "may prescribe it for PTSD" in sentence


def test_the_status_page_cites_the_rows_sources(site: str) -> None:
    row = row_for("AUS")
    page = get(site, "/status/mdma/AUS").body
    for url in row["source_url"].split(" | "):
        assert html.escape(url.strip()) in page
    assert "Cite this" in page and "data version" in page and "accessed" in page


@pytest.mark.parametrize(
    "row",
    [r for r in rows() if r["medical_use_allowed"] and "-" not in r["iso_code"]],
    ids=lambda r: r["iso_code"],
)
def test_medical_use_on_the_page_matches_the_reference_row(site: str, row: dict[str, str]) -> None:
    page = get(site, f"/status/mdma/{row['iso_code']}").body
    if row["medical_use_allowed"] == "compassionate/special-access":
        # The access route is its own record, listed under therapeutic access; the answer's
        # medical use is the listing's, raised by the routes in force.
        access = page[page.index('id="h-access"'):]
        current = re.findall(r'<li class="current">\s*<strong>([^<]+)</strong>', access)
        assert {"special access", "compassionate use"} & {c.strip() for c in current}
    assert fact(page, "Medical use") == MEDICAL_USE[row["medical_use_allowed"]]
    # A jurisdiction with two reference rows (two passes) is one record with either confidence.
    confidences = {r["confidence"] for r in rows() if r["iso_code"] == row["iso_code"]}
    shown = re.search(r"confidence: (\w+)", fact(page, "Basis"))
    # The data may sit lower than the row where its sources do not support the row's
    # confidence (shapes/README.md, the confidence rule), never higher.
    scale = ["low", "medium", "high"]
    assert shown and shown.group(1) in scale
    assert scale.index(shown.group(1)) <= max(scale.index(c) for c in confidences)


def test_a_party_without_a_national_source_is_shown_as_derived_from_the_treaty(
    site: str,
) -> None:
    parties = Path(__file__).resolve().parents[1] / "fixtures" / "reference" / "un1971_parties.csv"
    with parties.open(newline="", encoding="utf-8") as handle:
        party_rows = [r for r in csv.DictReader(handle) if r["status"] == "party"]
    curated = {r["iso_code"] for r in rows()}
    row = next(r for r in party_rows if r["iso3"] not in curated and r["iso3"] == "AGO")
    page = get(site, f"/status/mdma/{row['iso3']}").body
    assert "derived from treaty" in fact(page, "Basis")
    assert "prohibited except research" in fact(page, "Control level")
    assert answer_of(page).startswith(
        f"No national source for MDMA in {row['country']} is recorded yet."
    )


def test_the_world_map_colours_australia_by_its_reference_status(site: str) -> None:
    page = get(site, "/substance/mdma").body
    australia = re.search(r'<path d="[^"]+" class="([^"]+)"[^>]*data-code="AUS"', page)
    assert australia and australia.group(1) == "c2"  # strict medical control: Schedule 8
    before = get(site, "/substance/mdma?as_of=2023-06-30").body
    earlier = re.search(r'<path d="[^"]+" class="([^"]+)"[^>]*data-code="AUS"', before)
    assert earlier and earlier.group(1) == "c1"  # prohibited except research: Schedule 9


def test_the_changes_page_lists_the_australian_change(site: str) -> None:
    page = get(site, "/changes?from=2023-06-01&to=2023-07-31").body
    assert "1 July 2023" in page and "/status/mdma/AUS?as_of=2023-07-01" in page


def test_the_medical_access_map_and_the_csv_follow_the_reference_rows(site: str) -> None:
    medical_css = {"none": "m1", "research-only": "m2", "restricted-prescribing": "m3",
                   "compassionate/special-access": "m4", "approved-medicine": "m5"}
    page = get(site, "/substance/mdma?view=medical").body
    table = get(site, "/substance/mdma?format=csv").body
    by_code = {r["code"]: r for r in csv.DictReader(table.splitlines())}
    checked = 0
    for row in rows():
        code, use = row["iso_code"], row["medical_use_allowed"]
        if not use or "-" in code or code == "EU":
            continue
        if use == "compassionate/special-access":
            continue  # an access route, not the listing's medical use: see the status page test
        shape = re.search(rf'<path d="[^"]+" class="([^"]+)"[^>]*data-code="{code}"', page)
        if shape:  # small states have no outline at 1:110m
            assert shape.group(1).split()[0] == medical_css[use], code
            checked += 1
        assert by_code[code]["medical_use"] == MEDICAL_USE[use], code
    assert checked >= 8


def psychedelic_rows(code: str, substance: str) -> list[dict[str, str]]:
    path = REFERENCE.parent / "psychedelics_status.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle)
                if r["iso_code"] == code and r["substance"].startswith(substance)]


def test_psilocybin_in_oregon_is_federal_law_with_the_states_licensed_services(
    site: str,
) -> None:
    row = next(r for r in psychedelic_rows("US-OR", "psilocybin")
               if r["therapeutic_access"].startswith("Supervised"))
    start = date.fromisoformat(row["effective_from"])
    assert "federally Schedule I" in row["schedule_or_class"]
    sentence = answer_of(get(site, "/status/psilocybin/US-OR").body)
    assert "prohibited in the United States except for research" in sentence
    assert f"in Oregon, since {spoken(start)} licensed services may administer it" in sentence
    before = answer_of(get(site, f"/status/psilocybin/US-OR?as_of={start - timedelta(1)}").body)
    assert "Oregon, since" not in before and "Under the law of the United States" in before


def test_a_city_without_its_own_status_gets_the_states_access_and_the_federal_status(
    site: str,
) -> None:
    row = next(r for r in psychedelic_rows("US-CO", "psilocybin")
               if r["schedule_or_class"].startswith("Licensed healing centers"))
    start = date.fromisoformat(row["effective_from"][:10])
    sentence = answer_of(get(site, "/status/psilocybin/US-CO/denver").body)
    assert sentence.startswith("The graph has no status record of psilocybin for Denver itself.")
    assert f"in Colorado, since {spoken(start)} licensed services" in sentence
