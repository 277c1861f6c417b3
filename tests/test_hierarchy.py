"""The jurisdiction tree, inherited status, regime groups and the exports, against the
reference rows (cities carry their state's code; subdivisions their ISO 3166-2 code)."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import networkx as nx
import pycountry
import pytest
from click.testing import CliRunner
from tests.conftest import REFERENCE

from legalgraph import hierarchy
from legalgraph.cli import main
from legalgraph.compare import Comparer
from legalgraph.store import Store

STATUS_FILES = ("mdma_status.csv", "psychedelics_status.csv", "psilocybin_mushrooms_status.csv")
CITIES = {"Denver (City and County), Colorado": "Denver", "Oakland, California": "Oakland",
          "Santa Cruz, California": "Santa Cruz", "Seattle, Washington": "Seattle"}


def reference(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def subdivision_codes() -> set[str]:
    return {r["iso_code"] for f in STATUS_FILES for r in reference(f) if "-" in r["iso_code"]}


@pytest.fixture(scope="module")
def comparer(store: Store) -> Comparer:
    return Comparer(store)


@pytest.fixture(scope="module")
def tree(comparer: Comparer) -> hierarchy.Tree:
    return hierarchy.Tree.from_store(comparer.store)


def test_every_reference_subdivision_sits_under_its_country(
    comparer: Comparer, tree: hierarchy.Tree
) -> None:
    for code in subdivision_codes():
        place = str(comparer.place(code).iri)
        country = pycountry.countries.get(alpha_2=code.split("-")[0])
        assert country is not None
        assert tree.code(tree.ancestors(place)[-1]) == country.alpha_3, code


def test_reference_cities_sit_under_their_state(comparer: Comparer, tree: hierarchy.Tree) -> None:
    rows = [r for r in reference("psychedelics_status.csv") if r["jurisdiction"] in CITIES]
    assert len({r["jurisdiction"] for r in rows}) == len(CITIES)
    for r in rows:
        city = str(comparer.place(CITIES[r["jurisdiction"]]).iri)
        chain = [tree.code(p) for p in tree.ancestors(city)]
        assert chain == [r["iso_code"], "USA"], r["jurisdiction"]
        assert city in tree.descendants(tree.ancestors(city)[-1])


def test_oregon_inherits_the_federal_status_with_its_services_on_top(comparer: Comparer) -> None:
    federal = [r for r in reference("psychedelics_status.csv")
               if r["iso_code"] == "USA" and r["substance"] == "psilocybin (and psilocin)"]
    (federal_row,) = federal
    services = min(date.fromisoformat(r["effective_from"])
                   for r in reference("psychedelics_status.csv")
                   if r["iso_code"] == "US-OR" and r["substance"] == "psilocybin")
    after = comparer.status("psilocybin", ["Oregon"], services)[0]
    assert after.basis == "inherited" and after.applies_from == "USA"
    assert after.medical_use == federal_row["medical_use_allowed"]
    assert after.national_schedule == federal_row["schedule_or_class"]
    assert "supervised services" in after.why and "United States" in after.why
    before = comparer.status("psilocybin", ["Oregon"], services - timedelta(days=1))[0]
    assert before.applies_from == "USA"
    assert "supervised services" not in before.why


def test_a_place_with_its_own_status_keeps_it(comparer: Comparer) -> None:
    (ref,) = [r for r in reference("mdma_status.csv") if r["iso_code"] == "AUS"]
    own = comparer.status("mdma", ["AUS"], ref["effective_from"])[0]
    assert own.basis == "curated" and own.applies_from == "AUS"


def test_regime_groups_partition_the_places(comparer: Comparer, tree: hierarchy.Tree) -> None:
    (ref,) = [r for r in reference("mdma_status.csv") if r["iso_code"] == "AUS"]
    groups = hierarchy.regime_groups(comparer, "mdma", ref["effective_from"])
    members = [m for g in groups for m in g.members]
    assert len(members) == len(set(members)) == len(tree.places())
    (australia,) = [g for g in groups if "AUS" in g.members]
    assert australia.medical_use == ref["medical_use_allowed"]
    (usa,) = [g for g in groups if "USA" in g.members]
    assert australia != usa


def test_graphml_export_round_trips(tree: hierarchy.Tree, tmp_path: Path) -> None:
    path = tmp_path / "tree.graphml"
    tree.write_graphml(path)
    read = nx.read_graphml(path)
    assert set(read.nodes) == set(tree.graph.nodes)
    assert set(read.edges) == set(tree.graph.edges)


def test_svg_picture_shows_every_reference_subdivision(
    comparer: Comparer, tree: hierarchy.Tree
) -> None:
    picture = ET.fromstring(tree.svg())
    texts = {t.text for t in picture.iter("{http://www.w3.org/2000/svg}text")}
    assert subdivision_codes() <= texts
    lines = list(picture.iter("{http://www.w3.org/2000/svg}line"))
    drawn = [p for r in tree.roots_with_children() for p in tree.descendants(r)]
    assert len(lines) == len(drawn)


def test_hierarchy_command_writes_both_exports(tmp_path: Path) -> None:
    graphml, svg = tmp_path / "t.graphml", tmp_path / "t.svg"
    result = CliRunner().invoke(main, ["hierarchy", "--graphml", str(graphml), "--svg", str(svg),
                                       "--substance", "psilocybin", "--as-of", "2024-01-01",
                                       "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert nx.read_graphml(graphml).number_of_nodes() > 249
    assert 'fill="#d73027"' in svg.read_text(encoding="utf-8")  # federal Schedule I, inherited
    assert result.output.splitlines()[0].startswith("control_level,")
