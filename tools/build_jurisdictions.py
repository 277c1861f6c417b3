"""Build ``data/jurisdictions.ttl``: countries, dependent territories, subdivisions, cities,
supranational bodies, and participation in the UN 1971 Convention with its sources.

Usage::

    python tools/build_jurisdictions.py path/to/un1971_parties.csv [--output data/jurisdictions.ttl]

Countries come from ISO 3166-1 and subdivisions from ISO 3166-2 as shipped by pycountry; no
country list is typed here. The only hand-kept tables are everyday names people type (names,
not legal facts), the subdivisions and cities the status data needs, and the titles of the few
source pages the participation CSV cites. The output is deterministic: same inputs, same bytes.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pycountry
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD
from rdflib.term import Node
from turtle_writer import source_iri, turtle_term

LG = Namespace("https://w3id.org/legalgraph/ontology#")
BASE = "https://w3id.org/legalgraph/id/"
ID = Namespace(BASE)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "data" / "jurisdictions.ttl"

#: The day the reference was compiled and these records were checked against it.
CHECKED = "2026-11-26"
TREATY_SLUG = "un-1971"

# ---------------------------------------------------------------------------
# Hand-kept tables
# ---------------------------------------------------------------------------

#: ISO 3166-2 categories that mark an ISO 3166-1 entry listed inside another country as a
#: dependent area (Puerto Rico in US, Aruba in NL, French Polynesia in FR, Hong Kong in CN). A
#: bare code match is not enough: US-CA is California, not Canada.
DEPENDENT_AREA_TYPES = frozenset(
    {
        "Country",
        "Outlying area",
        "Overseas collectivity",
        "Overseas collectivity with special status",
        "Overseas territory",
        "Special administrative region",
    }
)

#: ISO 3166-2 lists CN-TW ("Taiwan Sheng"). We make no claim on Taiwan's status: TWN stays a
#: plain lg:Country with no lg:sovereignState, whatever ISO 3166-2 lists.
EXCLUDED_DEPENDENCY_CODES = frozenset({"CN-TW"})

#: Everyday names people type for an ISO 3166-1 entry (alpha-3). Names, not legal facts; each
#: must point to one entry only ("England" is not the United Kingdom and is left out).
EVERYDAY_NAMES: dict[str, tuple[str, ...]] = {
    "ARE": ("UAE",),
    "BIH": ("Bosnia",),
    "BOL": ("Bolivia",),
    "BRN": ("Brunei",),
    "CIV": ("Ivory Coast",),
    "COD": ("DRC", "DR Congo", "Congo-Kinshasa", "Democratic Republic of the Congo"),
    "COG": ("Congo-Brazzaville", "Republic of the Congo"),
    "CPV": ("Cape Verde",),
    "CZE": ("Czechia", "Czech Republic"),
    "FSM": ("Micronesia",),
    "GBR": ("UK", "Britain", "Great Britain"),
    "HKG": ("Hong Kong",),
    "IRN": ("Iran",),
    "KOR": ("South Korea", "Korea", "Republic of Korea"),
    "LAO": ("Laos",),
    "MAC": ("Macau", "Macao"),
    "MDA": ("Moldova",),
    "MKD": ("Macedonia",),
    "MMR": ("Burma",),
    "NLD": ("Holland", "The Netherlands"),
    "NZL": ("NZ",),
    "PRK": ("North Korea",),
    "PSE": ("Palestine", "State of Palestine"),
    "RUS": ("Russia",),
    "SWZ": ("Swaziland",),
    "SYR": ("Syria",),
    "TLS": ("East Timor",),
    "TUR": ("Turkey", "Türkiye", "Turkiye"),
    "TWN": ("Taiwan",),
    "TZA": ("Tanzania",),
    "USA": ("USA", "US", "America", "United States of America"),
    "VAT": ("Vatican", "Vatican City", "Holy See"),
    "VEN": ("Venezuela",),
    "VNM": ("Vietnam",),
}

#: Subdivisions the status data needs: every ISO 3166-2 code (a code with a hyphen) found in the
#: ``iso_code`` columns of the reference CSVs (compiled 2026-11-26). Copied here because the
#: project must not read the reference folder at run or test time.
NEEDED_SUBDIVISIONS: tuple[str, ...] = (
    "AU-ACT", "AU-WA", "BR-SP", "CA-AB", "CA-BC",
    "US-AZ", "US-CA", "US-CO", "US-FL", "US-GA", "US-ID", "US-MA", "US-MN",
    "US-NM", "US-NY", "US-OR", "US-TX", "US-UT", "US-WA",
)  # fmt: skip

#: Language of pycountry's ISO 3166-2 subdivision names, per country of the needed codes.
SUBDIVISION_NAME_LANGUAGE: dict[str, str] = {"AU": "en", "BR": "pt", "CA": "en", "US": "en"}

#: English labels for subdivisions whose ISO name is not English, only where plainly the same.
SUBDIVISION_ENGLISH_NAMES: dict[str, tuple[str, ...]] = {"BR-SP": ("São Paulo", "Sao Paulo")}


@dataclass(frozen=True)
class City:
    """A municipality whose own resolutions bear on a substance."""

    parent: str
    slug: str
    name: str
    alt_names: tuple[str, ...] = ()


CITIES: tuple[City, ...] = (
    City("US-CA", "oakland", "Oakland"),
    City("US-CA", "santa-cruz", "Santa Cruz"),
    City("US-CO", "denver", "Denver", ("City and County of Denver",)),
    City("US-WA", "seattle", "Seattle"),
)

SUPRANATIONAL: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("EU", "European Union", ("EU",)),
    ("UN", "United Nations system (incl. WHO)", ("UN", "United Nations")),
)

UNTC_URL = "https://treaties.un.org/doc/Publication/MTDSG/Volume%20I/Chapter%20VI/VI-16.en.xml"

#: Titles of the pages the participation CSV cites, written from each URL's host and path.
#: An unknown URL fails the build, so every title is reviewed.
SOURCE_TITLES: dict[str, str] = {
    UNTC_URL: (
        "UN Treaty Collection: Convention on Psychotropic Substances, Vienna 1971"
        " (MTDSG chapter VI.16)"
    ),
    "https://wiki.gdrain.workers.dev/zh-hk/Draft:%E7%B2%BE%E7%A5%9E%E8%8D%AF%E7%89%A9%E5%85%AC"
    "%E7%BA%A6": (
        "Wikipedia mirror (wiki.gdrain.workers.dev, zh-hk): Draft:精神药物公约"
        " (Convention on Psychotropic Substances)"
    ),
    "https://www.hscrew.ch/en/blogs/cannabis-legalization-global/"
    "19-international-drug-trafficking-ch16": (
        "hscrew.ch blog, cannabis legalization (global): international drug trafficking, ch. 16"
    ),
    "http://www.finlex.fi/fi/sopimukset/sopsviite/1976/19760060": (
        "Finlex: Finnish Treaty Series (SopS) reference 60/1976"
    ),
    "https://www.global-regulation.com/translation/switzerland/2976246/"
    "rs-0.812.121.02-the-21-february-1971-convention-on-psychotropic-substances-%2528with-"
    "appendix%2529.html": (
        "Global-Regulation (English translation): Swiss RS 0.812.121.02, the 21 February 1971"
        " Convention on Psychotropic Substances (with appendix)"
    ),
}

STATUSES: dict[str, URIRef] = {
    "party": LG.Party,
    "non-party": LG.NonParty,
    "signatory": LG.Signatory,
}

_UNTC_DATE_NOTE = re.compile(
    r"^Date of definitive ratification/accession/succession \((?P<marker>.+)\) read in the cited"
    r" UNTC depositary table copy\.$"
)
_UNTC_FRENCH_COPY = re.compile(r"per French copy of UNTC table\.$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BuildError(Exception):
    """The inputs do not make a consistent graph."""


# ---------------------------------------------------------------------------
# IRIs
# ---------------------------------------------------------------------------


def jurisdiction_iri(code: str) -> URIRef:
    """``id:jurisdiction/{code}`` for an alpha-3, an ISO 3166-2 code or a body's code."""
    return ID[f"jurisdiction/{code}"]


def participation_iri(alpha3: str) -> URIRef:
    """``id:participation/{alpha-3}/un-1971``."""
    return ID[f"participation/{alpha3}/{TREATY_SLUG}"]


def _date(value: str) -> Literal:
    return Literal(value, datatype=XSD.date)


def fold(label: str) -> str:
    """A label folded for comparison: case and accents ignored."""
    decomposed = unicodedata.normalize("NFKD", label.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


# ---------------------------------------------------------------------------
# Jurisdictions
# ---------------------------------------------------------------------------


def dependent_territories() -> dict[str, str]:
    """Alpha-3 of each dependent territory -> alpha-3 of the state ISO 3166-2 lists it under."""
    by_alpha2 = {c.alpha_2: c for c in pycountry.countries}
    found: dict[str, str] = {}
    for sub in pycountry.subdivisions:
        parent, _, local = sub.code.partition("-")
        if sub.code in EXCLUDED_DEPENDENCY_CODES or local == parent:
            continue
        if local in by_alpha2 and sub.type in DEPENDENT_AREA_TYPES:
            territory = by_alpha2[local].alpha_3
            if territory in found:
                raise BuildError(f"{territory} is listed under two states in ISO 3166-2")
            found[territory] = by_alpha2[parent].alpha_3
    return found


def _add_labels(
    graph: Graph, subject: URIRef, pref: Literal, alts: Iterable[tuple[str, str]]
) -> None:
    graph.add((subject, SKOS.prefLabel, pref))
    for text, lang in alts:
        if text and (text, lang) != (str(pref), pref.language):
            graph.add((subject, SKOS.altLabel, Literal(text, lang=lang)))


def add_countries(graph: Graph) -> None:
    """All ISO 3166-1 entries, with codes, names and dependency links."""
    dependencies = dependent_territories()
    known = {c.alpha_3 for c in pycountry.countries}
    unknown = (set(EVERYDAY_NAMES) | set(dependencies.values())) - known
    if unknown:
        raise BuildError(f"not ISO 3166-1 alpha-3 codes: {sorted(unknown)}")
    for country in pycountry.countries:
        subject = jurisdiction_iri(country.alpha_3)
        graph.add((subject, RDF.type, LG.Country))
        if country.alpha_3 in dependencies:
            graph.add((subject, RDF.type, LG.DependentTerritory))
            graph.add((subject, LG.sovereignState, jurisdiction_iri(dependencies[country.alpha_3])))
        graph.add((subject, LG.iso3166Alpha2, Literal(country.alpha_2)))
        graph.add((subject, LG.iso3166Alpha3, Literal(country.alpha_3)))
        graph.add((subject, LG.iso3166Numeric, Literal(country.numeric)))
        names = [getattr(country, "official_name", ""), getattr(country, "common_name", "")]
        names += EVERYDAY_NAMES.get(country.alpha_3, ())
        _add_labels(graph, subject, Literal(country.name, lang="en"), ((n, "en") for n in names))


def add_supranational(graph: Graph) -> None:
    """The European Union and the United Nations system. No membership: not sourced here."""
    for code, name, alts in SUPRANATIONAL:
        subject = jurisdiction_iri(code)
        graph.add((subject, RDF.type, LG.SupranationalBody))
        _add_labels(graph, subject, Literal(name, lang="en"), ((a, "en") for a in alts))


def add_subdivisions(graph: Graph) -> None:
    """The needed ISO 3166-2 subdivisions, part of their country, with typed abbreviations.

    An abbreviation (the code after the hyphen) is added only when it is no ISO 3166-1 code and
    no other label, and no other needed subdivision has it ("CA" is Canada; "WA" is both
    Washington and Western Australia, so neither gets it).
    """
    codes = {c.alpha_2 for c in pycountry.countries} | {c.alpha_3 for c in pycountry.countries}
    taken = {fold(str(o)) for o in graph.objects(None, SKOS.prefLabel)}
    taken |= {fold(str(o)) for o in graph.objects(None, SKOS.altLabel)}
    suffixes = [code.partition("-")[2] for code in NEEDED_SUBDIVISIONS]
    for code in NEEDED_SUBDIVISIONS:
        sub = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
        if sub is None:
            raise BuildError(f"{code} is not an ISO 3166-2 code in pycountry")
        lang = SUBDIVISION_NAME_LANGUAGE.get(sub.country_code)
        if lang is None:
            raise BuildError(f"language of pycountry's names for {sub.country_code} not set")
        country = pycountry.countries.get(alpha_2=sub.country_code)
        if country is None:
            raise BuildError(f"{code}: no ISO 3166-1 entry {sub.country_code}")
        subject = jurisdiction_iri(code)
        graph.add((subject, RDF.type, LG.Subdivision))
        graph.add((subject, LG.iso3166_2, Literal(code)))
        graph.add((subject, LG.partOf, jurisdiction_iri(country.alpha_3)))
        alts = [(name, "en") for name in SUBDIVISION_ENGLISH_NAMES.get(code, ())]
        suffix = code.partition("-")[2]
        if suffix not in codes and fold(suffix) not in taken and suffixes.count(suffix) == 1:
            alts.append((suffix, lang))
        if fold(sub.name) in taken:  # "Georgia" is a country too
            alts.append((f"{sub.name}, {country.name}", lang))
        _add_labels(graph, subject, Literal(sub.name, lang=lang), alts)


def add_cities(graph: Graph) -> None:
    """The cities, each part of its subdivision."""
    for city in CITIES:
        if city.parent not in NEEDED_SUBDIVISIONS:
            raise BuildError(f"{city.slug}: parent {city.parent} is not a needed subdivision")
        subject = jurisdiction_iri(f"{city.parent}/{city.slug}")
        graph.add((subject, RDF.type, LG.City))
        graph.add((subject, LG.partOf, jurisdiction_iri(city.parent)))
        _add_labels(
            graph, subject, Literal(city.name, lang="en"), ((a, "en") for a in city.alt_names)
        )


# ---------------------------------------------------------------------------
# Treaty participation
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipationRow:
    """One row of ``un1971_parties.csv``."""

    alpha3: str
    status: str
    date: str
    urls: tuple[str, ...]
    note: str


def read_participation(path: Path) -> list[ParticipationRow]:
    """Read and check the CSV: known columns, ISO alpha-3 codes, statuses, dates, no repeats."""
    alpha3 = {c.alpha_3 for c in pycountry.countries}
    rows: list[ParticipationRow] = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        expected = ["iso3", "country", "status", "date", "source_url", "source_note"]
        if reader.fieldnames != expected:
            raise BuildError(f"{path}: columns {reader.fieldnames}, expected {expected}")
        for line, raw in enumerate(reader, start=2):
            where = f"{path}:{line} ({raw['country']!r})"
            code = raw["iso3"].strip()
            if code not in alpha3:
                raise BuildError(f"{where}: {code!r} is not an ISO 3166-1 alpha-3 code")
            status = raw["status"].strip()
            if status not in STATUSES:
                raise BuildError(f"{where}: unknown status {status!r}")
            date = raw["date"].strip()
            if date and not _DATE.match(date):
                raise BuildError(f"{where}: date {date!r} is not YYYY-MM-DD")
            urls = tuple(u.strip() for u in raw["source_url"].split(" | ") if u.strip())
            if not urls:
                raise BuildError(f"{where}: no source")
            rows.append(ParticipationRow(code, status, date, urls, raw["source_note"].strip()))
    seen: set[str] = set()
    for row in rows:
        if row.alpha3 in seen:
            raise BuildError(f"{path}: {row.alpha3} appears twice")
        seen.add(row.alpha3)
    return rows


def confidence_of(row: ParticipationRow) -> tuple[URIRef, str | None]:
    """The confidence of a row and, for a dated row, what its date stands for.

    High: the date was read in (a copy of) the UNTC depositary table. Medium: rows the
    reference marks DERIVED (party by counting against the named non-parties), and rows resting
    on Wikipedia's lists (the non-parties, the signatory, the Holy See).
    """
    if row.note.startswith("DERIVED"):
        if row.date or row.status != "party":
            raise BuildError(f"{row.alpha3}: a DERIVED row must be an undated party")
        return LG.MediumConfidence, None
    match = _UNTC_DATE_NOTE.match(row.note)
    if match and row.date:
        marker = match.group("marker")
        return LG.HighConfidence, f"Date of definitive ratification/accession/succession ({marker})"
    if _UNTC_FRENCH_COPY.search(row.note) and row.date:
        return LG.HighConfidence, "accession (a), per French copy of UNTC table"
    if "Wikipedia" in row.note and not row.date:
        return LG.MediumConfidence, None
    raise BuildError(f"{row.alpha3}: source note not understood: {row.note!r}")


def add_participation(graph: Graph, rows: Sequence[ParticipationRow]) -> None:
    """Participation records, linked from their jurisdictions, and their sources."""
    treaty = ID[f"treaty/{TREATY_SLUG}"]
    urls: set[str] = set()
    for row in rows:
        subject = participation_iri(row.alpha3)
        jurisdiction = jurisdiction_iri(row.alpha3)
        confidence, date_note = confidence_of(row)
        graph.add((jurisdiction, LG.participation, subject))
        graph.add((subject, RDF.type, LG.TreatyParticipation))
        graph.add((subject, LG.jurisdiction, jurisdiction))
        graph.add((subject, LG.treaty, treaty))
        graph.add((subject, LG.participationStatus, STATUSES[row.status]))
        if row.date:
            graph.add((subject, LG.validFrom, _date(row.date)))
        if date_note:
            graph.add((subject, LG.dateNote, Literal(date_note)))
        graph.add((subject, LG.basis, LG.Curated))
        graph.add((subject, LG.confidence, confidence))
        graph.add((subject, LG.lastVerified, _date(CHECKED)))
        if row.note:
            graph.add((subject, LG.note, Literal(row.note)))
        for url in row.urls:
            graph.add((subject, DCTERMS.source, source_iri(url)))
            urls.add(url)
    for url in sorted(urls):
        add_source(graph, url)


def add_source(graph: Graph, url: str) -> None:
    """A source record; the CSV gives no as-of date, so the stored copy is undated."""
    title = SOURCE_TITLES.get(url)
    if title is None:
        host = urlsplit(url).netloc
        raise BuildError(f"no reviewed title for {url} ({host}, {unquote(urlsplit(url).path)})")
    subject = source_iri(url)
    graph.add((subject, RDF.type, LG.Source))
    graph.add((subject, LG.url, URIRef(url)))
    graph.add((subject, DCTERMS.title, Literal(title)))
    graph.add((subject, LG.asOf, _date(CHECKED)))
    graph.add((subject, LG.asOfNote, Literal("stored copy (undated)")))
    graph.add((subject, LG.accessed, _date(CHECKED)))


# ---------------------------------------------------------------------------
# Checks and output
# ---------------------------------------------------------------------------


def check_labels(graph: Graph) -> None:
    """Fail when an altLabel names two jurisdictions, or another one's code or prefLabel."""
    owners: dict[str, set[Node]] = defaultdict(set)
    for subject, label in graph.subject_objects(SKOS.altLabel):
        owners[fold(str(label))].add(subject)
    for subject, label in graph.subject_objects(SKOS.prefLabel):
        key = fold(str(label))
        if key in owners and owners[key] - {subject}:
            raise BuildError(f"altLabel {label!r} of {owners[key]} is the prefLabel of {subject}")
    for prop in (LG.iso3166Alpha2, LG.iso3166Alpha3):
        for subject, code in graph.subject_objects(prop):
            key = fold(str(code))
            if key in owners and owners[key] - {subject}:
                raise BuildError(f"altLabel {code!r} of {owners[key]} is the code of {subject}")
    shared = {label: subjects for label, subjects in owners.items() if len(subjects) > 1}
    if shared:
        raise BuildError(f"altLabels shared by two jurisdictions: {shared}")


def build_graph(csv_path: Path) -> Graph:
    """The whole graph of ``data/jurisdictions.ttl``."""
    graph = Graph()
    add_supranational(graph)
    add_countries(graph)
    add_subdivisions(graph)
    add_cities(graph)
    add_participation(graph, read_participation(csv_path))
    check_labels(graph)
    return graph


PREFIXES: tuple[tuple[str, str], ...] = (
    ("dcterms", str(DCTERMS)),
    ("lg", str(LG)),
    ("skos", str(SKOS)),
    ("xsd", str(XSD)),
)

#: Sections of the file, in order: (class, heading).
SECTIONS: tuple[tuple[URIRef, str], ...] = (
    (LG.SupranationalBody, "Supranational bodies"),
    (LG.Country, "Countries and territories (ISO 3166-1, from pycountry)"),
    (LG.Subdivision, "Subdivisions (ISO 3166-2, from pycountry)"),
    (LG.City, "Cities"),
    (LG.TreatyParticipation, "Participation in the UN Convention on Psychotropic Substances 1971"),
    (LG.Source, "Sources of the participation records"),
)

PREDICATE_ORDER: tuple[URIRef, ...] = (
    RDF.type, SKOS.prefLabel, SKOS.altLabel, LG.iso3166Alpha2, LG.iso3166Alpha3,
    LG.iso3166Numeric, LG.iso3166_2, LG.partOf, LG.sovereignState, LG.participation,
    LG.jurisdiction, LG.treaty, LG.participationStatus, LG.validFrom, LG.dateNote, LG.basis,
    LG.confidence, LG.lastVerified, DCTERMS.source, LG.note, LG.url, DCTERMS.title, LG.asOf,
    LG.asOfNote, LG.accessed,
)  # fmt: skip


def _term(node: Node) -> str:
    return turtle_term(node, dict(PREFIXES))


def _sort_key(node: Node) -> tuple[str, str, str]:
    if isinstance(node, Literal):
        return (str(node), node.language or "", str(node.datatype or ""))
    return (_term(node), "", "")


def serialize(graph: Graph) -> str:
    """Turtle with prefixes on top, one block per subject, grouped by kind, everything sorted."""
    lines = [f"@base <{BASE}> ."]
    lines += [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in PREFIXES]
    lines += [
        "",
        "# Generated by tools/build_jurisdictions.py from pycountry (ISO 3166-1 and 3166-2) and",
        "# the UN 1971 participation CSV. Do not edit by hand: change the script and rebuild.",
    ]
    rank: dict[Node, int] = {p: i for i, p in enumerate(PREDICATE_ORDER)}
    written: set[Node] = set()
    for cls, heading in SECTIONS:
        subjects = sorted(set(graph.subjects(RDF.type, cls)) - written, key=_term)
        if not subjects:
            continue
        lines += ["", f"# {'-' * 91}", f"# {heading}", f"# {'-' * 91}"]
        for subject in subjects:
            written.add(subject)
            predicates = sorted(
                set(graph.predicates(subject)), key=lambda p: (rank.get(p, len(rank)), str(p))
            )
            parts = []
            for predicate in predicates:
                objects = sorted(graph.objects(subject, predicate), key=_sort_key)
                verb = "a" if predicate == RDF.type else _term(predicate)
                parts.append(f"    {verb} " + " , ".join(_term(o) for o in objects))
            lines += ["", _term(subject)] + [p + " ;" for p in parts[:-1]] + [parts[-1] + " ."]
    missing = set(graph.subjects()) - written
    if missing:
        raise BuildError(f"subjects with no section: {sorted(map(str, missing))[:5]}")
    return "\n".join(lines) + "\n"


def build(csv_path: Path) -> str:
    """The text of ``data/jurisdictions.ttl``, checked to parse back to the same graph."""
    graph = build_graph(csv_path)
    text = serialize(graph)
    parsed = Graph().parse(data=text, format="turtle")
    if len(parsed) != len(graph) or set(parsed) != set(graph):
        raise BuildError("the Turtle written does not parse back to the graph built")
    return text


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: build the file from the participation CSV."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path, help="un1971_parties.csv")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    try:
        text = build(args.csv)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
