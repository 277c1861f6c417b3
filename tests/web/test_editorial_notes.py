"""Maintainers' notes never reach a reader: no page of the running app, nor its data twin, shows
the text of a ``skos:editorialNote`` of the shipped graph.

The app serves the shipped graph with waitress on 127.0.0.1 and is read with a plain HTTP client.
The pages checked are those of the records that carry an editorial note: their status answer
(HTML, JSON-LD, Turtle, CSV), the place page, the substance page (HTML, CSV) and the record's
own resource page (HTML, JSON-LD, Turtle). Reader notes (``lg:note``) still appear.
"""

from __future__ import annotations

import html
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from tests.servers import serve_in_thread

from legalgraph.store import Store

ID = "https://w3id.org/legalgraph/id/"
NOTES = """
PREFIX lg: <https://w3id.org/legalgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?record ?substance ?place ?editorial ?public WHERE {
  ?record skos:editorialNote ?editorial ;
    lg:substance ?substance ;
    lg:jurisdiction ?place .
  OPTIONAL { ?record lg:note ?public }
}
ORDER BY ?record
"""


@dataclass(frozen=True)
class Noted:
    record: str
    substance: str
    place: str
    editorial: str
    public: str | None


def get(base: str, path: str, accept: str | None = None) -> str:
    request = urllib.request.Request(base + path, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200, path
            return str(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:  # a page that fails is a failure of this test too
        raise AssertionError(f"{path}: HTTP {error.code}") from error


@pytest.fixture(scope="module")
def noted(store: Store) -> list[Noted]:
    rows = store.select(NOTES)
    found = [
        Noted(str(r["record"]), str(r["substance"])[len(ID) + len("substance/"):],
              str(r["place"])[len(ID) + len("jurisdiction/"):], str(r["editorial"]),
              str(r["public"]) if r.get("public") is not None else None)
        for r in rows
    ]
    assert len(found) > 100, "the shipped graph has editorial notes on records"
    return found


@pytest.fixture(scope="module")
def site(store: Store) -> Iterator[str]:
    with serve_in_thread(store) as base:
        yield base


def chosen(noted: list[Noted]) -> list[Noted]:
    """Records whose notes speak of conflicts, the import or the brief, plus every 15th other."""
    words = ("CONFLICT", "Brief", "brief", ".csv", "REPORT", "http")
    loud = [n for n in noted if any(w in n.editorial for w in words)]
    return loud[:25] + noted[::15]


def absent(note: str, body: str, where: str) -> None:
    fragment = note[:60]
    assert fragment not in body and fragment not in html.unescape(body), (
        f"editorial note shown on {where}"
    )
    # JSON escapes quotes and non-ASCII; compare a plain-ASCII stretch as well
    plain = "".join(ch for ch in fragment if ch.isascii() and ch not in "\"'\\&<>")[:30]
    if len(plain) >= 20:
        assert plain not in body, f"editorial note shown on {where}"


def test_status_pages_and_their_twins_show_no_editorial_note(
    site: str, noted: list[Noted]
) -> None:
    for note in chosen(noted):
        base = f"/status/{note.substance}/{note.place}"
        for suffix in ("", "?format=jsonld", "?format=ttl", "?format=csv"):
            absent(note.editorial, get(site, base + suffix), base + suffix)


def test_place_and_substance_pages_show_no_editorial_note(site: str, noted: list[Noted]) -> None:
    for note in chosen(noted):
        for path in (f"/place/{note.place}", f"/substance/{note.substance}",
                     f"/substance/{note.substance}?format=csv"):
            absent(note.editorial, get(site, path), path)


def test_resource_pages_and_their_twins_show_no_editorial_note(
    site: str, noted: list[Noted]
) -> None:
    for note in chosen(noted):
        path = "/id/" + note.record[len(ID):]
        for accept in ("text/html", "application/ld+json", "text/turtle"):
            absent(note.editorial, get(site, path, accept), f"{path} ({accept})")


def test_reader_notes_are_still_shown(site: str, noted: list[Noted]) -> None:
    with_public = [(n.record, n.public) for n in noted if n.public][:10]
    assert with_public
    for record, public in with_public:
        page = get(site, "/id/" + record[len(ID):], "text/html")
        assert public[:40] in html.unescape(page)
