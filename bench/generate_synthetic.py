"""Synthetic data at N times the shipped graph, in the same model, for the scale benchmark.

The shipped data files are copied as they are; then synthetic copies of everything that is
about a substance are added, as many as it takes for the data to have about N times the
shipped data's triples. Each copy has its own IRIs: every substance and natural material
(``id/substance/...``), every record that names one (``id/record/...``: status histories,
therapeutic authorizations, research and other exemptions, possession regimes, pending
measures, trials, listings, containing clauses), unverified claim (``id/claim/...``) and the
sources, instruments and authorities they cite. IRIs of a copy get the suffix ``-xI``
(``id/substance/mdma-x3``, ``id/record/status/AUS/mdma/2-x3``), labels get
`` (synthetic I)``, and the external identifiers of a substance (CAS, PubChem, Wikidata,
ChEBI, UNII, INN) are left out, so no two substances claim the same real identifier.
Jurisdictions (countries, subdivisions, land borders), the records about them alone (treaty
participation, EU membership) and schedules are shared by all copies, as they would be if
the graph covered more substances; the derivation rules then derive treaty floors and EU-wide
authorizations for the copies too.

Usage: ``python bench/generate_synthetic.py --factor 10 --out bench/data/10x``; the output
folder then holds the whole data (``legalgraph validate bench/data/10x`` checks it with the
shipped ontology). Output is deterministic.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
ID = "https://w3id.org/legalgraph/id/"
CLONED = tuple(
    ID + kind for kind in ("substance/", "claim/", "source/", "instrument/", "authority/")
)
LABELS = {
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
}
SUBSTANCE = ID + "substance/"
RECORD = ID + "record/"
IDENTIFIERS = {
    "https://w3id.org/legalgraph/ontology#" + name
    for name in ("casNumber", "pubchemCid", "wikidataId", "chebiId", "unii", "inn")
}
PREFIXES = {
    "lg": "https://w3id.org/legalgraph/ontology#",
    "id": ID,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def about_substances(triples: list[ox.Triple]) -> frozenset[str]:
    """The records that name a substance or natural material. The other records (treaty
    participation, EU membership) are about places: shared by every copy, as jurisdictions
    are, so that the derived facts grow with the data, not with its square."""
    return frozenset(
        t.subject.value for t in triples
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(RECORD)
        and isinstance(t.object, ox.NamedNode) and t.object.value.startswith(SUBSTANCE))


def _cloned(term: object, records: frozenset[str]) -> bool:
    if not isinstance(term, ox.NamedNode):
        return False
    if term.value.startswith(RECORD):
        return term.value in records
    return term.value.startswith(CLONED)


def shipped_triples() -> list[ox.Triple]:
    triples = []
    for path in sorted(DATA.rglob("*.ttl")):
        for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
            triples.append(ox.Triple(quad.subject, quad.predicate, quad.object))
    return triples


def copy_of(triples: list[ox.Triple], number: int) -> list[ox.Triple]:
    """Copy ``number`` of everything about a substance."""
    suffix = f"-x{number}"
    blank: dict[str, ox.BlankNode] = {}
    records = about_substances(triples)

    def cloned(term: object) -> bool:
        return _cloned(term, records)

    def rename(term: Term) -> Term:
        if cloned(term):
            return ox.NamedNode(term.value + suffix)  # type: ignore[union-attr]
        if isinstance(term, ox.BlankNode):
            return blank.setdefault(term.value, ox.BlankNode(f"{term.value}x{number}"))
        return term

    # blank nodes hanging off a cloned subject belong to the copy too
    owned = {t.object.value for t in triples
             if cloned(t.subject) and isinstance(t.object, ox.BlankNode)}
    out = []
    for triple in triples:
        subject, predicate, obj = triple.subject, triple.predicate, triple.object
        mine = cloned(subject) or (isinstance(subject, ox.BlankNode) and subject.value in owned)
        if not mine and not (cloned(obj) and obj.value.startswith(SUBSTANCE)):  # type: ignore[union-attr]
            continue  # shared things gain links to the copy's substances only
        if mine and predicate.value in IDENTIFIERS:
            continue
        if mine and predicate.value in LABELS and isinstance(obj, ox.Literal):
            obj = ox.Literal(f"{obj.value} (synthetic {number})", language=obj.language) \
                if obj.language else ox.Literal(f"{obj.value} (synthetic {number})")
        out.append(ox.Triple(rename(subject), predicate, rename(obj)))  # type: ignore[arg-type]
    return out


def generate(factor: int, out: Path) -> tuple[int, int]:
    """Write the shipped data and enough synthetic copies under ``out`` for about ``factor``
    times the shipped data triples; the number of data triples and of copies written."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(DATA, out)
    triples = shipped_triples()
    total = len(triples)
    synthetic = out / "synthetic"
    synthetic.mkdir()
    per_copy = len(copy_of(triples, 0))
    copies = round((factor - 1) * len(triples) / per_copy)
    for number in range(1, copies + 1):
        copy = copy_of(triples, number)
        total += len(copy)
        ox.serialize(copy, synthetic / f"copy-{number:03d}.ttl", ox.RdfFormat.TURTLE,
                     prefixes=PREFIXES)
    return total, copies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=int, required=True, help="times the shipped data")
    parser.add_argument("--out", type=Path, help="output folder [bench/data/<factor>x]")
    args = parser.parse_args()
    if args.factor < 1:
        parser.error("--factor must be at least 1")
    out = args.out or ROOT / "bench" / "data" / f"{args.factor}x"
    total, copies = generate(args.factor, out)
    print(f"{out}: {total} data triples ({args.factor}x: the shipped data and {copies} "
          "synthetic copies)", file=sys.stderr)


if __name__ == "__main__":
    main()
