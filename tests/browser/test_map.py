"""The world map and its table in a real Chromium: colours that stay apart for red-green colour
blindness, sorting by strictness, a CSV that is what the table shows, a header that sticks, and
countries that open their answer."""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

#: Machado, Oliveira and Fernandes (2009), deuteranopia at severity 1.0, on linear RGB.
DEUTERANOPIA = ((0.367322, 0.860646, -0.227968),
                (0.280085, 0.672501, 0.047413),
                (-0.011820, 0.042940, 0.968881))
#: The smallest CIE76 colour difference two legend entries may have, as a deuteranope sees
#: them (about 2.3 is "just noticeable"; 20 is clearly another colour).
LEAST_DIFFERENCE = 20.0


def _linear(c: int) -> float:
    v = c / 255
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _encode(v: float) -> int:
    v = min(max(v, 0.0), 1.0)
    return round(255 * (v * 12.92 if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055))


def deuteranope(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
    """The linear RGB a deuteranope perceives for ``rgb``."""
    lin = [_linear(c) for c in rgb]
    out = [min(max(sum(m * v for m, v in zip(row, lin, strict=True)), 0.0), 1.0)
           for row in DEUTERANOPIA]
    return out[0], out[1], out[2]


def lab(linear: tuple[float, float, float]) -> tuple[float, float, float]:
    """CIELAB (D65) of a linear RGB colour."""
    r, g, b = linear
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def simulate(image: Image.Image) -> Image.Image:
    """``image`` as a deuteranope sees it (for the saved screenshot)."""
    table = [_linear(c) for c in range(256)]
    data = image.convert("RGB").tobytes()
    seen: dict[bytes, bytes] = {}
    out = bytearray()
    for i in range(0, len(data), 3):
        pixel = data[i:i + 3]
        if pixel not in seen:
            seen[pixel] = bytes(_encode(sum(m * table[v] for m, v in zip(row, pixel,
                                                                         strict=True)))
                                for row in DEUTERANOPIA)
        out += seen[pixel]
    return Image.frombytes("RGB", image.size, bytes(out))


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900},
                                   accept_downloads=True)
    yield context.new_page()
    context.close()


def swatch_colours(page: Page) -> dict[str, tuple[int, int, int]]:
    """Each legend entry's swatch as drawn on the screen (the middle pixel of a screenshot)."""
    colours = {}
    for swatch in page.locator(".legend .swatch:not(.hatched)").all():
        shot = Image.open(io.BytesIO(swatch.screenshot())).convert("RGB")
        r, g, b = shot.getpixel((shot.width // 2, shot.height // 2))  # type: ignore[misc]
        label = swatch.evaluate("e => e.parentElement.textContent.trim()")
        colours[label] = (r, g, b)
    return colours


@pytest.mark.parametrize("view", ["control", "medical"])
def test_the_legend_colours_stay_apart_under_simulated_deuteranopia(
    page: Page, pages_server: str, shots: Path, view: str
) -> None:
    page.goto(f"{pages_server}/substance/psilocybin?view={view}")
    colours = swatch_colours(page)
    assert len(colours) == (6 if view == "control" else 7)  # the keys and "no data"
    seen = {name: lab(deuteranope(rgb)) for name, rgb in colours.items()}
    closest = min(((math.dist(seen[a], seen[b]), a, b)
                   for a, b in itertools.combinations(seen, 2)))
    assert closest[0] >= LEAST_DIFFERENCE, closest
    shot = shots / f"map-{view}.png"
    page.locator("figure.map").screenshot(path=str(shot))
    simulate(Image.open(shot)).save(shots / f"map-{view}-deuteranopia.png")


def test_the_control_map_uses_several_colours_and_each_country_opens_its_answer(
    page: Page, pages_server: str
) -> None:
    page.goto(pages_server + "/substance/mdma")
    fills = set(page.locator("figure.map path[data-href]").evaluate_all(
        "paths => paths.map(p => getComputedStyle(p).fill)"))
    assert len(fills) >= 3
    assert page.locator("figure.map svg a").count() == 0  # no link inside the role=img map
    page.locator('path[data-code="AUS"]').click()
    page.wait_for_url("**/status/mdma/AUS?as_of=*")
    expect(page.locator("#answer")).to_contain_text("Australia")


def _level_ranks(page: Page) -> list[int]:
    values = page.locator("#jurisdictions tbody td[data-sort]").evaluate_all(
        "cells => cells.filter(c => !c.closest('tr').hidden).map(c => c.dataset.sort)")
    return [int(v) for v in values if v != ""]


def test_sorting_by_level_sorts_by_strictness(page: Page, pages_server: str) -> None:
    page.goto(pages_server + "/substance/psilocybin")
    page.get_by_role("link", name="Control level").click()
    ranks = _level_ranks(page)
    assert len(set(ranks)) >= 2 and ranks == sorted(ranks)
    first = page.locator("#jurisdictions tbody tr").first
    expect(first).to_contain_text("prohibited except research")  # rank 1, the strictest
    page.get_by_role("link", name="Control level").click()
    assert _level_ranks(page) == sorted(ranks, reverse=True)


def test_sorting_by_level_works_without_javascript(chromium: Browser, pages_server: str) -> None:
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(pages_server + "/substance/psilocybin?sort=control_level")
    ranks = _level_ranks(page)
    assert len(set(ranks)) >= 2 and ranks == sorted(ranks)
    context.close()


def test_the_csv_download_is_the_filtered_table(page: Page, pages_server: str) -> None:
    page.goto(pages_server + "/substance/mdma")
    page.get_by_label("Filter").fill("Austr")
    shown = page.locator("#jurisdictions tbody tr:not([hidden])").count()
    assert 2 <= shown < 20
    with page.expect_download() as info:
        page.locator("#download-csv").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text("utf-8"))))
    assert len(rows) == shown
    assert {"Australia", "Austria"} <= {r["name"] for r in rows}


def test_the_table_header_sticks_while_the_table_scrolls(page: Page, pages_server: str) -> None:
    page.goto(pages_server + "/substance/mdma")
    wrap = page.locator(".table-wrap")
    wrap.scroll_into_view_if_needed()
    scrolled = wrap.evaluate("w => { w.scrollTop = 1500; return w.scrollTop; }")
    assert scrolled > 500, "the table scrolls inside its box, under its header"
    head = page.locator("#jurisdictions thead th").first.bounding_box()
    box = wrap.bounding_box()
    assert head and box and abs(head["y"] - box["y"]) <= 2, (head, box)
    expect(page.locator("#jurisdictions thead th").first).to_be_visible()


def test_on_a_phone_the_table_keeps_basis_and_confidence(
    chromium: Browser, pages_server: str, shots: Path
) -> None:
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(pages_server + "/substance/mdma?filter=Australia")
    row = page.locator("#jurisdictions tbody tr").first
    for label in ("Basis", "Confidence", "Control level"):
        cell = row.locator(f'td[data-label="{label}"]')
        box = cell.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (label, box)
    badge = row.locator(".badge").first.bounding_box()
    assert badge and badge["x"] + badge["width"] <= 390
    page.screenshot(path=str(shots / "map-table-phone.png"), full_page=True)
    context.close()


def test_the_medical_view_shows_the_access_routes_in_force(page: Page, pages_server: str) -> None:
    page.goto(pages_server + "/substance/psilocybin?view=medical&as_of=2026-01-01")
    legend = page.get_by_label("Legend")
    for route in ("approved medicine", "authorised prescribers", "special or compassionate "
                  "access", "supervised services", "research only", "no medical use"):
        expect(legend).to_contain_text(route)
    # Australia: authorised psychiatrists may prescribe (since 1 July 2023)
    expect(page.locator('path[data-code="AUS"]')).to_have_class("m3")
    elsewhere = page.locator("#access-elsewhere")  # states are not outlined on the map
    expect(elsewhere).to_contain_text("Oregon: supervised services")
    expect(elsewhere).to_contain_text("Colorado: supervised services")
    page.goto(pages_server + "/substance/esketamine?view=medical&as_of=2026-01-01")
    expect(page.locator('path[data-code="USA"]')).to_have_class("m5")  # Spravato, FDA 2019
