"""The answer page in a real Chromium: what a journalist sees on the first screen of a phone,
misspelt searches that still land on the answer, the grey style of an unknown answer, the
citation formats and the status card."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.browser.conftest import axe_violations, horizontal_overflow

from legalgraph.engine import Basis, engine_for
from legalgraph.namespaces import ID
from legalgraph.store import Store

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize(("typed", "path", "said"), [
    ("extasy australia", "/status/mdma/AUS", "Showing MDMA for “extasy”."),
    ("psilocibin new zealand", "/status/psilocybin/NZL", "Showing psilocybin for “psilocibin”."),
    ("MDMA Austrailia", "/status/mdma/AUS", "Showing Australia for “austrailia”."),
    ("is molly legal in holland", "/status/mdma/NLD", "“molly” is a common name for MDMA."),
])
def test_a_misspelt_or_everyday_search_lands_on_the_answer_and_says_how_it_read_it(
    phone: Page, pages_server: str, shots: Path, typed: str, path: str, said: str
) -> None:
    phone.goto(pages_server + "/")
    phone.get_by_label("Substance and place").fill(typed)
    phone.get_by_label("Substance and place").press("Enter")
    phone.wait_for_url(f"**{path}?q=*")
    expect(phone.locator(".readings")).to_contain_text(said)
    expect(phone.locator("#answer")).to_be_visible()
    phone.screenshot(path=str(shots / f"search-{typed.replace(' ', '-')}.png"))


def test_the_first_screen_of_a_phone_holds_the_whole_answer(
    phone: Page, pages_server: str, shots: Path
) -> None:
    phone.goto(pages_server + "/status/mdma/AUS?as_of=2023-07-01")
    first = phone.locator("section.first")
    for part in (first.locator("#answer"), first.locator(".badge"), first.locator(".since"),
                 first.locator(".best-source a").first,
                 first.get_by_role("link", name="Cite this")):
        expect(part).to_be_visible()
        box = part.bounding_box()
        assert box and box["y"] + box["height"] <= 844, "below the first screen of a phone"
    expect(first.locator(".since")).to_have_text("since 1 July 2023")
    phone.screenshot(path=str(shots / "answer-first-screen-phone.png"))


def test_an_unknown_answer_is_grey_and_says_it_is_a_gap(
    phone: Page, pages_server: str, shots: Path
) -> None:
    phone.goto(pages_server + "/status/psilocybin-mushrooms/TUV")
    first = phone.locator("section.first")
    expect(first).to_have_class("first answer--unknown")
    style = first.locator("#answer").evaluate(
        "e => [getComputedStyle(e).borderLeftStyle, getComputedStyle(e).backgroundColor]")
    assert style[0] == "dashed"
    red, green, blue = (int(v) for v in style[1][4:-1].split(",")[:3])
    assert red == green == blue, "an unknown answer is grey, not a colour of a level"
    expect(first).to_contain_text("not an answer")
    expect(first.locator(".badge.unknown")).to_have_text("no data")
    expect(phone.get_by_role("heading", name="Help fill this gap")).to_be_visible()
    # no empty cards: what is known instead (here, that Tuvalu is not a party to the treaty)
    expect(phone.get_by_role("heading", name="What we do know")).to_be_visible()
    expect(phone.locator("ul.known")).to_contain_text("Tuvalu")
    assert phone.locator("details.card").filter(has_text="no status record").count() == 0
    phone.screenshot(path=str(shots / "answer-unknown-phone.png"), full_page=True)


def test_an_unknown_answer_lists_its_neighbours_as_links_that_fit_a_phone(
    phone: Page, pages_server: str, shots: Path, store: Store
) -> None:
    engine = engine_for(store)
    mdma, day = f"{ID}substance/mdma", date(2026, 12, 4)
    place = max((p for p in engine.countries()
                 if engine.status(mdma, p.iri, day).basis is Basis.UNKNOWN),
                key=lambda p: len(engine.neighbours(p.iri)))
    neighbours = engine.neighbours(place.iri)
    assert neighbours, "no unknown answer with neighbours to show"
    phone.goto(f"{pages_server}/status/mdma/{place.code}?as_of={day.isoformat()}")
    links = phone.locator("#neighbours a")
    expect(links).to_have_count(len(neighbours))
    for index in range(len(neighbours)):
        box = links.nth(index).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert horizontal_overflow(phone) == 0
    assert axe_violations(phone) == []
    phone.screenshot(path=str(shots / "answer-unknown-neighbours-phone.png"), full_page=True)
    first = neighbours[0]
    expect(links.first).to_contain_text(first.name)
    links.first.click()
    phone.wait_for_url(f"**/status/mdma/{first.code}?as_of={day.isoformat()}")
    expect(phone.locator("h1")).to_contain_text(first.name)


def test_cite_this_offers_text_bibtex_ris_and_csl_json(
    chromium: Browser, pages_server: str, shots: Path
) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(pages_server + "/status/mdma/AUS?as_of=2023-07-01")
    page.get_by_role("link", name="Cite this").click()
    expect(page.locator("#cite-text")).to_contain_text("MDMA in Australia, as of 1 July 2023")
    page.get_by_text("BibTeX, RIS and CSL-JSON").click()
    expect(page.locator("#cite-bibtex")).to_contain_text("@misc{legalgraph-mdma-AUS-2023-07-01")
    expect(page.locator("#cite-ris")).to_contain_text("TY  - DATA")
    expect(page.locator("#cite-csl")).to_contain_text('"type": "dataset"')
    for pre in ("#cite-bibtex", "#cite-ris", "#cite-csl"):
        expect(page.locator(pre)).to_contain_text("/status/mdma/AUS?as_of=2023-07-01")
    page.locator("#cite").screenshot(path=str(shots / "cite-this.png"))
    context.close()


def test_the_status_card_renders_as_svg_and_png(
    chromium: Browser, pages_server: str, shots: Path
) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(pages_server + "/status/mdma/AUS?as_of=2023-07-01")
    preview = page.locator("img.card-preview")
    preview.scroll_into_view_if_needed()
    expect(preview).to_be_visible()
    page.wait_for_function("() => document.querySelector('img.card-preview').complete")
    assert preview.evaluate("img => img.naturalWidth") == 1200
    embed = page.locator("#card-embed").inner_text()
    assert embed.startswith('<a href="') and "/card.svg?as_of=2023-07-01" in embed
    og = page.locator('meta[property="og:image"]').get_attribute("content")
    assert og and og.endswith("/card.png?as_of=2023-07-01")
    page.goto(og)
    size = page.evaluate("[document.images[0].naturalWidth, document.images[0].naturalHeight]")
    assert size == [1200, 630]
    page.screenshot(path=str(shots / "status-card-png.png"))
    page.goto(pages_server + "/status/mdma/AUS/card.svg?as_of=2023-07-01")
    expect(page.locator("text").filter(has_text="MDMA in Australia")).to_have_count(1)
    expect(page.locator("text").filter(has_text="strict medical control")).to_have_count(1)
    page.screenshot(path=str(shots / "status-card-svg.png"))
    context.close()


def test_compare_on_a_phone_shows_every_place_for_every_substance(
    phone: Page, pages_server: str, shots: Path
) -> None:
    places = ("Australia", "New Zealand", "United States", "Canada", "Switzerland", "Netherlands")
    phone.goto(pages_server + "/compare?places=AUS,NZL,USA,CAN,CHE,NLD&substances=mdma,psilocybin")
    cells = phone.locator("table.compare-grid tbody td")
    assert cells.count() == 12
    labels = cells.evaluate_all("cells => cells.map(c => c.dataset.label)")
    assert labels == list(places) * 2
    for cell in cells.all():
        box = cell.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        label = cell.evaluate("c => getComputedStyle(c, '::before').content")
        assert label.strip('"') in places  # each stacked cell names its place
    phone.screenshot(path=str(shots / "compare-phone.png"), full_page=True)


def test_the_changes_page_gives_one_line_per_change(
    phone: Page, pages_server: str, shots: Path
) -> None:
    phone.goto(pages_server + "/changes?from=2023-06-01&to=2023-07-31")
    mdma = phone.locator("ol.changes li").filter(has_text="MDMA in Australia").filter(
        has_text="Schedule 8")
    expect(mdma).to_have_count(1)
    expect(mdma).to_contain_text("from prohibited except research")
    expect(mdma).to_have_class("replaced")
    expect(phone.locator("ol.changes")).not_to_contain_text("status assertion ended")
    phone.screenshot(path=str(shots / "changes-phone.png"), full_page=True)
