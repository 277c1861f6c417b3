"""The lookup pages over HTTP: escaping, bad input, suggestions, formats, resource IRIs.

These tests serve a small fixture graph (the ontology, the jurisdictions file and
``tests/fixtures/web/hostile.ttl``, whose names and texts are markup) with waitress on
127.0.0.1, and read the pages with a plain HTTP client. The legal answers are checked against
the reference rows in ``test_pages_answers.py``.
"""

from __future__ import annotations

import html
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph
from tests.servers import serve_in_thread

from legalgraph import build, paths

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ROOT / "tests" / "fixtures" / "web" / "hostile.ttl"
MARKUP = ("<script>alert(1)", "<img src=x onerror", "<script>alert(5)", "<iframe",
          "<svg onload", "<script>alert(8)", "<b onmouseover")


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str




def get(base: str, path: str, accept: str | None = None) -> Reply:
    """GET without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(base + path, headers={"Accept": accept} if accept else {})
    try:
        with opener.open(request, timeout=30) as response:
            return Reply(response.status, dict(response.headers),
                         response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        return Reply(error.code, dict(error.headers), error.read().decode("utf-8"))


@pytest.fixture(scope="module")
def hostile() -> Iterator[str]:
    files = [*paths.turtle_files(paths.ONTOLOGY_DIR), paths.DATA_DIR / "jurisdictions.ttl",
             HOSTILE]
    with serve_in_thread(build.load(files)) as base:
        yield base


@pytest.mark.parametrize("path", [
    "/status/fixture-x/ZZ-X",
    "/status/fixture-x/ZZ-X?as_of=2021-06-01",
    "/substance/fixture-x",
    "/place/ZZ-X",
    "/place/AUS",
    "/compare?places=ZZ-X,AUS&substances=fixture-x",
    "/changes?from=2019-01-01&to=2022-01-01",
    "/changes.atom?from=2019-01-01&to=2022-01-01",
    "/id/record/status/ZZ-X/fixture-x/1",
    "/search?q=fixturex",
    "/search?q=fixturex+fixtureland",
    "/status/fixture-x/ZZ-X/card.svg",
])
def test_labels_with_markup_render_as_text(hostile: str, path: str) -> None:
    reply = get(hostile, path)
    assert reply.status in (200, 302), reply.body[:500]
    for needle in MARKUP:
        assert needle not in reply.body, f"{needle!r} unescaped on {path}"
    assert 'href="javascript:' not in reply.body
    if reply.status == 200 and "atom" not in path and "/search" not in path:
        assert "&lt;" in reply.body


def test_the_markup_label_is_shown_escaped_in_the_answer(hostile: str) -> None:
    body = get(hostile, "/status/fixture-x/ZZ-X").body
    assert "&lt;script&gt;alert&lt;/script&gt; is prohibited in " in body
    assert "&lt;img src=x onerror=alert(2)&gt;" in body
    assert "&lt;svg onload=alert(7)&gt;" in body
    assert "A source whose address is a script" in body and "javascript:alert(9)" in body


def test_the_atom_feed_is_well_formed_xml_with_the_changes(hostile: str) -> None:
    from xml.etree import ElementTree

    reply = get(hostile, "/changes.atom?from=2019-01-01&to=2022-01-01")
    assert reply.headers["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(reply.body)
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [e.findtext(f"{atom}title") or "" for e in feed.iter(f"{atom}entry")]
    assert any(t.startswith("1 January 2021: <script>alert</script> in ") for t in titles)
    assert any(t.startswith("1 January 2020:") for t in titles)


@pytest.mark.parametrize(("path", "status", "words"), [
    ("/status/fixture-x/nigr", 404, ("Niger", "Nigeria")),
    ("/status/fixture-x/Atlantis", 404, ("unknown place",)),
    ("/status/nothing-like-this/AUS", 404, ("unknown substance",)),
    ("/status/fixture-x/ZZ-X?as_of=2023-13-01", 400, ("malformed as_of date", "YYYY-MM-DD")),
    ("/status/fixture-x/ZZ-X?format=pdf", 400, ("unknown format",)),
    ("/substance/fixture-x?view=weather", 400, ("unknown view",)),
    ("/substance/fixture-x?sort=%3Cscript%3E", 400, ("unknown sort column",)),
    ("/changes?from=2024-01-01&to=2023-01-01", 400, ("starts",)),
    ("/changes?from=yesterday", 400, ("malformed",)),
    ("/place/Narnia", 404, ("unknown place",)),
    ("/id/nothing/here", 404, ("nothing about",)),
    ("/id/..%2f..%2fetc/passwd", 404, ()),
    ("/no/such/page", 404, ("Not found",)),
])
def test_bad_input_gets_a_clear_page_never_a_500(
    hostile: str, path: str, status: int, words: tuple[str, ...]
) -> None:
    reply = get(hostile, path)
    assert reply.status == status
    assert reply.headers["Content-Type"].startswith("text/html")
    for word in words:
        assert word in reply.body
    assert "Traceback" not in reply.body


def test_a_misspelt_place_in_the_search_box_gets_suggestions(hostile: str) -> None:
    body = get(hostile, "/search?q=fixturex+nigr").body
    assert "Did you mean" in body
    assert ">Niger</a>" in body and ">Nigeria</a>" in body
    assert "/status/fixture-x/NER" in body


def test_search_with_substance_and_place_redirects_to_the_permalink(hostile: str) -> None:
    reply = get(hostile, "/search?q=is+fixturex+legal+in+Fixtureland")
    assert reply.status == 302
    # the words go along so that the answer can say how they were read; the page's canonical
    # link is the permalink itself
    location = reply.headers["Location"]
    assert location.split("?")[0].endswith("/status/fixture-x/ZZ-X")
    assert "q=is+fixturex+legal+in+Fixtureland" in location
    page = get(hostile, location).body
    assert '<link rel="canonical" href="' in page
    assert re.search(r'<link rel="canonical" href="[^"]*/status/fixture-x/ZZ-X\?as_of=[0-9-]+">',
                     page)


def test_names_in_the_status_url_redirect_to_the_canonical_one(hostile: str) -> None:
    reply = get(hostile, "/status/fixturex/fixtureland?as_of=2021-06-01")
    assert reply.status == 301
    assert reply.headers["Location"].endswith("/status/fixture-x/ZZ-X?as_of=2021-06-01")


def test_typeahead_offers_labels_and_synonyms(hostile: str) -> None:
    items = json.loads(get(hostile, "/suggest?q=austral").body)
    labels = [i["label"] for i in items]
    assert "Australia" in labels and "Austria" not in labels
    assert all(set(i) == {"kind", "label", "matched", "slug"} for i in items)
    assert json.loads(get(hostile, "/suggest?q=fixturel").body)[0]["slug"] == "ZZ-X"


@pytest.mark.parametrize(("fmt", "media"), [
    ("ttl", "text/turtle"), ("jsonld", "application/ld+json"),
])
def test_status_facts_as_rdf_hold_the_records_and_their_sources(
    hostile: str, fmt: str, media: str
) -> None:
    reply = get(hostile, f"/status/fixture-x/ZZ-X?format={fmt}")
    assert reply.status == 200 and reply.headers["Content-Type"].startswith(media)
    graph = Graph().parse(data=reply.body, format="turtle" if fmt == "ttl" else "json-ld")
    subjects = {str(s) for s in graph.subjects()}
    assert "https://w3id.org/legalgraph/id/record/status/ZZ-X/fixture-x/1" in subjects
    assert "https://w3id.org/legalgraph/id/source/fixture00001" in subjects


def test_status_facts_as_csv_have_one_row_per_record(hostile: str) -> None:
    import csv

    reply = get(hostile, "/status/fixture-x/ZZ-X?format=csv&as_of=2020-06-01")
    rows = list(csv.DictReader(reply.body.splitlines()))
    assert {r["kind"] for r in rows} == {"status", "authorization"}
    in_force = {r["kind"]: r["in_force"] for r in rows}
    assert in_force == {"status": "True", "authorization": "False"}


@pytest.mark.parametrize(("accept", "media"), [
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
])
def test_resource_iris_negotiate_rdf_for_machines(hostile: str, accept: str, media: str) -> None:
    reply = get(hostile, "/id/record/status/ZZ-X/fixture-x/1", accept=accept)
    assert reply.status == 200 and reply.headers["Content-Type"].startswith(media)
    assert "ProhibitedExceptResearch" in reply.body


def test_resource_iris_send_browsers_to_the_pages(hostile: str) -> None:
    html = "text/html,application/xhtml+xml,*/*;q=0.8"
    assert get(hostile, "/id/jurisdiction/AUS", html).headers["Location"].endswith("/place/AUS")
    substance = get(hostile, "/id/substance/fixture-x", html)
    assert substance.status == 303
    assert substance.headers["Location"].endswith("/substance/fixture-x")
    record = get(hostile, "/id/record/status/ZZ-X/fixture-x/1", html)
    assert record.status == 200 and "lg:controlLevel" in record.body


def test_the_substance_page_answers_without_javascript(hostile: str) -> None:
    body = get(hostile, "/substance/fixture-x?filter=zz-x&sort=code").body
    assert 'data-code="ZZ-X"' not in body  # subdivisions have no shape on the world map
    assert "1 of" in body and "jurisdictions" in body
    assert "no data" in body and "prohibited except research" in body
    csv_reply = get(hostile, "/substance/fixture-x?format=csv")
    assert csv_reply.headers["Content-Type"].startswith("text/csv")
    assert "ZZ-X" in csv_reply.body


def test_an_ambiguous_place_lists_each_meaning_with_its_parent(hostile: str) -> None:
    for path in ("/status/fixture-x/georgia", "/search?q=fixturex+georgia"):
        body = get(hostile, path).body
        assert ">Georgia</a>" in body and ">Georgia (United States)</a>" in body
        assert "/status/fixture-x/GEO" in body and "/status/fixture-x/US-GA" in body


def test_the_card_embed_snippet_escapes_the_labels_for_the_page_it_is_pasted_into(
    hostile: str,
) -> None:
    body = get(hostile, "/status/fixture-x/ZZ-X").body
    snippet = re.search(r'<pre class="cite-format" id="card-embed">(.*?)</pre>', body, re.S)
    assert snippet
    shown = html.unescape(snippet.group(1))  # what a reader copies
    assert shown.startswith('<a href="') and "<script>" not in shown
    assert 'alt="&lt;script&gt;alert&lt;/script&gt; in ' in shown
