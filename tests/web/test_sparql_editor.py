"""The query editor in a real headless Chromium: it loads from this server alone, offers the
named queries, runs one and shows the results as a table, and links to downloads."""

from __future__ import annotations

import shutil
import urllib.parse
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from legalgraph import queries

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    opened = context.new_page()
    yield opened
    context.close()


def test_editor_runs_a_named_query_from_this_server_only(live_server: str, page: Page) -> None:
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urllib.parse.urlsplit(r.url).netloc))
    page.goto(live_server + "/sparql")
    page.wait_for_selector(".yasqe .CodeMirror")
    editor_text = page.evaluate("window.legalgraphYasgui.getTab().getQuery()")
    assert "PREFIX lg: <https://w3id.org/legalgraph/ontology#>" in editor_text

    names = page.eval_on_selector_all("#examples option[data-name]",
                                      "options => options.map(o => o.dataset.name)")
    assert names == list(queries.all_queries())

    named = queries.get("coverage")
    index = names.index("coverage")
    page.select_option("#examples", str(index))
    assert page.evaluate("window.legalgraphYasgui.getTab().getQuery()") == named.text
    page.locator(".yasqe_queryButton:visible").click()
    page.locator(".yasr table tbody tr td:visible").first.wait_for(timeout=20000)
    headers = page.locator(".yasr table thead th:visible").all_text_contents()
    assert "jurisdiction" in headers
    assert hosts == {urllib.parse.urlsplit(live_server).netloc}


def test_editor_download_link_gets_csv(live_server: str, page: Page) -> None:
    page.goto(live_server + "/sparql")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.evaluate("() => { window.legalgraphYasgui.getTab().setQuery("
                  "'SELECT ?c WHERE { ?c a lg:Country } ORDER BY ?c LIMIT 3'); }")
    with page.expect_download() as download_info:
        page.click("#downloads a[data-format=csv]")
    path = download_info.value.path()
    lines = path.read_text().splitlines()
    assert lines[0] == "c"
    assert len(lines) == 4
    assert all(line.startswith("https://w3id.org/legalgraph/id/") for line in lines[1:])


def test_share_link_is_a_permalink_to_the_query(live_server: str, browser: Browser) -> None:
    context = browser.new_context()
    try:
        first = context.new_page()
        first.goto(live_server + "/sparql")
        first.wait_for_selector(".yasqe .CodeMirror")
        assert first.locator(".yasqe_share:visible").count() == 1
        query = "SELECT ?c WHERE { ?c a lg:Country } ORDER BY ?c LIMIT 2"
        link = first.evaluate(
            "(q) => { const tab = window.legalgraphYasgui.getTab(); tab.setQuery(q);"
            " const yasqe = tab.getYasqe(); return yasqe.config.createShareableLink(yasqe); }",
            query,
        )
        assert link.startswith(live_server + "/sparql#")
    finally:
        context.close()
    fresh = browser.new_context()
    try:
        second = fresh.new_page()
        second.goto(link)
        second.wait_for_selector(".yasqe .CodeMirror")
        assert second.evaluate("window.legalgraphYasgui.getTab().getQuery()") == query
    finally:
        fresh.close()
