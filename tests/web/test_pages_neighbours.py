"""An unknown answer lists the neighbours' status, on a real server over the shipped graph.

Which places are unknown, and what holds for their neighbours, is asked of the answer engine
itself; which places border which is checked against the GeoNames rows the data came from
(``tests/fixtures/reference/geonames_neighbours.tsv``), never against the page's own output.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date

import pytest
from tests.servers import serve_in_thread
from tests.test_neighbours import geonames_pairs

from legalgraph.engine import Basis, Engine, Place, engine_for
from legalgraph.namespaces import ID
from legalgraph.store import Store

from .test_pages import get

DAY = date(2026, 12, 4)
SUBSTANCES = ("mdma", "psilocybin-mushrooms")
BLOCK = re.compile(r'<li id="neighbours">(.*?)</ul>', re.S)
LINK = re.compile(r'<li><a href="([^"]+)">(.*?)</a>: (.*?)</li>', re.S)


@pytest.fixture(scope="module")
def site(store: Store) -> Iterator[str]:
    with serve_in_thread(store) as base:
        yield base


@pytest.fixture(scope="module")
def engine(store: Store) -> Engine:
    return engine_for(store)


def item(slug: str) -> str:
    return f"{ID}substance/{slug}"


def places_where(engine: Engine, substance: str, unknown: bool) -> list[Place]:
    """Countries with land borders whose answer on DAY is unknown (or curated)."""
    wanted = Basis.UNKNOWN if unknown else Basis.CURATED
    return [p for p in engine.countries() if engine.neighbours(p.iri)
            and engine.status(item(substance), p.iri, DAY).basis is wanted]


def listed(page: str) -> list[tuple[str, str, str]]:
    """The neighbours block of a page: the link, its text and the status after it."""
    block = BLOCK.search(page)
    assert block, "no neighbours on the page"
    return [(html.unescape(href), html.unescape(name), html.unescape(" ".join(text.split())))
            for href, name, text in LINK.findall(block.group(1))]


def test_there_are_unknown_answers_with_neighbours(engine: Engine) -> None:
    assert len(places_where(engine, "mdma", unknown=True)) >= 3


@pytest.mark.parametrize("substance", SUBSTANCES)
def test_an_unknown_answer_lists_each_neighbour_with_the_engines_answer_and_a_link(
    site: str, engine: Engine, substance: str
) -> None:
    borders = geonames_pairs()
    for place in places_where(engine, substance, unknown=True)[:6]:
        page = get(site, f"/status/{substance}/{place.code}?as_of={DAY.isoformat()}")
        assert page.status == 200
        assert "answer--unknown" in page.body
        links = listed(page.body)
        codes = [href.split("?")[0].rsplit("/", 1)[-1] for href, _, _ in links]
        assert {frozenset((place.code, c)) for c in codes} <= borders
        assert sorted(codes) == sorted(p.code for p in engine.neighbours(place.iri))
        for (href, name, text), code in zip(links, codes, strict=True):
            other = engine.place(f"{ID}jurisdiction/{code}")
            found = engine.status(item(substance), other.iri, DAY)
            assert href == f"/status/{substance}/{code}?as_of={DAY.isoformat()}"
            assert name == other.name
            if found.record is None:
                assert text.endswith("no status on record")
            else:
                assert found.level is not None and found.level.concept.label in text
            assert ("derived from" in text) == (found.basis is Basis.DERIVED)
            target = get(site, href)
            assert target.status == 200, href
            assert f'data-basis="{found.basis.value}"' in target.body
            assert f'value="{DAY.isoformat()}"' in target.body


def test_an_answer_of_its_own_lists_no_neighbours(site: str, engine: Engine) -> None:
    known = places_where(engine, "mdma", unknown=False)
    assert known
    for place in known[:3]:
        page = get(site, f"/status/mdma/{place.code}?as_of={DAY.isoformat()}").body
        assert 'id="neighbours"' not in page


def test_an_unknown_answer_without_land_borders_lists_none(site: str, engine: Engine) -> None:
    islands = [p for p in engine.countries() if not engine.neighbours(p.iri)
               and engine.status(item("mdma"), p.iri, DAY).basis is Basis.UNKNOWN]
    assert islands
    page = get(site, f"/status/mdma/{islands[0].code}?as_of={DAY.isoformat()}").body
    assert "answer--unknown" in page and 'id="neighbours"' not in page
