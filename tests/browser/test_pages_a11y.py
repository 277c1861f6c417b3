"""Every page type in a real Chromium at a laptop's and a phone's width: axe-core finds no
violation in our markup, and no page scrolls sideways on a 390 px screen.

The SPARQL editor's widget (YASGUI, vendored) is not our markup and is left out of the axe
run; the page around it is checked, and it must not scroll sideways either, after running a
query. Each page is saved as a screenshot under ``test-output/``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.browser.conftest import WIDTHS, axe_violations, horizontal_overflow

pytestmark = pytest.mark.browser

#: One address of each page type (and the states that look different: unknown, medical view).
PAGES = {
    "home": "/",
    "search": "/search?q=mdma+nigr",
    "status": "/status/mdma/AUS",
    "status-before": "/status/mdma/AUS?as_of=2023-06-30",
    "status-unknown": "/status/psilocybin-mushrooms/TUV",
    "status-unknown-neighbours": "/status/mdma/SSD?as_of=2026-12-04",
    "status-city": "/status/psilocybin/US-CO/denver",
    "substance": "/substance/mdma",
    "substance-medical": "/substance/psilocybin?view=medical",
    "place": "/place/USA",
    "compare": "/compare?places=AUS,NZL,USA,CAN,CHE,NLD&substances=mdma,psilocybin",
    "changes": "/changes",
    "resource": "/id/dataset",
    "record": "/id/record/status/AUS/mdma/1",
    "not-found": "/no/such/page",
}


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def page(request: pytest.FixtureRequest, chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": request.param, "height": 900})
    yield context.new_page()
    context.close()


def _width(page: Page) -> int:
    size = page.viewport_size
    assert size is not None
    return size["width"]


@pytest.mark.parametrize("name", list(PAGES))
def test_the_page_has_no_axe_violation_and_fits_the_screen(
    page: Page, pages_server: str, shots: Path, name: str
) -> None:
    reply = page.goto(pages_server + PAGES[name])
    assert reply is not None and reply.status in (200, 404)
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1)
    assert horizontal_overflow(page) == 0, f"{name} scrolls sideways at {_width(page)} px"
    page.screenshot(path=str(shots / f"a11y-{name}-{_width(page)}.png"), full_page=True)


def test_the_sparql_editor_fits_the_screen_after_running_an_example(
    page: Page, pages_server: str, shots: Path
) -> None:
    page.goto(pages_server + "/sparql")
    page.evaluate("window.localStorage.clear()")
    page.reload()
    page.select_option("#examples", index=1)
    page.locator(".yasqe .yasqe_queryButton").last.click()
    expect(page.locator(".yasr").last).to_contain_text("Showing", timeout=30000)
    violations = axe_violations(page, exclude=["#yasgui"])
    assert violations == [], json.dumps(violations, indent=1)
    assert horizontal_overflow(page) == 0, f"the editor scrolls sideways at {_width(page)} px"
    page.screenshot(path=str(shots / f"a11y-sparql-{_width(page)}.png"), full_page=True)


def test_a_query_error_in_the_editor_reads_as_a_message(
    page: Page, pages_server: str, shots: Path
) -> None:
    page.goto(pages_server + "/sparql")
    page.evaluate("window.localStorage.clear()")
    page.reload()
    page.evaluate("() => { window.legalgraphYasgui.getTab()"
                  ".setQuery('SELECT * WHERE { ?s ?p }'); }")
    page.locator(".yasqe .yasqe_queryButton").last.click()
    error = page.locator(".yasr .errorResult .query-error").last
    expect(error).to_be_visible(timeout=30000)
    text = error.inner_text()
    assert '{"' not in text and '"message"' not in text, f"raw JSON shown: {text!r}"
    assert text.startswith("Malformed query"), text
    assert "line 1, column 18" in text, text
    assert horizontal_overflow(page) == 0
    page.screenshot(path=str(shots / f"sparql-error-{_width(page)}.png"), full_page=True)
