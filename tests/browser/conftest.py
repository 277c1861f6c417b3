"""Fixtures for the browser tests: the app on waitress in a thread, and headless Chromium.

Chromium is Debian's ``/usr/bin/chromium`` driven by Playwright (never a downloaded browser).
Screenshots go to ``test-output/`` at the top of the repository (ignored by git). axe-core is
vendored under ``vendor/axe-core`` with its licence and injected into the pages it checks.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from tests.servers import serve_in_thread

from legalgraph.store import Store

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def pages_server(store: Store) -> Iterator[str]:
    """The real app over the shipped graph, on waitress in a thread on a free port."""
    with serve_in_thread(store) as base:
        yield base


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """One Playwright driver per module: only one may run at a time in a process."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    SHOTS.mkdir(exist_ok=True)
    return SHOTS


AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
#: Widths a page is checked at: a laptop and a phone (iPhone 12 to 15).
WIDTHS = (1280, 390)


def axe_violations(page: Page, exclude: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The axe-core violations on the page as it is now (WCAG 2.x A and AA, best practices),
    leaving out the parts ``exclude`` names (CSS selectors of markup that is not ours)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    assert page.evaluate("axe.version") == AXE_VERSION
    context = {"exclude": [[s] for s in exclude]} if exclude else {"exclude": []}
    found: list[dict[str, Any]] = page.evaluate(
        """async (context) => {
          const result = await axe.run(context, {resultTypes: ["violations"]});
          return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
        }""",
        context,
    )
    return found


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0 when it does not scroll)."""
    width: int = page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - window.innerWidth")
    return max(width, 0)
