"""A journalist's visit in a real headless Chromium: search, answer, map, comparison.

The assertions are about what a person sees (the sentence, the dates, the legend, a coloured
Australia), with the expected facts taken from the reference rows; each step saves a
screenshot under ``test-output/``.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

REFERENCE = Path(__file__).resolve().parents[1] / "fixtures" / "reference" / "mdma_status.csv"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

pytestmark = pytest.mark.browser


def australia() -> dict[str, str]:
    with REFERENCE.open(newline="", encoding="utf-8") as handle:
        return next(r for r in csv.DictReader(handle) if r["iso_code"] == "AUS")


def spoken(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@pytest.fixture
def page(chromium: Browser) -> Page:
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    return context.new_page()


def test_search_answer_map_and_comparison(page: Page, pages_server: str, shots: Path) -> None:
    row = australia()
    change = date.fromisoformat(row["effective_from"])

    # Home: one search box with typeahead from the graph's names.
    page.goto(pages_server + "/")
    expect(page.get_by_role("heading", name="Is it legal there?")).to_be_visible()
    box = page.get_by_label("Substance and place")
    box.press_sequentially("ecstasy austral", delay=20)
    expect(page.locator("#q-list li").first).to_contain_text("Australia")
    page.screenshot(path=str(shots / "1-home-typeahead.png"))
    box.fill("MDMA Australia")
    box.press("Enter")

    # Status: the plain answer first, with the date of the change.
    page.wait_for_url("**/status/mdma/AUS")
    answer = page.locator("#answer")
    expect(answer).to_contain_text("MDMA is prohibited in Australia, except that since "
                                   f"{spoken(change)}")
    expect(answer).to_contain_text("prescribe it for PTSD")
    expect(page.get_by_text("strict medical control").first).to_be_visible()
    expect(page.get_by_role("heading", name="Cite this")).to_be_visible()
    page.screenshot(path=str(shots / "2-status-today.png"), full_page=True)

    # The as-of control: the day before the change.
    page.get_by_label("As of").fill((change - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**as_of=2023-06-30")
    expect(answer).to_contain_text("MDMA was prohibited in Australia except for research")
    expect(answer).to_contain_text("it could not be prescribed")
    # the Schedule 9 record has no recorded start: it holds since its sources' date, and says so
    expect(answer).to_contain_text("since at least")
    expect(page.get_by_role("heading", name=f"Status on {spoken(change - timedelta(days=1))}"))\
        .to_be_visible()
    page.screenshot(path=str(shots / "3-status-before.png"), full_page=True)

    # Substance map: legend, unknown colour, and Australia coloured by its control level.
    page.get_by_role("link", name="MDMA worldwide").click()
    page.wait_for_url("**/substance/mdma**")
    legend = page.get_by_label("Legend")
    for label in ("prohibited except research", "strict medical control", "no data"):
        expect(legend).to_contain_text(label)
    page.goto(pages_server + "/substance/mdma")
    aus = page.locator('path[data-code="AUS"]')
    strict = aus.evaluate("e => getComputedStyle(e).fill")
    unknown = page.locator("path.unknown").first.evaluate("e => getComputedStyle(e).fill")
    prohibited = page.locator("path.c1:not(.derived)").first.evaluate(
        "e => getComputedStyle(e).fill")
    assert strict.startswith("rgb(") and len({strict, unknown, prohibited}) == 3
    swatch = page.locator(".legend .swatch.c2").evaluate(
        "e => getComputedStyle(e).backgroundColor")
    assert swatch == strict, "Australia is drawn in the legend's 'strict medical control' colour"
    expect(page.locator("#jurisdictions")).to_contain_text("Australia")
    aus.hover()
    expect(page.locator("#map-hover")).to_have_text("Australia: strict medical control")
    page.screenshot(path=str(shots / "4-substance-map.png"))

    # Compare, with a shareable URL.
    page.get_by_role("link", name="Compare").first.click()
    page.get_by_label("Places (2 to 6, separated by commas)").fill("Australia, New Zealand")
    page.get_by_label("Substances (1 to 6)").fill("MDMA")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/compare?**")
    grid = page.locator("table.compare-grid")
    expect(grid).to_contain_text("Australia")
    expect(grid).to_contain_text("New Zealand")
    expect(grid).to_contain_text(f"since {spoken(change)}")
    share = page.get_by_text("Share this comparison").locator("a")
    assert "places=AUS,NZL" in (share.get_attribute("href") or "").replace("%2C", ",")
    page.screenshot(path=str(shots / "5-compare.png"), full_page=True)


def test_the_answer_works_without_javascript_on_a_phone(
    chromium: Browser, pages_server: str, shots: Path
) -> None:
    context = chromium.new_context(java_script_enabled=False,
                                   viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(pages_server + "/")
    page.get_by_label("Substance and place").fill("is ecstasy legal in the Netherlands")
    page.get_by_role("button", name="Look up").click()
    page.wait_for_url("**/status/mdma/NLD?q=*")
    expect(page.locator("#answer")).to_contain_text("prohibited in the Netherlands")
    expect(page.locator(".readings")).to_have_text("“ecstasy” is a common name for MDMA.")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"
    page.screenshot(path=str(shots / "6-phone-no-js.png"), full_page=True)
    page.goto(pages_server + "/search?q=mdma+nigr")
    expect(page.get_by_text("Did you mean")).to_contain_text("Niger")
    expect(page.get_by_text("Did you mean")).to_contain_text("Nigeria")
    context.close()


def test_keyboard_reaches_the_search_and_the_typeahead(page: Page, pages_server: str) -> None:
    page.goto(pages_server + "/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id || document.activeElement.textContent")
    assert focused  # something labelled has focus
    box = page.get_by_label("Substance and place")
    box.focus()
    box.press_sequentially("psilocybin new zeal", delay=20)
    expect(page.locator("#q-list li").first).to_contain_text("New Zealand")
    box.press("ArrowDown")
    expect(page.locator("#q-list li").first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    assert box.input_value().startswith("psilocybin New Zealand")
    box.press("Enter")
    page.wait_for_url("**/status/psilocybin/NZL")
    expect(page.locator("#answer")).to_contain_text("New Zealand")
