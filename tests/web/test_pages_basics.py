"""The web basics of the lookup pages over real HTTP: compression, validators and caching,
content-hashed static files, the JSON-LD context, the citation formats and the status card."""

from __future__ import annotations

import gzip
import io
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message

import brotli
import pytest
from PIL import Image
from rdflib import Graph, URIRef
from tests.servers import serve_in_thread

from legalgraph.store import Store


@dataclass
class Reply:
    status: int
    headers: Message  # names are case-insensitive (waitress sends "Etag")
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def fetch(base: str, path: str, **headers: str) -> Reply:
    """GET with the given headers, not following redirects, body as sent (not decoded)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(base + path, headers=headers)
    try:
        with opener.open(request, timeout=30) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers, error.read())


@pytest.fixture(scope="module")
def site(store: Store) -> Iterator[str]:
    with serve_in_thread(store) as base:
        yield base


def test_pages_are_compressed_with_brotli_or_gzip(site: str) -> None:
    plain = fetch(site, "/substance/mdma")
    squeezed = fetch(site, "/substance/mdma", **{"Accept-Encoding": "br"})
    zipped = fetch(site, "/substance/mdma", **{"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert squeezed.headers["Content-Encoding"] == "br"
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert brotli.decompress(squeezed.body) == plain.body
    assert gzip.decompress(zipped.body) == plain.body
    assert len(squeezed.body) < len(plain.body) / 4
    assert "Accept-Encoding" in squeezed.headers["Vary"]


@pytest.mark.parametrize("path", ["/status/mdma/AUS", "/substance/mdma", "/place/AUS",
                                  "/compare?places=AUS,NZL", "/status/mdma/AUS/card.svg"])
@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_lookup_pages_carry_an_etag_and_answer_304(site: str, path: str, encoding: str) -> None:
    first = fetch(site, path, **{"Accept-Encoding": encoding})
    etag = first.headers["ETag"]
    assert first.status == 200 and etag
    again = fetch(site, path, **{"Accept-Encoding": encoding, "If-None-Match": etag})
    assert again.status == 304 and again.body == b""
    other = fetch(site, path, **{"Accept-Encoding": encoding, "If-None-Match": '"stale"'})
    assert other.status == 200


def test_static_files_have_hashed_names_and_are_immutable(site: str) -> None:
    page = fetch(site, "/").text
    names = re.findall(r'/static/(pages\.[0-9a-f]{12}\.(?:css|js))"', page)
    assert {n.rsplit(".", 1)[1] for n in names} == {"css", "js"}
    for name in names:
        hashed = fetch(site, "/static/" + name)
        assert hashed.status == 200
        assert hashed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        bare = fetch(site, "/static/" + re.sub(r"\.[0-9a-f]{12}\.", ".", name))
        assert bare.body == hashed.body and bare.headers["Cache-Control"] == "no-cache"
    stale = fetch(site, "/static/pages.000000000000.css")
    assert stale.status == 200 and stale.headers["Cache-Control"] == "no-cache"
    assert fetch(site, "/static/../web/pages.py").status == 404
    assert fetch(site, "/static/nothing.css").status == 404


def test_the_jsonld_twin_is_compact_and_its_context_is_served(site: str) -> None:
    twin = json.loads(fetch(site, "/status/mdma/AUS?format=jsonld").body)
    assert twin["@context"] == site + "/context.jsonld"
    nodes = twin["@graph"]
    statuses = [n for n in nodes if n.get("@type") == "StatusAssertion"]
    assert "2023-07-01" in {n.get("validFrom") for n in statuses}  # a plain string, not a node
    status = next(n for n in statuses if n.get("validFrom") == "2023-07-01")
    assert status["jurisdiction"] == "https://w3id.org/legalgraph/id/jurisdiction/AUS"
    context = fetch(site, "/context.jsonld")
    assert context.headers["Content-Type"].startswith("application/ld+json")
    terms = json.loads(context.body)["@context"]
    assert terms["validFrom"] == {"@id": "lg:validFrom", "@type": "xsd:date"}
    # the twin is still linked data: it expands to full IRIs through the served context
    graph = Graph().parse(data=fetch(site, "/status/mdma/AUS?format=jsonld").text,
                          format="json-ld", base=site)
    record = URIRef(status["@id"])
    lg = "https://w3id.org/legalgraph/ontology#"
    assert (record, URIRef(lg + "jurisdiction"),
            URIRef("https://w3id.org/legalgraph/id/jurisdiction/AUS")) in graph


def test_every_link_on_the_dataset_page_has_text(site: str) -> None:
    page = fetch(site, "/id/dataset").text
    links = re.findall(r"<a [^>]*>(.*?)</a>", page, re.S)
    assert links and all(text.strip() for text in links)
    assert ">https://creativecommons.org/licenses/by/4.0/</a>" in page


def test_the_status_page_offers_every_citation_format(site: str) -> None:
    page = fetch(site, "/status/mdma/AUS?as_of=2023-07-01").text
    permalink = site + "/status/mdma/AUS?as_of=2023-07-01"
    assert permalink in page
    bib = fetch(site, "/status/mdma/AUS/cite.bib?as_of=2023-07-01")
    assert bib.headers["Content-Type"].startswith("application/x-bibtex")
    assert bib.text.startswith("@misc{legalgraph-mdma-AUS-2023-07-01,")
    assert "title = {MDMA in Australia, as of 1 July 2023}" in bib.text
    assert f"url = {{{permalink}}}" in bib.text
    ris = fetch(site, "/status/mdma/AUS/cite.ris?as_of=2023-07-01").text
    assert ris.startswith("TY  - DATA\r\n") and ris.endswith("ER  - \r\n")
    assert f"UR  - {permalink}\r\n" in ris
    csl = json.loads(fetch(site, "/status/mdma/AUS/cite.json?as_of=2023-07-01").body)
    assert csl[0]["type"] == "dataset" and csl[0]["URL"] == permalink
    assert "strict medical control" in csl[0]["note"]
    for text in (bib.text, ris, csl[0]["note"]):
        assert "Best source:" in text
    assert fetch(site, "/status/mdma/AUS/cite.pdf").status == 404


def test_the_status_card_names_the_answer_and_links_as_open_graph(site: str) -> None:
    page = fetch(site, "/status/mdma/AUS?as_of=2023-07-01").text
    image = re.search(r'<meta property="og:image" content="([^"]+)">', page)
    assert image and image.group(1).endswith("/status/mdma/AUS/card.png?as_of=2023-07-01")
    svg = fetch(site, "/status/mdma/AUS/card.svg?as_of=2023-07-01")
    assert svg.headers["Content-Type"].startswith("image/svg+xml")
    for words in ("MDMA in Australia", "strict medical control", "since 1 July 2023",
                  "as of 1 July 2023", "Source: ", "/status/mdma/AUS?as_of=2023-07-01"):
        assert words in svg.text, words
    png = fetch(site, image.group(1).replace(site, ""))
    assert png.headers["Content-Type"] == "image/png"
    picture = Image.open(io.BytesIO(png.body))
    assert picture.size == (1200, 630)
    before = fetch(site, "/status/mdma/AUS/card.svg?as_of=2023-06-30").text
    assert "prohibited except research" in before
    assert fetch(site, "/status/mdma/Narnia/card.png").status == 404
    assert fetch(site, "/status/mdma/AUS/card.png?as_of=2023-13-01").status == 400


def test_a_search_through_a_synonym_or_a_typo_says_how_it_was_read(site: str) -> None:
    for words, path, said in [
        ("ecstasy australia", "/status/mdma/AUS", "“ecstasy” is a common name for MDMA."),
        ("extasy australia", "/status/mdma/AUS", "Showing MDMA for “extasy”."),
        ("psilocibin austrailia", "/status/psilocybin/AUS", "Showing psilocybin for"),
    ]:
        reply = fetch(site, "/search?q=" + words.replace(" ", "+"))
        assert reply.status == 302
        location = reply.headers["Location"]
        assert location.split("?")[0].endswith(path), location
        assert said in fetch(site, location).text
    # the note is only shown when the words name what the page shows
    assert "common name" not in fetch(site, "/status/lsd/AUS?q=ecstasy+australia").text


def test_the_answer_lists_each_source_once_and_records_cite_them_by_number(site: str) -> None:
    page = fetch(site, "/status/mdma/AUS").text
    listed = re.findall(r'<li id="source-(\d+)"><a href="([^"]+)"', page)
    assert len(listed) >= 4
    numbers = [int(n) for n, _ in listed]
    assert numbers == list(range(1, len(listed) + 1))
    urls = [url for _, url in listed]
    assert len(urls) == len(set(urls)), "a source is listed twice"
    cited = {int(n) for n in re.findall(r'<a href="#source-(\d+)"', page)}
    assert cited == set(numbers), "every listed source is cited by a record, and no other"
    # the first screen names the best source of the record in force, and links to the list
    best = re.search(r'<p class="best-source">Source: <a href="([^"]+)"', page)
    assert best and best.group(1) == urls[0]


def test_a_change_of_schedule_is_one_line_from_the_old_to_the_new(site: str) -> None:
    page = fetch(site, "/changes?from=2023-06-01&to=2023-07-31").text
    items = [re.sub(r" ([:,])", r"\1", " ".join(re.sub(r"<[^>]+>", " ", li).split()))
             for li in re.findall(r"<li class=[^>]*>(.*?)</li>", page, re.S)]
    mdma = [i for i in items if "MDMA in Australia" in i and "Schedule" in i]
    assert len(mdma) == 1, mdma
    line = mdma[0]
    assert line.startswith("1 July 2023 MDMA in Australia: from prohibited except research: "
                           "Schedule 9")
    assert " to strict medical control: Schedule 8" in line
    assert not any("status assertion ended" in i for i in items)
    feed = fetch(site, "/changes.atom?from=2023-06-01&to=2023-07-31").text
    titles = re.findall(r"<title>(.*?)</title>", feed)
    assert any(t.startswith("1 July 2023: MDMA in Australia: from prohibited except research")
               for t in titles)
