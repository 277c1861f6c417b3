"""Import the sourced reference rows into the project's Turtle data.

Run once by a maintainer::

    python tools/import_reference.py /path/to/reference

It reads the reference CSVs and (re)writes, deterministically:

* ``data/substances.ttl``: substances and natural materials with identifiers;
* ``data/schedules.ttl``: treaties, schedule schemes, their instruments and schedules;
* ``data/sources.ttl``: one ``lg:Source`` per URL;
* ``data/records/*.ttl``: status assertions, authorizations, research exemptions, possession
  regimes, pending measures, other exemptions, listing frameworks and trials, one file per
  reference file, plus ``authorities.ttl`` and ``instruments.ttl``;
* ``data/unverified_claims.ttl``: community-only claims (not facts).

Nothing at run or test time reads the reference directory. ``un1971_parties.csv`` is converted by
``tools/build_jurisdictions.py``, not here.

Everything the CSVs cannot say mechanically is decided in the tables below (``ROW_PLANS``,
``SUBJECTS``, ``EXTRA_SCHEMES``, ...), keyed by (file, row number) where row 2 is the first data
row, as in a spreadsheet. Each decision carries a comment so that a reviewer can check it.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD
from turtle_writer import source_iri, turtle_term

LG = Namespace("https://w3id.org/legalgraph/ontology#")
BASE = "https://w3id.org/legalgraph/id/"
ACCESS_DATE = "2026-11-26"  # the day the reference was compiled and its sources read
VERIFIED = "2026-11-26"  # lg:lastVerified of every curated record imported here
ROOT = Path(__file__).resolve().parent.parent

PREFIXES = {
    "lg": str(LG),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}

# Reference files holding records, in processing order, with their short key and output file.
RECORD_FILES: list[tuple[str, str, str]] = [
    ("mdma", "mdma_status.csv", "mdma.ttl"),
    ("psychedelics", "psychedelics_status.csv", "psychedelics.ttl"),
    ("mushrooms", "psilocybin_mushrooms_status.csv", "mushrooms.ttl"),
    ("south", "south_regions_status.csv", "south.ttl"),
    ("east", "east_regions_status.csv", "east.ttl"),
    ("research", "research_exemptions.csv", "research_exemptions.ttl"),
    ("therapeutic", "therapeutic_approvals.csv", "therapeutic_approvals.ttl"),
    ("trials", "mdma_trials.csv", "trials.ttl"),
]
STATUS_FILES = {"mdma", "psychedelics", "mushrooms", "south", "east"}


def iri(path: str) -> URIRef:
    """Return the data IRI for a path below the data base."""
    return URIRef(BASE + path)


def slugify(text: str, limit: int = 0) -> str:
    """Lower-case ASCII slug of ``text`` (accents folded, other characters dropped)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-").lower()
    if limit and len(slug) > limit:
        slug = slug[:limit].rstrip("-")
    return slug


def sha(text: str, n: int = 12) -> str:
    """First ``n`` hex digits of the SHA-1 of ``text``."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


def lit(text: str, lang: str | None = None) -> Literal:
    """A plain (xsd:string) or language-tagged literal, whitespace-trimmed."""
    return Literal(text.strip(), lang=lang) if lang else Literal(text.strip())


def dlit(value: str) -> Literal:
    """An xsd:date literal."""
    return Literal(value, datatype=XSD.date)


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------

DATE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{4}-(?:0[1-9]|1[0-2])(?!\d)|\d{4}(?![\d-]))")


@dataclass(frozen=True)
class Stated:
    """A start date as the source states it, with its precision and the words around it."""

    text: str  # "2023-07-01", "2022-06" or "2014"
    note: str = ""

    @property
    def literal(self) -> Literal:
        """The lg:statedFrom literal with the source's precision."""
        if len(self.text) == 10:
            return Literal(self.text, datatype=XSD.date)
        if len(self.text) == 7:
            return Literal(self.text, datatype=XSD.gYearMonth)
        return Literal(self.text, datatype=XSD.gYear)

    @property
    def first_day(self) -> str:
        """The first day of the stated period, as an ISO date."""
        if len(self.text) == 10:
            return self.text
        if len(self.text) == 7:
            return self.text + "-01"
        return self.text + "-01-01"


def parse_effective(text: str) -> tuple[Stated | None, bool]:
    """Parse an ``effective_from`` field into a stated date; flag fields naming two dates."""
    text = text.strip()
    if not text:
        return None, False
    match = DATE_RE.match(text)
    if not match:
        raise ValueError(f"unparsable effective_from: {text!r}")
    rest = text[match.end() :].strip()
    note = rest.strip("() ;")
    if rest.startswith("(") and rest.endswith(")") and rest.count("(") == 1:
        note = rest[1:-1].strip()
    several = bool(re.search(r"\d{4}-\d{2}|;\s*\d{4}|\b(19|20)\d{2}\b", rest))
    return Stated(match.group(1), note), several


def parse_stated(value: str) -> Stated:
    """Parse a plan date such as "2023-07-01", "2022-06" or "2014"."""
    stated, _ = parse_effective(value)
    assert stated is not None
    return stated


# ---------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------

COMMUNITY_HOSTS = ("psychonautwiki.org", "erowid.org", "erowid.com", "tripsitter.com")
FULL_DATE = re.compile(r"(?<!\d)(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?!\d)")
YEAR_MONTH = re.compile(r"(?<!\d)(\d{4})-(0[1-9]|1[0-2])(?![\d-])")
YEAR = re.compile(r"(?<![\d-])((?:19|20)\d{2})(?![\d])")


def parse_as_of(text: str) -> tuple[str, int, str]:
    """Return (asOf date, quality, note) for a ``source_as_of`` text.

    Quality 3: the text is a plain date. 2: it starts with a date (kept with a note). 1: a date
    was found inside the words. 0: no date at all; the access date is used and the words kept.
    A year gives January 1 and a month its first day; the original words go to lg:asOfNote.
    """
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text, 3, ""
    for quality, candidate in ((2, DATE_RE.match(text)), (1, None)):
        if candidate:
            return parse_stated(candidate.group(1)).first_day, quality, text
    for pattern in (FULL_DATE, YEAR_MONTH, YEAR):
        found = pattern.search(text)
        if found:
            return parse_stated(found.group(0)).first_day, 1, text
    return ACCESS_DATE, 0, text or "no date given in the reference"


def repair_url(url: str) -> tuple[str, str]:
    """Repair a malformed URL minimally and percent-encode characters illegal in IRIs.

    Returns the IRI string and a note when something was changed.
    """
    note = ""
    fixed = url.strip()
    if re.match(r"^https?:///", fixed):
        fixed = re.sub(r"^(https?:)///", r"\1//", fixed)
        note = f"URL repaired: the reference gives {url!r} (three slashes); one slash removed."
    # IRIs allow non-ASCII letters but not spaces, <>"{}|\^` or controls: encode those only.
    safe = "".join(chr(c) for c in range(33, 127) if chr(c) not in '<>"{}|\\^`')
    encoded = quote(fixed, safe=safe + "".join(ch for ch in fixed if ord(ch) > 127))
    if encoded != fixed:
        note = (note + " " if note else "") + "Characters illegal in IRIs were percent-encoded."
    return encoded, note


@dataclass
class SourceRef:
    """One cited source of a row: URL, title and the row's as-of words for it."""

    url: str
    title: str
    as_of: str
    paired: bool  # the as-of words were given for this source alone

    @property
    def node(self) -> URIRef:
        """The source's IRI."""
        return source_iri(self.url)


@dataclass
class SourceInfo:
    """Everything the graph says about one source."""

    url: str
    title: str
    as_of: str
    as_of_quality: tuple[int, int, str]
    as_of_note: str
    community: bool
    url_note: str = ""


class SourceRegistry:
    """Collects sources across all files; one lg:Source per URL."""

    def __init__(self) -> None:
        self.sources: dict[str, SourceInfo] = {}

    def add(self, ref: SourceRef, community: bool, url_note: str = "") -> URIRef:
        """Register a source occurrence and return its IRI."""
        date, quality, note = parse_as_of(ref.as_of)
        rank = (int(ref.paired), quality, date)
        known = self.sources.get(ref.url)
        if known is None:
            self.sources[ref.url] = SourceInfo(
                ref.url, ref.title, date, rank, note, community, url_note
            )
        else:
            # Keep the first title seen; take the best as-of: words given for this source alone
            # beat a row-level date, a plain date beats a date found in words, later beats
            # earlier. The note keeps the words of the chosen value.
            if rank > known.as_of_quality:
                known.as_of, known.as_of_quality, known.as_of_note = date, rank, note
            known.community = known.community or community
            known.url_note = known.url_note or url_note
        return ref.node


def split_sources(
    urls: str, titles: str, as_of: str, title_override: list[str] | None = None
) -> list[tuple[SourceRef, bool, str]]:
    """Split a row's ``source_url``/``source_title``/``source_as_of`` into source references.

    Several sources are separated by `` | `` in the same order in both columns. A URL written as
    ``URL (copy: URL2)`` gives two sources, the stored copy titled "... (stored copy)". The
    as-of words are paired with the sources when they are given one per source (split on `` | ``
    or on ``; `` with the same count); otherwise the row's words apply to every source.
    """
    url_parts = [u.strip() for u in urls.split(" | ") if u.strip()]
    title_parts = title_override or [t.strip() for t in titles.split(" | ")]
    if len(title_parts) != len(url_parts):
        raise ValueError(f"titles do not pair with URLs: {urls[:80]!r}")
    as_of_parts: list[str]
    paired = True
    if len(as_of.split(" | ")) == len(url_parts):
        as_of_parts = [a.strip() for a in as_of.split(" | ")]
    elif len(as_of.split("; ")) == len(url_parts) and len(url_parts) > 1:
        as_of_parts = [a.strip() for a in as_of.split("; ")]
    else:
        as_of_parts = [as_of.strip()] * len(url_parts)
        paired = len(url_parts) == 1
    out: list[tuple[SourceRef, bool, str]] = []
    for part, title, when in zip(url_parts, title_parts, as_of_parts, strict=True):
        match = re.match(r"^(\S+)(?:\s+\(copy:\s*(\S+?)\))?$", part)
        if not match:
            raise ValueError(f"unparsable source URL: {part!r}")
        primary, note = repair_url(match.group(1))
        community = any(host in primary for host in COMMUNITY_HOSTS)
        out.append((SourceRef(primary, title, when, paired), community, note))
        if match.group(2):
            copy, copy_note = repair_url(match.group(2))
            out.append(
                (SourceRef(copy, f"{title} (stored copy)", when, paired), community, copy_note)
            )
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    """Read a reference CSV as a list of row dicts."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# ---------------------------------------------------------------------------------------------
# Substances and natural materials
# ---------------------------------------------------------------------------------------------

# Names: only names the reference or its sources give, or plainly standard names and
# abbreviations. skos:prefLabel and skos:altLabel must differ (SKOS), so where the everyday
# short name is the entry's own name ("MDMA (3,4-methylenedioxymethamphetamine)" in
# identifiers.csv) the short name is an altLabel.
SUBSTANCES: dict[str, dict[str, Any]] = {
    "mdma": {
        "pref": "MDMA (3,4-methylenedioxymethamphetamine)",
        "alt": [
            ("MDMA", "en"),
            ("3,4-methylenedioxymethamphetamine", "en"),
            ("ecstasy", "en"),
            ("molly", "en"),
            ("midomafetamine", "en"),
            ("Midomafetamin", "de"),
            ("XTC", "nl"),
            ("éxtasis", "es"),
            ("搖頭丸", "zh-Hant"),
        ],
        "identifiers_row": 2,
    },
    "psilocybin": {
        "pref": "psilocybin",
        "alt": [("psilocybine", "en"), ("psilosibina", "id")],
        "identifiers_row": 3,
    },
    "psilocin": {
        "pref": "psilocin",
        "alt": [("psilocine", "en"), ("psilocyn", "en"), ("4-HO-DMT", "en")],
        "identifiers_row": 4,
    },
    "lsd": {
        "pref": "LSD (lysergide)",
        "alt": [
            ("LSD", "en"),
            ("lysergide", "en"),
            ("lysergic acid diethylamide", "en"),
            ("acid", "en"),
            ("LSD-25", "en"),
            ("Lysergid", "de"),
        ],
        "identifiers_row": 5,
    },
    "dmt": {
        "pref": "DMT (N,N-dimethyltryptamine)",
        "alt": [
            ("DMT", "en"),
            ("N,N-dimethyltryptamine", "en"),
            ("dimethyltryptamine", "en"),
            ("Dimethyltryptamin", "de"),
        ],
        "identifiers_row": 6,
    },
    "mescaline": {
        "pref": "mescaline",
        "alt": [("Meskalin", "de")],
        "identifiers_row": 7,
    },
    "ketamine": {
        "pref": "ketamine",
        "alt": [
            ("Ketalar", "en"),
            ("Ketamin", "de"),
            ("氯胺酮", "zh"),
            ("ケタミン", "ja"),
            ("케타민", "ko"),
            ("ketamin", "id"),
        ],
        "identifiers_row": 8,
    },
    "esketamine": {
        "pref": "esketamine",
        "alt": [
            ("(S)-ketamine", "en"),
            ("Spravato", "en"),
            ("Ketanest S", "de"),
            ("Esketamin", "de"),
            ("escetamina", "pt"),
        ],
        "identifiers_row": 9,
    },
    "ibogaine": {
        "pref": "ibogaine",
        "alt": [("Ibogain", "de"), ("ibogaína", "es")],
        "identifiers_row": 10,
    },
}

# The UN 1971 row of international.csv for each substance (international.csv is the authority
# for UN schedules). MDMA has no row there: its Schedule I listing comes from identifiers.csv
# (WHO ECDD repository, Wikipedia infobox) and the Austrian official list quoted in
# schedules.csv row 2.
INTERNATIONAL_ROWS = {
    "psilocybin": 2,
    "psilocin": 3,
    "lsd": 4,
    "dmt": 5,
    "mescaline": 6,
    "ibogaine": 8,
    "ketamine": 9,
    "esketamine": 10,
}

MATERIALS: dict[str, dict[str, Any]] = {
    "psilocybin-mushrooms": {
        "pref": "psilocybin mushrooms",
        "alt": [
            ("magic mushrooms", "en"),
            ("shrooms", "en"),
            ("Psilocybe mushrooms", "en"),
            ("paddo's", "nl"),
            ("Zauberpilze", "de"),
            ("cogumelos mágicos", "pt"),
            ("setas alucinógenas", "es"),
            ("funghi allucinogeni", "it"),
            ("taikasienet", "fi"),
        ],
        "contains": ["psilocybin", "psilocin"],
    },
    "psilocybin-truffles": {
        "pref": "psilocybin truffles",
        "alt": [("magic truffles", "en"), ("sclerotia", "en"), ("truffels", "nl")],
        "contains": ["psilocybin", "psilocin"],
    },
    "psilocybin-mushroom-spores": {
        "pref": "psilocybin mushroom spores",
        "alt": [("magic mushroom spores", "en"), ("Pilzsporen", "de")],
        # Spores contain neither psilocybin nor psilocin (Erowid, unverified_claims.csv row 10;
        # South Africa row: "spores and grow kits, which contain no psilocybin"): no lg:contains.
        "contains": [],
    },
    "peyote": {
        "pref": "peyote",
        "alt": [("Lophophora williamsii", "en"), ("mescal buttons", "en")],
        "contains": ["mescaline"],
    },
    "ayahuasca": {
        "pref": "ayahuasca",
        "alt": [("yagé", "es"), ("hoasca", "pt"), ("Daime", "pt")],
        "contains": ["dmt"],
    },
    "iboga": {
        "pref": "iboga",
        "alt": [("Tabernanthe iboga", "en")],
        "contains": ["ibogaine"],
    },
    "mescaline-cacti": {
        "pref": "mescaline-containing cacti",
        "alt": [("mescaline cacti", "en")],
        "contains": ["mescaline"],
    },
}

# ---------------------------------------------------------------------------------------------
# Schedules
# ---------------------------------------------------------------------------------------------

# Language of each scheme's names in schedules.csv (labels keep their language tag).
SCHEME_LANG = {
    "UN-1971": "en",
    "UN-1961": "en",
    "US-CSA": "en",
    "GB-MDA1971": "en",
    "GB-MDR2001": "en",
    "AU-SUSMP": "en",
    "CA-CDSA": "en",
    "DE-BTMG": "de",
    "NL-OPIUMWET": "nl",
    "CH-BETMVV": "de",
    "FR-ARRETE1990": "fr",
    "FR-ARRETE1990-PSY": "fr",
    "IT-DPR309": "it",
    "ES-RD2829": "es",
    "ES-LEY17-1967": "es",
    "NZ-MDA1975": "en",
    "JP-NPCA": "ja",
    "SG-MDA": "en",
    "ID-UU35": "id",
    "IL-DDO1973": "en",
    "IL-NPS2013": "en",
    "BR-P344": "pt",
    "MX-LGS245": "es",
    "IN-NDPS": "en",
    "CN-NPDR": "zh",
    "CZ-NV463": "cs",
    "PT-DL15-93": "pt",
}
# Instrument slugs for the schemes' defining instruments (model.md uses these two examples).
SCHEME_INSTRUMENT = {"US-CSA": "us-csa", "AU-SUSMP": "au-poisons-standard"}
TREATY_OF = {"UN-1971": "un-1971", "UN-1961": "un-1961"}
TREATIES = {
    "un-1971": "Convention on Psychotropic Substances, 1971",
    "un-1961": "Single Convention on Narcotic Drugs, 1961",
}
# Slugs for categories whose names have no Latin letters.
CATEGORY_SLUGS = {
    "麻薬 (narcotics, 別表第一)": "mayaku",
    "第一種向精神薬 (Class 1 psychotropics)": "psychotropic-class-1",
    "第二種向精神薬 (Class 2 psychotropics)": "psychotropic-class-2",
    "第三種向精神薬 (Class 3 psychotropics)": "psychotropic-class-3",
    "麻薬原料植物 (narcotic raw-material plants, 別表第二)": "narcotic-raw-material-plants",
    "麻醉药品 (narcotic drugs catalogue)": "narcotic-drugs",
    "第一类精神药品 (Category I psychotropic drugs)": "psychotropic-category-i",
    "第二类精神药品 (Category II psychotropic drugs)": "psychotropic-category-ii",
}
MEDICAL_LEVEL = {
    "research-only": "ProhibitedExceptResearch",
    "none": "ProhibitedExceptResearch",
    "prescription-restricted": "StrictMedicalControl",
    "prescription": "PrescriptionMedicine",
    "": "ControlledLevelNotStated",
}
RANK = {
    "ProhibitedExceptResearch": 1,
    "StrictMedicalControl": 2,
    "PrescriptionMedicine": 3,
    "NotControlled": 4,
}


def category_slug(category: str) -> str:
    """Schedule slug: the category name without its parenthetical, as an ASCII slug."""
    if category in CATEGORY_SLUGS:
        return CATEGORY_SLUGS[category]
    slug = slugify(re.sub(r"\s*\(.*$", "", category))
    if not slug:
        raise ValueError(f"no slug for category {category!r}")
    return slug


# Schemes that schedules.csv lacks but a status row names, created ONLY from that row (the row is
# the source; the schedule's level comes from that row's medical_use_allowed). Key: scheme id.
# "rows": (file, row) of the defining row; "schedules": (slug, label, lang, defining row).
EXTRA_SCHEMES: dict[str, dict[str, Any]] = {
    "AT-SGV": {
        "jurisdiction": "AUT",
        "lang": "de",
        "row": ("mdma", 35),
        "name": "Suchtgiftverordnung (BGBl. II Nr. 374/1997)",
        "schedules": [("anhang-v-1", "Anhang V.1 der Suchtgiftverordnung", ("mdma", 35))],
    },
    "SE-NARKOTIKA": {
        "jurisdiction": "SWE",
        "lang": "sv",
        "row": ("mdma", 19),
        "name": "Läkemedelsverkets förteckningar över narkotika",
        "schedules": [("forteckning-i", "Förteckning I", ("mdma", 19))],
    },
    "LV-MK847": {
        "jurisdiction": "LVA",
        "lang": "lv",
        "row": ("mdma", 38),
        "name": "Noteikumi par Latvijā kontrolējamajām narkotiskajām vielām, psihotropajām "
        "vielām un prekursoriem (MK noteikumi Nr. 847, 2005)",
        "schedules": [("i-saraksts", "I saraksts", ("mdma", 38))],
    },
    "RU-PP681": {
        "jurisdiction": "RUS",
        "lang": "ru",
        "row": ("mdma", 39),
        "name": "Перечень наркотических средств, психотропных веществ и их прекурсоров "
        "(Постановление Правительства РФ от 30.06.1998 N 681)",
        "schedules": [("spisok-i", "Список I", ("mdma", 39))],
    },
    "TW-NHPA": {
        "jurisdiction": "TWN",
        "lang": "zh-Hant",
        "row": ("mdma", 40),
        "name": "毒品危害防制條例",
        "schedules": [
            ("class-2", "第二級毒品", ("mdma", 40)),
            ("class-3", "第三級毒品", ("east", 5)),
        ],
    },
    "TH-NARCOTICS": {
        "jurisdiction": "THA",
        "lang": "en",
        "row": ("mdma", 23),
        "name": "Narcotics Act B.E. 2522 (1979) / Narcotics Code (2021) categories of narcotics",
        "schedules": [
            ("category-1", "Category 1 narcotic", ("mdma", 23)),
            ("category-5", "Category 5 narcotic", ("mushrooms", 29)),
        ],
    },
    "TH-PSA2518": {
        "jurisdiction": "THA",
        "lang": "th",
        "row": ("east", 9),
        "name": "Psychotropic Substances Act B.E. 2518 (1975)",
        "schedules": [("category-2", "วัตถุออกฤทธิ์ต่อจิตและประสาทประเภท 2", ("east", 9))],
    },
    "KR-NARCOTICS": {
        "jurisdiction": "KOR",
        "lang": "ko",
        "row": ("mdma", 25),
        "name": "마약류 관리에 관한 법률",
        "schedules": [("psychotropic-na", "향정신성의약품 나목", ("mdma", 25))],
    },
    "HK-DDO": {
        "jurisdiction": "HKG",
        "lang": "en",
        "row": ("east", 2),
        "name": "Dangerous Drugs Ordinance (Cap. 134)",
        "schedules": [("first-schedule-part-i", "First Schedule Part I", ("east", 2))],
    },
    "SI-URP": {
        "jurisdiction": "SVN",
        "lang": "sl",
        "row": ("east", 18),
        "name": "Uredba o razvrstitvi prepovedanih drog",
        "schedules": [("skupina-i", "Skupina I", ("east", 18))],
    },
    "PL-UPN": {
        "jurisdiction": "POL",
        "lang": "pl",
        "row": ("mushrooms", 13),
        "name": "Ustawa o przeciwdziałaniu narkomanii: wykaz substancji psychotropowych",
        "schedules": [("i-p", "grupa I-P", ("mushrooms", 13))],
    },
    "BG-NAREDBA": {
        "jurisdiction": "BGR",
        "lang": "bg",
        "row": ("east", 25),
        "name": "Наредба за реда за класифициране на растенията и веществата като наркотични",
        "schedules": [("spisak-i", "Списък I", ("east", 25))],
    },
    "UA-CMU770": {
        "jurisdiction": "UKR",
        "lang": "uk",
        "row": ("east", 26),
        "name": "Перелік наркотичних засобів, психотропних речовин і прекурсорів "
        "(постанова КМУ № 770, 2000)",
        "schedules": [("table-i", "Таблиця I", ("east", 26))],
    },
    "VN-ND28-2026": {
        "jurisdiction": "VNM",
        "lang": "vi",
        "row": ("east", 11),
        "name": "Nghị định 28/2026/NĐ-CP quy định các danh mục chất ma túy và tiền chất",
        # The row's medical_use_allowed is blank, so every list is "level not stated"; the
        # lists' own rules are kept verbatim in lg:medicalUseRule.
        "schedules": [
            ("danh-muc-i", "Danh mục I", ("east", 11)),
            ("danh-muc-ii", "Danh mục II", ("east", 11)),
            ("danh-muc-iii", "Danh mục III", ("east", 11)),
            ("danh-muc-iv", "Danh mục IV", ("east", 11)),
        ],
        "rules": {
            "danh-muc-i": "List I (58 substances, IA and IB): absolutely prohibited in medicine "
            "and social life, use only for research/testing/forensics/defence "
            "under special rules",
            "danh-muc-ii": "List II (476, IIA and IIB): restricted use incl. health care",
            "danh-muc-iii": "List III (81): used in research and in health care and veterinary "
            "care",
            "danh-muc-iv": "List IV: precursors (IVA, IVB, IVC)",
        },
    },
    "AR-D560-2019": {
        "jurisdiction": "ARG",
        "lang": "es",
        "row": ("south", 13),
        "name": "Decreto 560/2019, Anexo I (listado de estupefacientes)",
        "schedules": [("anexo-i", "Anexo I", ("south", 13))],
    },
}


# ---------------------------------------------------------------------------------------------
# Authorities (lg:Authority, id:authority/{slug}); original-language names keep their tag
# ---------------------------------------------------------------------------------------------

AUTHORITIES: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    # slug: (English name, jurisdiction code, other names with language)
    "tga": ("Therapeutic Goods Administration", "AUS", [("TGA", "en")]),
    "fda": ("US Food and Drug Administration", "USA", [("FDA", "en")]),
    "dea": ("Drug Enforcement Administration", "USA", [("DEA", "en")]),
    "hhs": ("US Department of Health and Human Services", "USA", [("HHS", "en")]),
    "health-canada": ("Health Canada", "CAN", [("Santé Canada", "fr")]),
    "bfarm": (
        "Federal Institute for Drugs and Medical Devices (BfArM)",
        "DEU",
        [
            ("Bundesinstitut für Arzneimittel und Medizinprodukte", "de"),
            ("Bundesopiumstelle", "de"),
        ],
    ),
    "home-office": ("Home Office", "GBR", []),
    "nice": ("National Institute for Health and Care Excellence", "GBR", [("NICE", "en")]),
    "medsafe": ("Medsafe (New Zealand Medicines and Medical Devices Safety Authority)", "NZL", []),
    "nz-minister-of-health": ("Minister of Health (New Zealand)", "NZL", []),
    "foph": (
        "Federal Office of Public Health (FOPH)",
        "CHE",
        [("Bundesamt für Gesundheit", "de"), ("BAG", "de")],
    ),
    "swissmedic": ("Swissmedic", "CHE", []),
    "ansm": (
        "National Agency for the Safety of Medicines and Health Products (ANSM)",
        "FRA",
        [("Agence nationale de sécurité du médicament et des produits de santé", "fr")],
    ),
    "cz-ministry-of-health": (
        "Ministry of Health of the Czech Republic",
        "CZE",
        [("Ministerstvo zdravotnictví", "cs")],
    ),
    "dkma": ("Danish Medicines Agency", "DNK", [("Lægemiddelstyrelsen", "da")]),
    "se-mpa": ("Swedish Medical Products Agency", "SWE", [("Läkemedelsverket", "sv")]),
    "aemps": (
        "Spanish Agency of Medicines and Medical Devices (AEMPS)",
        "ESP",
        [("Agencia Española de Medicamentos y Productos Sanitarios", "es")],
    ),
    "it-ministry-of-health": (
        "Ministry of Health (Italy), Central Narcotics Office",
        "ITA",
        [("Ministero della Salute, Ufficio centrale stupefacenti", "it")],
    ),
    "jp-prefectural-governor": ("Prefectural governor (Japan)", "JPN", [("都道府県知事", "ja")]),
    "anvisa": (
        "Brazilian Health Regulatory Agency (ANVISA)",
        "BRA",
        [("Agência Nacional de Vigilância Sanitária", "pt")],
    ),
    "ie-department-of-health": ("Department of Health (Ireland)", "IRL", []),
    "hpra": ("Health Products Regulatory Authority (HPRA)", "IRL", []),
    "za-department-of-health": ("National Department of Health (South Africa)", "ZAF", []),
    "sahpra": ("South African Health Products Regulatory Authority (SAHPRA)", "ZAF", []),
    "hsa": ("Health Sciences Authority (Singapore)", "SGP", []),
    "infarmed": ("INFARMED (National Authority of Medicines and Health Products)", "PRT", []),
    "nl-ministry-vws": (
        "Minister of Health, Welfare and Sport (Netherlands)",
        "NLD",
        [("Minister van Volksgezondheid, Welzijn en Sport", "nl")],
    ),
    "european-commission": ("European Commission", "EU", []),
    "nmpa": ("National Medical Products Administration (China)", "CHN", []),
    "mfds": ("Ministry of Food and Drug Safety (South Korea)", "KOR", [("식품의약품안전처", "ko")]),
    "il-ministry-of-health": ("Ministry of Health (Israel)", "ISR", []),
    "who-eml-committee": (
        "WHO Expert Committee on the Selection and Use of Essential Medicines",
        "UN",
        [],
    ),
    "oregon-health-authority": (
        "Oregon Health Authority (Oregon Psilocybin Services)",
        "US-OR",
        [],
    ),
    "colorado-natural-medicine-division": (
        "Colorado Department of Revenue, Natural Medicine Division",
        "US-CO",
        [],
    ),
    "nm-department-of-health": ("New Mexico Department of Health", "US-NM", []),
    "cz-parliament": ("Parliament of the Czech Republic", "CZE", []),
}


# ---------------------------------------------------------------------------------------------
# Which substance or material a row is about
# ---------------------------------------------------------------------------------------------

# The ``substance`` column (verbatim) -> slugs; [] means "controlled drugs in general" (a record
# without lg:substance). Rows about a material attach to the material, never to the substance;
# a qualifier such as "(spores)" selects the spores only. mdma_status.csv has no substance
# column: all its rows are about MDMA. Row-level overrides are in ROW_PLANS["subjects"].
SUBJECTS: dict[str, list[str]] = {
    "psilocybin": ["psilocybin"],
    "LSD": ["lsd"],
    "esketamine": ["esketamine"],
    "ibogaine": ["ibogaine"],
    "psilocybin (and psilocin)": ["psilocybin", "psilocin"],
    "DMT": ["dmt"],
    "ayahuasca (DMT)": ["ayahuasca"],
    # USA/MEX rows: the substance is listed and the cactus has its own rules.
    "mescaline / peyote": ["mescaline", "peyote"],
    "peyote": ["peyote"],
    "ketamine": ["ketamine"],
    "all controlled substances (general possession law)": [],
    "psilocybin (and psilocyn)": ["psilocybin", "psilocin"],
    "mescaline (excluding peyote)": ["mescaline"],
    "multiple (psilocybin, psilocyn, DMT, mescaline excl. peyote, ibogaine)": [
        "psilocybin",
        "psilocin",
        "dmt",
        "mescaline",
        "ibogaine",
    ],
    "psilocybin mushrooms": ["psilocybin-mushrooms"],
    "entheogenic plants and fungi (psilocybin mushrooms, ayahuasca, mescaline cacti, iboga)": [
        "psilocybin-mushrooms",
        "ayahuasca",
        "mescaline-cacti",
        "iboga",
    ],
    # Santa Cruz: the row names no species; the source's title names magic mushrooms only.
    "entheogenic plants and fungi": ["psilocybin-mushrooms"],
    # Seattle: as the row writes them ("ibogaine", "non-peyote mescaline" are substances).
    "entheogens (psilocybin mushrooms, ayahuasca, ibogaine, non-peyote mescaline)": [
        "psilocybin-mushrooms",
        "ayahuasca",
        "ibogaine",
        "mescaline",
    ],
    "mescaline (not peyote)": ["mescaline"],
    "psilocybin (and other restricted drugs incl. LSD, DMT, MDMA)": [
        "psilocybin",
        "lsd",
        "dmt",
        "mdma",
    ],
    "psilocybin, psilocin, LSD, DMT, mescaline, ketamine (psychedelic-assisted therapy)": [
        "psilocybin",
        "psilocin",
        "lsd",
        "dmt",
        "mescaline",
        "ketamine",
    ],
    "ayahuasca (DMT, harmaline, harmalol)": ["ayahuasca"],
    "psilocybin mushrooms (fresh and dried)": ["psilocybin-mushrooms"],
    "psilocybin truffles (sclerotia)": ["psilocybin-truffles"],
    "psilocybin mushrooms (fresh or prepared)": ["psilocybin-mushrooms"],
    "mescaline": ["mescaline"],
    "Schedule 1 psychedelics (psilocybin, LSD, DMT, etc.)": ["psilocybin", "lsd", "dmt"],
    "all controlled drugs (incl. psilocybin, LSD, DMT, mescaline, ketamine)": [],
    "ayahuasca": ["ayahuasca"],
    "psilocybin mushrooms (spores)": ["psilocybin-mushroom-spores"],
    "iboga (Tabernanthe iboga; ibogaine source plant)": ["iboga"],
    "MDMA": ["mdma"],
    "controlled drugs - personal-dose regime (MDMA, LSD, psilocybin have no statutory personal "
    "dose)": [],
    "ayahuasca (yagé)": ["ayahuasca"],
    "MDMA, LSD, psilocybin, DMT, mescaline (1971 Convention Schedule I substances)": [
        "mdma",
        "lsd",
        "psilocybin",
        "dmt",
        "mescaline",
    ],
    "controlled drugs incl. hallucinogens (general personal-use regime; applies to MDMA, LSD, "
    "psilocybin etc.)": [],
    "drogas tóxicas (all controlled drugs incl. MDMA, LSD, psilocybin, DMT) - posesión no "
    "punible": [],
    "estupefacientes list (Decreto 560/2019 Anexo I; lysergamide and tryptamine analogues added "
    "2026)": [],
    "psilocybin, psilocin, mescaline, ibogaine, DMT (plant-based psychoactive substances)": [
        "psilocybin",
        "psilocin",
        "mescaline",
        "ibogaine",
        "dmt",
    ],
    # Lesotho: a licence for cultivating the mushrooms and producing psilocybin from them.
    "psilocybin (psilocybin mushrooms - licensed cultivation and production)": [
        "psilocybin-mushrooms"
    ],
    "narcotic and psychotropic substances (general regime; MDMA, LSD, psilocybin schedule "
    "placement not verified)": [],
    "narcotic and psychotropic substances (general regime; individual schedules not verified)": [],
    "narcotic drugs (general regime; MDMA and psychedelics not individually verified)": [],
    "narcotics (general regime; Law 52 applies to all stupéfiants)": [],
    "narcotic substances lists (framework; MDMA and ketamine placement not read)": [],
    "all narcotic drugs (general possession law, incl. MDMA)": [],
    "all narcotic drugs and psychotropic substances (general law)": [],
    "all narcotic drugs and psychotropic substances (general possession law)": [],
    "all narcotic drugs (general possession law)": [],
    "all controlled drugs (general possession law)": [],
    "List I plants and substances (framework; MDMA/psilocybin entries not read)": [],
    "Table I substances (framework; MDMA/psilocybin entries not read)": [],
}

# City rows carry their state's code; the city is named in ``jurisdiction``.
CITIES = {
    ("psychedelics", 34): "US-CO/denver",
    ("psychedelics", 35): "US-CA/oakland",
    ("psychedelics", 36): "US-CA/santa-cruz",
    ("psychedelics", 37): "US-WA/seattle",
}

# Possession-regime words -> lg:PossessionRegimeType, by the first word of the field. Fields
# that start otherwise need a decision in ROW_PLANS["penalty"] (the importer stops otherwise).
REGIME_WORDS = {
    "criminal": "CriminalPossession",
    "decriminalised": "DecriminalisedPossession",
    "administrative": "AdministrativePossession",
    "legal-regulated": "LegalRegulated",
    "not-controlled": "NotControlledPossession",
}
MEDICAL_USE = {
    "none": "MedicalUseNone",
    "research-only": "MedicalUseResearchOnly",
    "restricted-prescribing": "MedicalUseRestrictedPrescribing",
    "compassionate/special-access": "MedicalUseSpecialAccess",
    "approved-medicine": "MedicalUseApprovedMedicine",
}


# ---------------------------------------------------------------------------------------------
# Per-row decisions
# ---------------------------------------------------------------------------------------------
#
# Key: (file, row). Without a plan a status-file row gives, per subject: a status assertion if it
# states a schedule or medical use (schedule linked only when listed here), a research exemption
# if it has research_exemption text, a possession regime if possession_regime starts with one of
# REGIME_WORDS, an other exemption if it has other_exemption text. Therapeutic access becomes an
# lg:TherapeuticAuthorization only when a plan says so (otherwise its text is kept as the status
# assertion's description). The row's effective_from goes to the status assertion, or to every
# record when there is none; "date_on" moves it. A plan entry replaces the default for its kind
# (False: no record of that kind). "tag": records of the same kind, jurisdiction, subject and
# tag are merged into one record citing every row's sources (duplicate rows, refinements).
# Specs: status(schedule, level, medical, from_, until, date_note, text, description, note,
# subjects, tag, extra_sources, sources), auth(access, status, indication, authority, product,
# from_, until, ...), penalty(regime, ...), pending(measure, ...), other(...), listing(...),
# research(...). "sources": indices of the row's sources the record cites (default: all).

TGA_QA = (
    "https://tga.gov.au/resources/publication/scheduling-decisions-final/notice-final-decision-"
    "amend-or-not-amend-current-poisons-standard-june-2022-acms-38-psilocybine-and-mdma/"
    "re-scheduling-psilocybin-and-mdma-poisons-standard-questions-and-answers",
    "TGA: Re-scheduling of psilocybin and MDMA in the Poisons Standard: questions and answers",
    "2023-02-03",
)
NSW_HEALTH = (
    "https://health.nsw.gov.au:443/pharmaceutical/Pages/psilocybine-and-mdma.aspx",
    "NSW Health: Psilocybine and MDMA",
    "stored copy (undated)",
)
EMCDDA_2007 = (
    "http://emcdda.europa.eu/news/2007/magic-mushroom-business-presents-law-makers-dilemmas",
    "EMCDDA news release: Magic mushroom business presents law-makers with dilemmas",
    "2007 (EMCDDA Drugs in focus briefing release)",
)
AU_PRIOR_NOTE = (
    "Prior status: before 2023-07-01 the substance was Schedule 9 (prohibited substance) for all "
    "uses, accessible only in clinical trials and research (TGA Q&A; NSW Health). The date the "
    "Schedule 9 listing began is not in the reference."
)

ROW_PLANS: dict[tuple[str, int], dict[str, Any]] = {
    # ----------------------------------------------------------------- mdma_status.csv
    ("mdma", 2): {  # USA federal
        "status": [
            {
                "schedule": "US-CSA/schedule-i",
                "sources": [0, 1],
                "date_note": "final rule effective (re-issued final rule published "
                "1988-02-22; emergency temporary Schedule I 1985, final rule "
                "1986-10-14; sources disagree on the year)",
            }
        ],
        "date_ok": True,
        "research": [{"sources": [2, 5, 6]}],
        "penalty": [{"regime": "CriminalPossession", "sources": [0, 1]}],
        "auth": [
            {
                "access": "ExpandedAccess",
                "status": "Ended",
                "authority": ["fda"],
                "indication": "treatment-resistant PTSD",
                "product": "MDMA-assisted therapy, expanded-access protocol EAMP1 (MAPS PBC)",
                "from_": "2019-12-20",
                "date_note": "FDA notified MAPS it may proceed",
                "description": "FDA expanded-access protocol (EAMP1): up to 50 treatment-resistant "
                "PTSD patients at up to 10 US sites, run by MAPS PBC; now fully "
                "enrolled and closed.",
                "tag": "eamp1",
                "sources": [4, 5, 6],
                "instrument_text": "",
            },
            {
                "access": "RefusedAccess",
                "status": "Refused",
                "authority": ["fda"],
                "indication": "PTSD",
                "product": "midomafetamine capsules (MDMA-assisted therapy), Lykos Therapeutics",
                "from_": "2024-08-09",
                "date_note": "Complete Response Letter issued",
                "description": "Lykos Therapeutics' NDA for midomafetamine capsules (accepted with "
                "priority review, announced 2024-02-09; Breakthrough Therapy "
                "designation 2017) was not approved: FDA issued a Complete "
                "Response Letter on 2024-08-09 requesting an additional phase 3 "
                "trial, after the advisory committee voted 2-9 on effectiveness "
                "and 1-10 on benefit-risk (2024-06-04). No FDA approval of MDMA "
                "found up to 2026.",
                "tag": "fda-refusal-2024",
                "sources": [3, 7, 8, 9, 10, 11, 12],
                "instrument_text": "",
            },
        ],
        # The therapeutic_access text is fully covered by the two authorizations above.
        "status_description": False,
    },
    ("mdma", 3): {  # US-CO HB 22-1344: a trigger law, not a change of status
        "status": False,
        "pending": [{"measure": "ContingentLaw"}],
        "date_on": "pending",
    },
    ("mdma", 4): {  # US-TX scheduling (state schedule; the federal scheme does not apply)
        "note": "Texas's 2021 study bill (HB 1802) is recorded as a pending measure from "
        "mdma_status.csv row 60; the reference lists the two Texas rows as duplicates, "
        "but a bill cannot be merged into a status assertion.",
    },
    ("mdma", 5): {  # Australia: history S9 -> S8 on 2023-07-01
        "status": [
            {
                "schedule": "AU-SUSMP/schedule-9",
                "medical": "research-only",
                "from_": None,
                "until": "2023-07-01",
                "text": "Schedule 9 (Prohibited Substance)",
                "description": AU_PRIOR_NOTE,
                "sources": [0, 1],
                "note": "Prior status taken from the row's TGA and NSW Health sources ('previously "
                "only accessible as Schedule 9 in clinical trials').",
            },
            {"schedule": "AU-SUSMP/schedule-8", "instrument": "au-poisons-standard"},
        ],
        "auth": [
            {
                "access": "AuthorisedPrescriber",
                "status": "Granted",
                "authority": ["tga"],
                "indication": "PTSD",
                "from_": "2023-07-01",
                "product": "MDMA (unapproved product; no MDMA product on the ARTG)",
            }
        ],
    },
    ("mdma", 6): {  # Canada: SAP from 2022-01-05
        "status": [
            {
                "schedule": "CA-CDSA/schedule-i",
                "from_": "2022-01-05",
                "date_note": "medical use as stated (Special Access Program) since the SAP "
                "amendment; the Schedule I listing predates it (date not in "
                "the reference)",
            }
        ],
        "auth": [
            {
                "access": "SpecialAccess",
                "status": "Granted",
                "authority": ["health-canada"],
                "indication": "serious or life-threatening conditions where other therapies "
                "failed, are unsuitable or unavailable",
                "from_": "2022-01-05",
                "date_note": "SAP amendment (SOR/2021-271) in force",
                "tag": "sap-2022",
            }
        ],
        "penalty": [{"regime": "CriminalPossession", "from_": None}],
    },
    ("mdma", 7): {  # British Columbia: decriminalisation 2023-01-31 to 2026-01-31
        "status": False,
        "date_ok": True,
        "penalty": [
            {
                "regime": "DecriminalisedPossession",
                "from_": "2023-01-31",
                "until": "2024-05-07",
                "description": "Health Canada exemption under CDSA s.56(1) (granted 31 May 2022): "
                "adults could possess up to 2.5 g cumulative of opioids, cocaine, "
                "methamphetamine and MDMA without arrest, charge or seizure.",
            },
            {
                "regime": "DecriminalisedPossession",
                "from_": "2024-05-07",
                "until": "2026-02-01",
                "date_note": "exemption narrowed; it lapsed after 31 Jan 2026",
                "description": "The exemption narrowed on 7 May 2024 to private residences, legal "
                "shelters, and health/overdose-prevention/drug-checking sites; the "
                "province did not seek renewal and it lapsed on 31 Jan 2026 "
                "(last day of the exemption; criminal again from 1 Feb 2026).",
            },
            {
                "regime": "CriminalPossession",
                "from_": "2026-02-01",
                "date_note": "criminal again from 1 Feb 2026 (exemption expired 2026-01-31)",
                "description": "Criminal again from 1 Feb 2026: the CDSA possession offence "
                "applies in British Columbia as elsewhere in Canada.",
            },
        ],
    },
    ("mdma", 8): {  # Switzerland: limited medical use since 2014
        "status": [
            {
                "schedule": "CH-BETMVV/verzeichnis-d",
                "date_note": "current limited-medical-use programme; the listing predates it",
            }
        ],
        "auth": [
            {
                "access": "SpecialAccess",
                "status": "Granted",
                "authority": ["foph"],
                "indication": "patients with mostly incurable disease and no adequate alternatives",
                "from_": "2014",
                "date_note": "current limited-medical-use programme",
            }
        ],
    },
    ("mdma", 9): {  # UK
        "status": [
            {
                "schedule": "GB-MDR2001/schedule-1",
                "date_note": "Modification Order bringing MDMA under the 1971 Act (date "
                "from a Wikipedia-text mirror)",
            }
        ],
        "research": [
            {
                "mechanism": "Home Office controlled drugs licence required to possess, "
                "supply or administer Schedule 1 drugs.",
                "schedules": ["GB-MDR2001/schedule-1"],
            }
        ],
        "pending": [
            {
                "measure": "PendingBill",
                "from_": "2025-07-16",
                "date_note": "government response to the ACMD",
                "description": "On 16 Jul 2025 the Government responded to ACMD 'Barriers "
                "to research' advice, agreeing in principle that "
                "university/hospital research and HRA/MHRA-approved "
                "clinical studies with Schedule 1 drugs be exempt from the "
                "domestic licence, to be evaluated through a pilot "
                "(import/export still licensed).",
                "tag": "uk-research-2025",
            }
        ],
    },
    ("mdma", 10): {"status": [{"schedule": "DE-BTMG/anlage-i"}]},
    ("mdma", 11): {  # Netherlands (8 URLs, 7 titles: 'two articles' covers URLs 5 and 6)
        "titles": [
            "Belastingdienst handbook: Opiumwet (List I incl. MDMA/XTC)",
            "Drugsinfo (Trimbos): Opiumwet en straffen",
            "Rijksoverheid: Instelling staatscommissie MDMA (17 Mar 2023)",
            "Drug Science: Report of the Dutch State Committee on MDMA",
            "nieuws.nl (ANP) 6 Jun 2024: Staatscommissie: maak PTSS-behandeling met MDMA mogelijk",
            "nieuws.nl (ANP) 6 Jun 2024: Criminaliteit staat opname MDMA in lijst softdrugs in "
            "de weg",
            "triptherapie.nl forum (quotes OM Aanwijzing Opiumwet)",
            "De Gelderlander",
        ],
        "status": [{"schedule": "NL-OPIUMWET/lijst-i"}],
        "pending": [
            {
                "measure": "PendingBill",
                "from_": "2024-06-06",
                "date_note": "State Commission report presented",
                "description": "Staatscommissie MDMA (installed 17 Mar 2023) presented "
                "'MDMA: Voorbij de extase' on 6 Jun 2024: recommends "
                "enabling MDMA-assisted therapy for PTSD as quickly as "
                "possible, no recreational regulation for now, and not "
                "moving MDMA to List II (advisory; not law).",
            }
        ],
    },
    ("mdma", 12): {  # Israel (merged with the 'schedule detail' row 46)
        "status": [
            {
                "tag": "isr-mdma",
                "from_": "2019",
                "schedule": "IL-DDO1973/dangerous-drug",
                "date_note": "compassionate-use approval reported Feb-Mar 2019; the "
                "dangerous-drug listing predates it",
            }
        ],
        "auth": [
            {
                "access": "CompassionateUse",
                "status": "Granted",
                "authority": ["il-ministry-of-health"],
                "indication": "PTSD",
                "product": "MDMA-assisted psychotherapy (about 50 patients, four sites)",
                "from_": "2019",
                "tag": "isr-compassionate",
            }
        ],
        "penalty": [{"regime": "CriminalPossession", "tag": "isr-mdma", "from_": None}],
    },
    ("mdma", 13): {  # Czech Republic: two events in one field
        "date_ok": True,
        "penalty": [
            {
                "regime": "AdministrativePossession",
                "from_": "2010-01-01",
                "until": "2014-04-01",
                "date_note": "government regulation on small quantities in force",
                "description": "Administrative for small amounts (misdemeanour); criminal above "
                "'small': the 2010 government regulation set 4 tablets for "
                "ecstasy/MDMA.",
            },
            {
                "regime": "AdministrativePossession",
                "from_": "2014-04",
                "date_note": "Supreme Court guideline (decision of 13 Mar 2014, published 9 Apr "
                "2014)",
                "description": "Administrative for small amounts (misdemeanour); criminal above: "
                "for ecstasy/MDMA more than 4 tablets/capsules or more than 0.4 g "
                "powder/crystals (min. 0.34 g MDMA base) counts as 'greater than "
                "small' (2014 Supreme Court guideline).",
            },
        ],
        "status": [{"from_": None}],
    },
    ("mdma", 14): {  # Portugal: 2001 decriminalisation, extended 2023-10-01
        "status": [{"schedule": "PT-DL15-93/tabela-ii-a", "from_": None}],
        "penalty": [
            {
                "regime": "DecriminalisedPossession",
                "from_": "2001-07-01",
                "until": "2023-10-01",
                "description": "Acquisition/possession for personal use up to a 10-day average "
                "individual supply is an administrative offence handled by "
                "Commissions for the Dissuasion of Drug Addiction (Law 30/2000, "
                "effective 1 Jul 2001).",
            },
            {
                "regime": "DecriminalisedPossession",
                "from_": "2023-10-01",
                "date_note": "2023 amendment in force",
                "description": "The 2023 amendment (in force 1 Oct 2023) extended the regime to "
                "synthetic drugs and made the 10-day quantity only an indicator of "
                "trafficking.",
            },
        ],
    },
    ("mdma", 15): {  # New Zealand (merged with row 47)
        "status": [{"schedule": "NZ-MDA1975/class-b", "tag": "nzl-mdma-b1", "from_": "2005-08-02"}],
        "penalty": [{"regime": "CriminalPossession", "tag": "nzl-mdma", "from_": None}],
    },
    ("mdma", 16): {},
    ("mdma", 17): {},
    ("mdma", 18): {  # Belgium: 1998 decree replaced by the 2017 decree
        "status": [
            {
                "from_": "1998-01-22",
                "until": "2017-01-01",
                "date_note": "date of the Royal Decree of 22 January 1998 (entry into force not "
                "read); ends when the 2017 decree replaced it (year only)",
                "text": "psychotropic substance (Royal Decree of 22 January 1998)",
                "description": "The EMCDDA profile names MDMA among psychotropic substances in the "
                "1998 decree.",
            },
            {"date_note": "current royal decree (6 September 2017; the reference gives the year)"},
        ],
    },
    ("mdma", 19): {"status": [{"schedule": "SE-NARKOTIKA/forteckning-i"}]},
    ("mdma", 20): {  # Norway: the 2021 decriminalisation bill was rejected
        "date_on": "pending",
        "pending": [
            {
                "measure": "RejectedMeasure",
                "description": "The government's Feb 2021 decriminalisation bill (which "
                "would have set a 0.5 g MDMA threshold) was rejected by the "
                "Storting on 3 Jun 2021; instead fines may be suspended on "
                "condition of attending municipal drug counselling.",
            }
        ],
    },
    ("mdma", 21): {  # Austria (merged with the 'schedule detail' row 35)
        "status": [{"tag": "aut-mdma", "schedule": "AT-SGV/anhang-v-1"}],
    },
    ("mdma", 22): {
        "status": [
            {
                "schedule": "JP-NPCA/mayaku",
                "note": "The 麻薬 category allows medical narcotics under "
                "licence; for hallucinogens only researcher licences "
                "are practically relevant (schedules.csv, inference).",
            }
        ]
    },
    ("mdma", 23): {
        "status": [{"schedule": "TH-NARCOTICS/category-1", "from_": None}],
        "date_on": "penalty",
    },
    ("mdma", 24): {
        "status": [{"schedule": "ID-UU35/narkotika-golongan-i"}],
        "research": [{"schedules": ["ID-UU35/narkotika-golongan-i"]}],
    },
    ("mdma", 25): {"status": [{"schedule": "KR-NARCOTICS/psychotropic-na"}]},
    ("mdma", 26): {},
    ("mdma", 27): {"status": [{"schedule": "BR-P344/lista-f2"}]},
    ("mdma", 28): {},
    ("mdma", 29): {  # EU: no EU-level scheduling
        "status": [
            {
                "level": "ControlledLevelNotStated",
                "note": "No EU-level scheduling: Member States control MDMA nationally "
                "under the UN 1971 Convention. medical_use 'none' means no EU "
                "marketing authorisation; the control level is left 'not stated' "
                "because the EU itself lists nothing.",
            }
        ],
        "penalty": False,  # "n/a (national)"
    },
    ("mdma", 30): {},
    ("mdma", 31): {"status": [{"schedule": "IT-DPR309/tabella-i"}]},
    ("mdma", 32): {},
    ("mdma", 33): {},
    ("mdma", 34): {},
    ("mdma", 35): {  # Austria schedule detail: merged into row 21's status
        "status": [{"tag": "aut-mdma", "schedule": "AT-SGV/anhang-v-1"}],
    },
    ("mdma", 36): {},
    ("mdma", 37): {  # Croatia: misdemeanour since 2013
        "date_on": "penalty",
        "penalty": [{"regime": "AdministrativePossession"}],
    },
    ("mdma", 38): {  # Latvia: penalty regime not verified -> no possession record (a gap)
        "status": [{"schedule": "LV-MK847/i-saraksts"}],
        "penalty": False,
    },
    ("mdma", 39): {"status": [{"schedule": "RU-PP681/spisok-i"}]},
    ("mdma", 40): {"status": [{"schedule": "TW-NHPA/class-2"}]},
    ("mdma", 41): {},
    ("mdma", 42): {},
    ("mdma", 43): {  # Vietnam: Decree 73/2018 lists, replaced by 57/2022, then by 28/2026
        "status": [
            {
                "until": "2022-08-25",
                "date_note": "ends when Decree 57/2022/ND-CP (25 Aug 2022) replaced Decree "
                "73/2018/ND-CP (entry-into-force date not read)",
                "note": "Decree history: 73/2018 -> 57/2022 (2022-08-25) -> 28/2026 "
                "(2026-01-19), per east_regions_status.csv row 11.",
            },
            # Later periods: MDMA stays a narcotic substance (the Criminal Code's art. 249 names
            # MDMA), but which list of the newer decrees holds it was not read: level not stated.
            {
                "from_": "2022-08-25",
                "until": "2026-01-19",
                "level": "ControlledLevelNotStated",
                "medical": "",
                "confidence": "low",
                "text": "chất ma túy (narcotic substance) on the Decree 57/2022/ND-CP lists; "
                "which list was not read",
                "instrument_text": "Decree 57/2022/ND-CP (25 Aug 2022) replacing Decrees "
                "73/2018/ND-CP and 60/2020/ND-CP (lists of narcotic substances and precursors)",
                "date_note": "Decree 57/2022/ND-CP issued (entry-into-force date not read)",
                "extra_sources": [
                    (
                        "https://enviliance.com/regions/southeast-asia/vn/report_5211",
                        "Enviliance Asia: Vietnam's new decree to control narcotic substances "
                        "and precursors (Decree 57/2022 replaced 73/2018 and 60/2020)",
                        "2022",
                    )
                ],
                "note": "Inferred continuity: the Criminal Code thresholds cited by this row "
                "name MDMA; the list placement under Decree 57/2022 was not read.",
            },
            {
                "from_": "2026-01-19",
                "level": "ControlledLevelNotStated",
                "medical": "",
                "confidence": "low",
                "text": "chất ma túy (narcotic substance) on the Decree 28/2026/NĐ-CP lists; "
                "which list was not read",
                "instrument_text": "Nghị định 28/2026/NĐ-CP quy định các danh mục chất ma túy và "
                "tiền chất (issued 19 Jan 2026), replacing Decree 57/2022/ND-CP",
                "date_note": "Decree 28/2026/NĐ-CP issued (entry-into-force date not read)",
                "extra_sources": [
                    (
                        "https://baophutho.vn/ban-hanh-4-danh-muc-chat-ma-tuy-va-tien-chat-"
                        "246197.htm",
                        "Báo Phú Thọ: Ban hành 4 danh mục chất ma túy và tiền chất (21 Jan 2026)",
                        "2026-01-21",
                    )
                ],
                "note": "Inferred continuity: the Criminal Code thresholds cited by this row "
                "name MDMA; which list of Decree 28/2026 holds MDMA was not read "
                "(east_regions_status.csv row 11), so no lg:schedule is given.",
            },
        ],
    },
    ("mdma", 44): {"status": [{"schedule": "IN-NDPS/psychotropic-substances"}]},
    ("mdma", 45): {},
    ("mdma", 46): {  # Israel schedule detail: merged into row 12's records
        "status": [{"tag": "isr-mdma", "from_": "2019", "schedule": "IL-DDO1973/dangerous-drug"}],
        "penalty": [{"regime": "CriminalPossession", "tag": "isr-mdma"}],
    },
    ("mdma", 47): {  # New Zealand schedule detail: B2 -> B1 on 2005-08-02 (merged with row 15)
        "status": [
            {
                "schedule": "NZ-MDA1975/class-b",
                "from_": "1987",
                "until": "2005-08-02",
                "text": "Class B (Misuse of Drugs Act 1975), Schedule 2 ('Class B2')",
                "date_note": "NZ outlawed MDMA in 1987 (NZ Drug Foundation); moved from Class B2 "
                "to B1 on 2 Aug 2005",
            },
            {"schedule": "NZ-MDA1975/class-b", "tag": "nzl-mdma-b1"},
        ],
        "penalty": [{"regime": "CriminalPossession", "tag": "nzl-mdma", "from_": None}],
    },
    ("mdma", 48): {  # Peru art. 299 before DL 1592
        "penalty": [
            {
                "regime": "DecriminalisedPossession",
                "until": "2023-12-01",
                "date_note": "ends when Decreto Legislativo 1592 amended art. 299 "
                "(published 14 Dec 2023; day of entry into force not read)",
                "note": "Superseded by the amended art. 299 (south_regions_status.csv "
                "row 12, applying to all controlled drugs).",
            }
        ],
    },
    ("mdma", 49): {  # Chile: 'consumption is a falta' fits no regime word: no record (gap)
        "penalty": False,
    },
    ("mdma", 50): {  # Jamaica: sources conflict
        "status": [
            {
                "level": "ControlledLevelNotStated",
                "confidence": "low",
                "note": "CONFLICT recorded, not resolved: a 2004 police statement said "
                "ecstasy was not classified under the Dangerous Drugs Act "
                "(prosecutions used food and poisons laws), a blog lists MDMA as a "
                "controlled drug, and in 2022 the Prime Minister directed that the "
                "law be amended to cover MDMA. 'Controlled, level not stated' is "
                "the weakest reading both sides allow (food and poisons law).",
            }
        ],
        "penalty": False,  # "not verified"
        "pending": [
            {
                "measure": "PendingBill",
                "from_": "2022-09-29",
                "sources": [1],
                "date_note": "Prime Minister's direction",
                "description": "On 29 Sep 2022 PM Andrew Holness directed that the law be "
                "amended to cover MDMA ('Molly'); whether an amendment was "
                "enacted was not verified.",
            }
        ],
    },
    ("mdma", 51): {
        "pending": [
            {
                "measure": "PendingBill",
                "from_": "2022-08-04",
                "sources": [1],
                "date_note": "bill published (GG 47193)",
                "description": "Drugs and Drug Trafficking Amendment Bill B19-2022 would "
                "repeal s. 63 (the Minister's power to amend the schedules) "
                "and replace Schedules 1 and 2; enactment not verified.",
            }
        ],
    },
    ("mdma", 52): {},
    # ACT and WA rows give quantity thresholds, not a classification: no status assertion.
    ("mdma", 53): {"status": False},
    ("mdma", 54): {"status": False},
    ("mdma", 55): {"status": False, "pending": [{"measure": "ContingentLaw"}]},
    ("mdma", 56): {
        "status": False,
        "pending": [{"measure": "ContingentLaw"}],
        "date_on": "pending",
    },
    ("mdma", 57): {
        "status": False,
        "subjects": ["mdma", "psilocybin"],
        "pending": [
            {"measure": "PilotProgramme", "date_note": "law effective; sunsets after three years"}
        ],
        "date_on": "pending",
    },
    ("mdma", 58): {
        "status": False,
        "subjects": ["mdma", "psilocybin"],
        "pending": [{"measure": "ContingentLaw"}],
        "date_on": "pending",
    },
    ("mdma", 59): {
        "status": False,
        "subjects": ["mdma", "psilocybin", "lsd"],
        "pending": [{"measure": "PendingBill"}],
    },
    ("mdma", 60): {
        "status": False,
        "subjects": ["mdma", "psilocybin", "ketamine"],
        "pending": [{"measure": "PendingBill", "date_note": "bill introduced"}],
        "date_on": "pending",
    },
    # ----------------------------------------------------------------- psychedelics_status.csv
    ("psychedelics", 2): {  # Australia psilocybin: history S9 -> S8 on 2023-07-01
        "status": [
            {
                "schedule": "AU-SUSMP/schedule-9",
                "medical": "research-only",
                "from_": None,
                "until": "2023-07-01",
                "text": "Schedule 9 (Prohibited Substance)",
                "description": AU_PRIOR_NOTE,
                "extra_sources": [TGA_QA, NSW_HEALTH],
                "sources": [],
                "note": "Prior status from the TGA Q&A and the NSW Health page named in the row's "
                "notes (S8 from 1 July 2023; other uses limited to research).",
            },
            {
                "schedule": "AU-SUSMP/schedule-8",
                "instrument": "au-poisons-standard",
                "extra_sources": [NSW_HEALTH],
            },
        ],
        "auth": [
            {
                "access": "AuthorisedPrescriber",
                "status": "Granted",
                "authority": ["tga"],
                "indication": "treatment-resistant depression",
                "from_": "2023-07-01",
                "product": "psilocybin (unapproved product; none registered on the ARTG)",
            }
        ],
        "penalty": [{"regime": "CriminalPossession", "from_": None}],
    },
    ("psychedelics", 3): {"status": False},  # ACT threshold, not a classification
    ("psychedelics", 4): {"status": False},
    ("psychedelics", 5): {  # AUS esketamine (refined by therapeutic_approvals.csv row 5)
        "status": [{"schedule": "AU-SUSMP/schedule-8"}],
        "auth": [
            {
                "access": "ApprovedMedicine",
                "status": "Granted",
                "authority": ["tga"],
                "indication": "treatment-resistant depression (adults who have tried at least "
                "two antidepressants)",
                "product": "Spravato (Janssen)",
                "from_": None,
                "tag": "aus-spravato",
            }
        ],
    },
    ("psychedelics", 6): {
        "status": [{"schedule": "AU-SUSMP/schedule-4"}],
        "penalty": [{"regime": "NotControlledPossession", "from_": None}],
    },
    ("psychedelics", 7): {"status": [{"schedule": "US-CSA/schedule-i"}], "date_ok": True},
    # FDA Breakthrough Therapy designations and the rolling NDA: steps towards an approval,
    # recorded as pending approved-medicine authorizations; they change no status.
    ("psychedelics", 8): {
        "status": False,
        "auth": [
            {
                "access": "ApprovedMedicine",
                "status": "Pending",
                "authority": ["fda"],
                "indication": "treatment-resistant depression",
                "product": "COMP360 psilocybin therapy (COMPASS Pathways)",
                "date_note": "Breakthrough Therapy designation granted (not an approval)",
            }
        ],
    },
    ("psychedelics", 9): {
        "status": False,
        "auth": [
            {
                "access": "ApprovedMedicine",
                "status": "Pending",
                "authority": ["fda"],
                "indication": "major depressive disorder",
                "product": "psilocybin (Usona Institute)",
                "date_note": "Breakthrough Therapy designation announced (not an approval)",
            }
        ],
    },
    ("psychedelics", 10): {
        "status": False,
        "auth": [
            {
                "access": "ApprovedMedicine",
                "status": "Pending",
                "authority": ["fda"],
                "indication": "treatment-resistant depression",
                "product": "COMP360 (synthetic psilocybin), Compass Pathways",
                "date_note": "rolling NDA review granted and Commissioner's National Priority "
                "Voucher "
                "awarded; NDA completion targeted Q4 2026 (not an approval)",
            }
        ],
    },
    ("psychedelics", 11): {"status": [{"schedule": "US-CSA/schedule-i"}]},
    ("psychedelics", 12): {
        "status": [{"schedule": "US-CSA/schedule-i"}],
        # Cross-reference to the ayahuasca rows, which hold the exemption.
        "other": False,
    },
    ("psychedelics", 13): {"status": False},  # ayahuasca: the schedule text is DMT's
    ("psychedelics", 14): {  # federal court (D. Or.) under RFRA; the iso_code is the district
        "status": False,
        "penalty": False,
        "note": "Federal district court ruling under federal law (RFRA); the reference's "
        "iso_code US-OR is the court's district.",
    },
    ("psychedelics", 15): {  # USA mescaline and peyote; the date is the NAC exemption's
        "status": [{"schedule": "US-CSA/schedule-i", "from_": None}],
        "other": [{"subjects": ["peyote"]}],
        "date_on": "other",
        "date_ok": True,
    },
    ("psychedelics", 16): {
        "status": False,
        "other": False,
        "pending": [
            {
                "measure": "PendingBill",
                "description": "DEA Unified Agenda rulemaking (RIN "
                "1117-AA97), not finalised as far as "
                "verified: limited exemption for peyote "
                "use in traditional ceremonies by "
                "members of federally recognized "
                "tribes, harmonising with the AIRFA "
                "Amendments 1994.",
            }
        ],
    },
    ("psychedelics", 17): {"status": [{"schedule": "US-CSA/schedule-i"}]},
    ("psychedelics", 18): {"status": False, "pending": [{"measure": "PilotProgramme"}]},
    ("psychedelics", 19): {
        "status": [{"schedule": "US-CSA/schedule-iii"}],
        "penalty": [{"regime": "CriminalPossession", "from_": None}],
    },
    ("psychedelics", 20): {  # USA esketamine: Schedule III since 1999 (isomer), approved 2019
        "status": [
            {
                "schedule": "US-CSA/schedule-iii",
                "from_": "1999-08-12",
                "until": "2019-03-05",
                "medical": "",
                "sources": [],
                "extra_sources": [
                    (
                        "https://www.govinfo.gov/content/pkg/FR-1999-07-13/html/99-17803.htm",
                        "Federal Register 13 July 1999: Schedules of Controlled Substances: "
                        "Placement "
                        "of Ketamine into Schedule III (final rule)",
                        "1999-07-13",
                    )
                ],
                "text": "Schedule III (ketamine, including its salts, isomers, and salts of "
                "isomers)",
                "date_note": "DEA final rule placing ketamine and its isomers in Schedule III",
                "description": "Esketamine is an isomer of ketamine, so the 1999 rule placed it in "
                "Schedule III (psychedelics_status.csv row 19 notes).",
            },
            {
                "schedule": "US-CSA/schedule-iii",
                "from_": "2019-03-05",
                "date_note": "first FDA approval of an esketamine medicine (Spravato)",
            },
        ],
        "auth": [
            {
                "access": "ApprovedMedicine",
                "status": "Granted",
                "authority": ["fda"],
                "indication": "treatment-resistant depression in adults, with an oral "
                "antidepressant",
                "product": "Spravato (esketamine) nasal spray, Janssen",
            }
        ],
        "date_on": "auth",
    },
    ("psychedelics", 21): {
        "status": False,
        "auth": [
            {
                "access": "ApprovedMedicine",
                "status": "Granted",
                "authority": ["fda"],
                "indication": "treatment-resistant depression in adults, as monotherapy",
                "product": "Spravato (esketamine) nasal spray, Janssen",
                "date_note": "supplemental NDA approval",
            }
        ],
    },
    ("psychedelics", 22): {  # Oregon supervised services (not medicine)
        "status": False,
        "auth": [
            {
                "access": "SupervisedServices",
                "status": "Granted",
                "authority": ["oregon-health-authority"],
                "indication": "none required (adults 21+; no prescription or diagnosis)",
                "product": "psilocybin products and services at licensed service centres",
                "date_note": "OHA licence applications accepted",
            }
        ],
    },
    ("psychedelics", 23): {
        "status": False,
        "penalty": False,
        "auth": [
            {
                "access": "SupervisedServices",
                "status": "Granted",
                "authority": ["oregon-health-authority"],
                "indication": "none required (adults 21+)",
                "product": "first psilocybin service centre licence (EPIC Healing Eugene)",
                "date_note": "first service centre licence issued",
            }
        ],
    },
    ("psychedelics", 24): {  # Oregon HB 4002: Measure 110 decriminalisation ended 2024-09-01
        "status": False,
        "penalty": [
            {
                "regime": "DecriminalisedPossession",
                "from_": "2021-02-01",
                "until": "2024-09-01",
                "date_note": "Ballot Measure 110 in force (date per a Wikipedia mirror cited in "
                "the row's notes)",
                "description": "Ballot Measure 110 (2020): personal-use possession a Class E "
                "violation ($100 fine).",
            },
            {
                "regime": "CriminalPossession",
                "from_": "2024-09-01",
                "date_note": "HB 4002 in force (signed 2024-04-01)",
                "description": "House Bill 4002 (2024): personal-use possession is a 'drug "
                "enforcement misdemeanor' (up to 6 months jail; deflection "
                "programmes optional by county), reversing Measure 110.",
            },
        ],
    },
    ("psychedelics", 25): {"status": False},  # 'natural medicine': decriminalisation, below
    ("psychedelics", 26): {"status": False},
    ("psychedelics", 27): {"status": False},
    ("psychedelics", 28): {"status": False},
    ("psychedelics", 29): {  # Colorado healing centres: two events in one field
        "status": False,
        "penalty": False,
        "date_ok": True,
        "auth": [
            {
                "access": "SupervisedServices",
                "status": "Granted",
                "authority": ["colorado-natural-medicine-division"],
                "indication": "none required (adults 21+)",
                "product": "psilocybin at licensed healing centres under licensed facilitators",
                "from_": "2024-12-31",
                "date_note": "licence applications accepted",
            },
            {
                "access": "SupervisedServices",
                "status": "Granted",
                "authority": ["colorado-natural-medicine-division"],
                "indication": "none required (adults 21+)",
                "product": "first healing centre licence (The Center Origin, Denver)",
                "from_": "2025-03",
                "date_note": "first healing centre licence issued",
            },
        ],
    },
    ("psychedelics", 30): {
        "status": False,
        "penalty": False,
        "pending": [{"measure": "PendingBill"}],
    },
    ("psychedelics", 31): {  # New Mexico Medical Psilocybin Act
        "date_ok": True,
        "status": [
            {
                "from_": "2025-04-07",
                "date_note": "Act signed; programme to be implemented by 2027-12-31; "
                "whether it is operational is unverified",
                "text": "Removed from state schedule for qualified medical treatment only",
            }
        ],
        "auth": [
            {
                "access": "AuthorisedPrescriber",
                "status": "Pending",
                "authority": ["nm-department-of-health"],
                "indication": "major treatment-resistant depression, PTSD, substance use "
                "disorders, end-of-life care",
                "product": "Medical Use of Psilocybin Program (approved clinicians, approved "
                "settings)",
                "from_": "2025-04-07",
                "date_note": "Act signed; programme to be implemented by 2027-12-31",
            }
        ],
        "penalty": [{"regime": "CriminalPossession", "from_": None}],
    },
    ("psychedelics", 32): {  # Texas SB 2308: a state-funded research programme
        "status": False,
        "research": False,
        "pending": [
            {
                "measure": "PilotProgramme",
                "description": "Senate Bill 2308 (2025): state-funded (up to $50M, matched "
                "by private funds) consortium to run FDA drug-development "
                "clinical trials of ibogaine for opioid use disorder and "
                "other conditions; the state keeps a share of IP revenue.",
            }
        ],
        "penalty": [{"regime": "CriminalPossession", "from_": None}],
        "date_on": "pending",
    },
    ("psychedelics", 33): {
        "status": False,
        "pending": [{"measure": "RejectedMeasure"}],
        "penalty": [{"regime": "CriminalPossession", "from_": None}],
        "date_on": "pending",
    },
    # City resolutions: lowest enforcement priority, not decriminalisation by law.
    ("psychedelics", 34): {"status": False, "penalty": [{"regime": "LowestEnforcementPriority"}]},
    ("psychedelics", 35): {"status": False, "penalty": [{"regime": "LowestEnforcementPriority"}]},
    ("psychedelics", 36): {
        "status": False,
        "penalty": [
            {
                "regime": "LowestEnforcementPriority",
                "note": "The resolution covers Schedule I "
                "psychoactive plants and fungi generally; the "
                "reference does not itemise them, so only the "
                "mushrooms named by the source are linked.",
            }
        ],
    },
    ("psychedelics", 37): {"status": False, "penalty": [{"regime": "LowestEnforcementPriority"}]},
    # Canada: Schedule III, medical use via the SAP since 2022-01-05 (therapeutic_access).
    ("psychedelics", 38): {
        "status": [
            {
                "schedule": "CA-CDSA/schedule-iii",
                "from_": "2022-01-05",
                "date_note": "medical use as stated (Special Access "
                "Program) since 2022-01-05; the Schedule "
                "III listing predates it",
            }
        ]
    },
    ("psychedelics", 39): {
        "status": [
            {
                "schedule": "CA-CDSA/schedule-iii",
                "from_": "2022-01-05",
                "date_note": "medical use as stated (Special Access "
                "Program) since 2022-01-05; the Schedule "
                "III listing predates it",
            }
        ]
    },
    ("psychedelics", 40): {
        "status": [
            {
                "schedule": "CA-CDSA/schedule-iii",
                "from_": "2022-01-05",
                "date_note": "medical use as stated (Special Access "
                "Program) since 2022-01-05; the Schedule "
                "III listing predates it",
            }
        ]
    },
    ("psychedelics", 41): {  # mescaline listed "but not peyote"
        "status": [
            {"subjects": ["mescaline"], "schedule": "CA-CDSA/schedule-iii"},
            {
                "subjects": ["peyote"],
                "level": "NotControlled",
                "medical": "",
                "description": "Peyote (Lophophora) is excluded from the CDSA Schedule III "
                "mescaline item.",
            },
        ],
        "research": [{"subjects": ["mescaline"]}],
        "penalty": [{"subjects": ["mescaline"], "regime": "CriminalPossession"}],
    },
    ("psychedelics", 42): {
        "status": False,
        "auth": [
            {
                "access": "SpecialAccess",
                "status": "Granted",
                "authority": ["health-canada"],
                "indication": "end-of-life anxiety (incurable cancer)",
                "product": "psilocybin therapy (CDSA s.56(1) exemptions for four patients)",
                "date_note": "first exemptions announced",
            }
        ],
        "penalty": False,
    },
    ("psychedelics", 43): {
        "status": False,
        "auth": [
            {
                "access": "SpecialAccess",
                "status": "Granted",
                "authority": ["health-canada"],
                "indication": "serious or life-threatening conditions where other therapies "
                "failed, "
                "are unsuitable or unavailable",
                "date_note": "SAP amendment (SOR/2021-271) in force",
                "tag": "sap-2022",
            }
        ],
    },
    ("psychedelics", 44): {  # Alberta: a licensing restriction on treatment services
        "status": False,
        "other": [
            {
                "description": "Alberta licensing of psychedelic drug treatment services "
                "(AR 351/2022): a provincial licence is required to provide "
                "psychedelic drug treatment for psychiatric disorders, with "
                "psychiatrist oversight; approved clinical trials and ketamine "
                "outside psychedelic-assisted psychotherapy are exempt; "
                "federal CDSA access routes (SAP/s.56) are still required."
            }
        ],
    },
    ("psychedelics", 45): {"status": False},
    ("psychedelics", 46): {"status": [{"schedule": "CA-CDSA/schedule-i"}]},
    ("psychedelics", 47): {
        "status": False,
        "auth": [  # refined by therapeutic row 4
            {
                "access": "ApprovedMedicine",
                "status": "Granted",
                "authority": ["health-canada"],
                "indication": "major depressive disorder after failure of at least two "
                "antidepressants, with an oral antidepressant",
                "product": "Spravato (esketamine) nasal spray, Janssen",
                "from_": None,
                "tag": "can-spravato",
            }
        ],
    },
    ("psychedelics", 48): {},
    ("psychedelics", 49): {"status": [{"level": "NotControlled"}]},
    ("psychedelics", 50): {  # Netherlands: dried mushrooms 2002, fresh 2008-12-01
        "status": [
            {
                "from_": "2002",
                "until": "2008-12-01",
                "level": "ControlledLevelNotStated",
                "text": "dried psilocybin mushrooms controlled under the Opium Act; fresh "
                "mushrooms not",
                "date_note": "dried mushrooms banned (year per EMCDDA, as the reference's README "
                "states); ends when fresh mushrooms were banned",
                "sources": [],
                "extra_sources": [EMCDDA_2007],
                "note": "From the reference's caveat 'The Netherlands banned dried mushrooms "
                "earlier (2002, per EMCDDA) than fresh ones (2008-12-01)'; the EMCDDA "
                "page's text itself was not re-read for this record.",
            },
            {
                "schedule": "NL-OPIUMWET/lijst-ii",
                "note": "schedules.csv notes a conflict: paddo's on Lijst II (drugsinfo.nl, "
                "jellinek.nl) vs Lijst I (corbeekfrijns.nl).",
            },
        ],
    },
    ("psychedelics", 51): {
        "status": [{"level": "NotControlled"}],
        "penalty": [{"regime": "NotControlledPossession", "from_": None}],
    },
    ("psychedelics", 52): {  # Czech medical psilocybin from 2026-01-01
        "auth": [
            {
                "access": "AuthorisedPrescriber",
                "status": "Granted",
                "authority": ["cz-ministry-of-health"],
                "indication": "treatment-resistant depression, depression in "
                "oncological/incurable disease and other serious conditions",
                "product": "individually prepared medicinal product containing (synthetic) "
                "psilocybin, prescribed by psychiatrists (max 3 doses/month; "
                "single dose <=35 mg or 0.4 mg/kg)",
                "from_": "2026-01-01",
            }
        ],
        # "criminal/administrative for non-medical" fits no single regime: kept as text.
        "penalty": False,
    },
    ("psychedelics", 53): {"status": False},  # threshold of 40 mushrooms: penalty detail
    ("psychedelics", 54): {  # NZ psilocybin (merged with east row 15: Class A)
        "status": [
            {
                "schedule": "NZ-MDA1975/class-a",
                "tag": "nzl-psilocybin",
                "from_": None,
                "note": "CONFLICT on medical use: restricted-prescribing (this row, high) "
                "vs compassionate/special-access (east_regions_status.csv row 15, "
                "medium); the higher-confidence value is kept.",
            }
        ],
        "auth": [
            {
                "access": "AuthorisedPrescriber",
                "status": "Granted",
                "authority": ["medsafe"],
                "indication": "treatment-resistant depression",
                "product": "psilocybin, prescribed, supplied and administered by one named "
                "psychiatrist (Prof. Cameron Lacey)",
                "from_": "2025-06-19",
                "date_note": "first prescribing approval announced 19 Jun 2025 (NZ "
                "Herald); this row says about 18 June",
                "tag": "nzl-first-approval",
            }
        ],
    },
    ("psychedelics", 55): {},
    ("psychedelics", 56): {  # Germany compassionate use 2025-07-11 to 2026-07-11
        "status": [
            {
                "date_note": "medical use as stated (compassionate-use programme) since "
                "2025-07-11; the BtMG listing predates it"
            }
        ],
        "auth": [
            {
                "access": "CompassionateUse",
                "status": "Granted",
                "authority": ["bfarm"],
                "indication": "treatment-resistant depression (adults who failed at least two "
                "antidepressants and cannot join trials)",
                "product": "psilocybin (Filament Health PEX010); programme led by CIMH "
                "Mannheim with OVID Clinic Berlin",
                "from_": "2025-07-11",
                "until": "2026-07-11",
                "date_note": "BfArM listing 11.07.2025 to 11.07.2026; renewal after 11 July "
                "2026 unverified",
            }
        ],
    },
    ("psychedelics", 57): {
        "status": [{"schedule": "CH-BETMVV/verzeichnis-d"}],
        "auth": [
            {
                "access": "SpecialAccess",
                "status": "Granted",
                "authority": ["foph"],
                "indication": "restricted medical use (case by case)",
                "product": "LSD (FOPH exceptional licence, BetmG Art. 8 para 5)",
            }
        ],
    },
    ("psychedelics", 58): {
        "status": [{"schedule": "CH-BETMVV/verzeichnis-d"}],
        "auth": [
            {
                "access": "SpecialAccess",
                "status": "Granted",
                "authority": ["foph"],
                "indication": "limited medical use (case by case)",
                "product": "psilocybin (FOPH exceptional authorisation)",
            }
        ],
    },
    ("psychedelics", 59): {
        "status": [{"schedule": "GB-MDR2001/schedule-1"}],
        "research": [{"schedules": ["GB-MDR2001/schedule-1"]}],
    },
    ("psychedelics", 60): {"status": [{"schedule": "GB-MDA1971/class-a"}]},
    ("psychedelics", 61): {"status": [{"schedule": "GB-MDR2001/schedule-1"}]},
    ("psychedelics", 62): {"status": [{"schedule": "GB-MDR2001/schedule-1"}]},
    ("psychedelics", 63): {"status": [{"schedule": "GB-MDR2001/schedule-1"}]},
    ("psychedelics", 64): {  # UK research reform: agreed in principle, pilot not started
        "status": False,
        "research": False,
        "pending": [
            {
                "measure": "PendingBill",
                "tag": "uk-research-2025",
                "date_note": "government response; implementation via pilot, date not verified",
            }
        ],
    },
    ("psychedelics", 65): {  # UK ketamine: Class C -> Class B on 2014-06-10
        "status": [
            {
                "schedule": "GB-MDA1971/class-c",
                "from_": None,
                "until": "2014-06-10",
                "medical": "",
                "text": "Class C",
                "description": "Before 10 June 2014 ketamine was Class C (the row: 'Class B (from "
                "Class C)'); the start of the Class C listing is not in the "
                "reference.",
            },
            {"schedule": "GB-MDA1971/class-b"},
        ],
        "penalty": [{"regime": "CriminalPossession", "from_": None}],
    },
    ("psychedelics", 66): {
        "status": False,
        "penalty": False,
        "pending": [
            {
                "measure": "PendingBill",
                "description": "ACMD advice (commissioned Jan 2025, "
                "published 28 Jan 2026): ketamine to "
                "remain Class B; reclassification to "
                "Class A not recommended. Government's "
                "final response not verified.",
            }
        ],
    },
    ("psychedelics", 67): {  # UK esketamine: EU authorisation, then NICE declined (two events)
        "status": False,
        "date_ok": True,
        "auth": [
            {
                "access": "ApprovedMedicine",
                "status": "Granted",
                "authority": ["european-commission"],
                "indication": "treatment-resistant depression",
                "product": "Spravato (esketamine) nasal spray, Janssen",
                "from_": "2019-12",
                "date_note": (
                    "EU centralised marketing authorisation (UK then in the EU/transition)"
                ),
            },
            {
                "access": "ReimbursementDecision",
                "status": "Refused",
                "authority": ["nice"],
                "indication": "treatment-resistant depression",
                "product": "Spravato (esketamine) nasal spray, Janssen",
                "from_": "2020-01",
                "date_note": "NICE declined to recommend for NHS use",
                "description": "NICE declined to recommend Spravato for NHS use (Jan 2020) on "
                "clinical benefit and cost-effectiveness grounds.",
            },
        ],
    },
    ("psychedelics", 68): {
        "status": False,
        "auth": [
            {
                "access": "ApprovedMedicine",
                "status": "Granted",
                "authority": ["european-commission"],
                "indication": "treatment-resistant major depressive disorder in adults, with an "
                "SSRI "
                "or SNRI",
                "product": "Spravato (esketamine) nasal spray, Janssen",
            }
        ],
    },
    ("psychedelics", 69): {"status": False},
    ("psychedelics", 70): {  # Brazil: religious use of ayahuasca
        "status": False,
        "penalty": False,
    },
    ("psychedelics", 71): {  # São Paulo: a non-binding recommendation (audit 2026-11-26)
        "status": False,
        "pending": [
            {
                "measure": "PendingBill",
                "description": "CONED-SP statement recommending medical use of ibogaine "
                "for substance use disorders in hospital settings under "
                "medical supervision: an advisory recommendation that cannot "
                "authorise prescribing; ibogaine is not licensed for "
                "therapeutic use in Brazil (audit 2026-11-26).",
            }
        ],
    },
    ("psychedelics", 72): {},
    ("psychedelics", 73): {"status": [{"level": "NotControlled"}]},
    ("psychedelics", 74): {  # Mexico: mescaline listed; peyote has the ceremonial exemption
        "status": [{"subjects": ["mescaline"], "schedule": "MX-LGS245/grupo-i"}],
        "other": [{"subjects": ["peyote"]}],
    },
    ("psychedelics", 75): {},
    # ----------------------------------------------------------------- psilocybin_mushrooms
    ("mushrooms", 3): {},  # Bulgaria: possession only (inference noted in the row)
    ("mushrooms", 5): {  # Estonia: controls tightened in 2005; no schedule words in the row
        "status": [
            {
                "level": "ControlledLevelNotStated",
                "text": "",
                "description": "Estonia tightened controls on psilocybin/psilocin-"
                "containing mushrooms (EMCDDA, 2005).",
            }
        ],
    },
    ("mushrooms", 7): {
        "status": [
            {"date_note": "listing date per techno-science.net; not seen in an official text"}
        ]
    },
    ("mushrooms", 8): {  # Germany: mushrooms 1998-02-01, spores and mycelium 2001-07
        "date_ok": True,
        "status": [
            {
                "subjects": ["psilocybin-mushrooms"],
                "schedule": "DE-BTMG/anlage-i",
                "from_": "1998-02-01",
                "date_note": "general clause for organisms containing listed substances",
            },
            {
                "subjects": ["psilocybin-mushroom-spores"],
                "schedule": "DE-BTMG/anlage-i",
                "from_": "2001-07",
                "date_note": "15th BtMG amendment ordinance (expected 1 July 2001; exact date "
                "unverified)",
                "text": "Anlage I: fungal mycelium and spores suitable for producing such "
                "organisms (15. BtMÄndV)",
            },
        ],
        "penalty": [
            {
                "subjects": ["psilocybin-mushrooms"],
                "regime": "CriminalPossession",
                "from_": "1998-02-01",
            },
            {
                "subjects": ["psilocybin-mushroom-spores"],
                "regime": "CriminalPossession",
                "from_": "2001-07",
            },
        ],
    },
    ("mushrooms", 10): {  # Ireland: fresh mushrooms controlled from 2006-01-31
        "status": [
            {
                "from_": None,
                "until": "2006-01-31",
                "level": "ControlledLevelNotStated",
                "text": "dried/prepared mushrooms controlled; raw mushrooms lawful to possess and "
                "sell",
                "description": "Before the 2006 order only dried/prepared mushrooms were illegal "
                "and raw mushrooms were lawful to possess and sell.",
            },
            {"date_note": "order in immediate effect (4pm, 31 Jan 2006)"},
        ],
        "penalty": [{"regime": "CriminalPossession", "from_": "2006-01-31"}],
    },
    ("mushrooms", 11): {"status": [{"schedule": "IT-DPR309/tabella-i"}]},
    ("mushrooms", 13): {  # Poland: the listing is psilocybin's; the possession text is the
        # mushrooms'
        "status": [{"subjects": ["psilocybin"], "schedule": "PL-UPN/i-p"}],
        "penalty": [{"subjects": ["psilocybin-mushrooms"], "regime": "CriminalPossession"}],
    },
    ("mushrooms", 15): {
        "status": [
            {
                "schedule": "SE-NARKOTIKA/forteckning-i",
                "date_note": "generic listing; P. semilanceata listed "
                "1997-06-26 and P. cubensis 1998-06-25 per "
                "magiskamolekyler",
            }
        ],
        "date_ok": True,
    },
    ("mushrooms", 16): {
        "status": [
            {
                "schedule": "CH-BETMVV/verzeichnis-d",
                "date_note": "four genera listed as prohibited (audit "
                "2026-11-27, Eve & Rave citing BAG/Swissmedic)",
            }
        ]
    },
    ("mushrooms", 17): {  # Spain: conflicting sources on whether the mushroom is listed
        "status": False,
        "penalty": [
            {
                "regime": "DecriminalisedPossession",
                "note": "CONFLICT: lawyers disagree whether the mushroom itself is a drug "
                "under art. 368 CP; low confidence.",
            }
        ],
    },
    ("mushrooms", 19): {"status": False},  # contested: kept as possession (criminal, low)
    ("mushrooms", 21): {
        "pending": [
            {
                "measure": "PendingBill",
                "description": "Ministry of Health working group (late 2023) to propose "
                "use of psilocybin and psilocybin mushrooms for medical and "
                "research purposes; a decree proposal was expected in 2025 "
                "- outcome not verified.",
            }
        ],
        "status_description": False,
    },
    ("mushrooms", 25): {"status": [{"schedule": "HK-DDO/first-schedule-part-i"}]},
    ("mushrooms", 28): {  # Samoa: not covered as of 2017; reform recommended
        "pending": [
            {
                "measure": "PendingBill",
                "from_": "2017-12",
                "date_note": "Samoa Law Reform Commission report",
                "description": "The Samoa Law Reform Commission (Dec 2017) recommended "
                "adding pulouaitu (mushrooms) to the illegal drugs "
                "framework; enactment after 2018 unverified.",
            }
        ],
    },
    ("mushrooms", 29): {  # Thailand: Category 5; medical/research notification 2024-04-24
        "status": [
            {
                "schedule": "TH-NARCOTICS/category-5",
                "date_note": "medical/research notification (Royal Gazette 23 Apr 2024); "
                "the Category 5 listing predates it",
            }
        ],
    },
    ("mushrooms", 30): {
        "pending": [
            {
                "measure": "PendingBill",
                "from_": "2024-04-12",
                "date_note": "constitutional challenge filed",
                "description": "Constitutional challenge Cromhout & Ferguson v Minister of "
                "Justice and Constitutional Development (Gauteng High "
                "Court, case 2024-040119) seeking legalisation of "
                "psilocybin; the State opposes; outcome as of 2026-11-26 "
                "unverified.",
            }
        ],
    },
    ("mushrooms", 31): {
        "subjects": ["psilocybin", "psilocin"],  # notes: covers both
        "status": [{"schedule": "BR-P344/lista-f2"}],
    },
    ("mushrooms", 32): {"penalty": [{"regime": "CriminalPossession", "tag": "ind-mushrooms"}]},
    # ----------------------------------------------------------------- south_regions_status.csv
    ("south", 2): {  # Gabon: heritage 2000 and export suspension 2019 (two events)
        "status": False,
        "other": [
            {
                "from_": "2000-07-06",
                "date_note": "Council of Ministers decision",
                "description": "Iboga classified as national cultural heritage (patrimoine "
                "culturel national) by the Council of Ministers, 6 Jul 2000.",
            },
            {
                "date_note": "Arrêté n°0001/MFEPC/CAB-M, art. 2",
                "description": "Arrêté 0001/2019: 'l'exportation de tout ou partie de l'Iboga, "
                "brut ou dérivé, est suspendue à titre conservatoire'; special "
                "export authorisations may be granted exceptionally by the "
                "forestry minister after technical advice.",
            },
        ],
    },
    ("south", 3): {"status": False},
    ("south", 4): {"status": [{"from_": None}], "date_on": "penalty"},
    ("south", 5): {  # Mexico LSD: 2009 table and the 2023 Supreme Court ruling
        "status": [{"from_": None}],
        "penalty": [
            {
                "regime": "DecriminalisedPossession",
                "from_": "2009-08",
                "sources": [2],
                "date_note": "art. 479 table (narcomenudeo reform, 2009)",
            }
        ],
        "pending": [
            {
                "measure": "RejectedMeasure",
                "from_": "2023-06-14",
                "sources": [0, 1],
                "description": "COFEPRIS refused an individual authorisation for personal "
                "recreational LSD use and the Supreme Court (14 Jun 2023) "
                "upheld the prohibition as constitutional.",
            }
        ],
    },
    ("south", 7): {"status": False},  # yagé: neither permitted nor prohibited by statute
    ("south", 8): {  # Ecuador: 2013 threshold table, repealed 2023-11-24
        "status": [{"from_": None, "tag": "ecu-mdma"}],
        "penalty": [
            {
                "regime": "DecriminalisedPossession",
                "from_": "2013-05-21",
                "until": "2023-11-24",
                "date_note": "CONSEP table approved; repealed by Decreto Ejecutivo 28 (2023-11-24)",
            }
        ],
    },
    ("south", 9): {"status": [{"from_": None, "tag": "ecu-mdma"}]},
    ("south", 10): {  # Uruguay: List I membership is inferred in the row, so no status
        "status": False,
        "research": [{"subjects": []}],
    },
    ("south", 12): {
        "penalty": [
            {
                "regime": "DecriminalisedPossession",
                "date_note": "DL 1592 published in El Peruano 14 Dec 2023; "
                "entry-into-force day not read",
            }
        ]
    },
    ("south", 13): {  # Argentina: the list framework, no substance placement read
        "listing": [
            {"scheme": "AR-D560-2019", "date_note": "Decreto 122/2026 published (Boletín Oficial)"}
        ],
    },
    ("south", 14): {
        "status": [{"from_": None, "schedule": "IL-DDO1973/dangerous-drug"}],
        "date_on": "research",
    },
    ("south", 15): {  # Lesotho: a licence for cultivation/production
        "research": [{"date_note": "licence already awarded when Psyence listed (27 Jan 2021)"}],
    },
    ("south", 17): {"other": [{"from_": None}]},
    # ----------------------------------------------------------------- east_regions_status.csv
    ("east", 2): {  # Hong Kong ketamine: poison until 2000-12-15, then dangerous drug
        "status": [
            {
                "from_": None,
                "until": "2000-12-15",
                "medical": "",
                "level": "ControlledLevelNotStated",
                "text": "Part I poison under the Poisons List Regulations and Third Schedule "
                "poison under the Pharmacy and Poisons Regulations",
            },
            {"schedule": "HK-DDO/first-schedule-part-i"},
        ],
        "penalty": [
            {
                "regime": "CriminalPossession",
                "from_": None,
                "until": "2000-12-15",
                "description": "Before the Order, unlawful possession under the Pharmacy and "
                "Poisons Ordinance carried at most HK$100,000 and 2 years.",
            },
            {
                "regime": "CriminalPossession",
                "from_": "2000-12-15",
                "description": "From 15 Dec 2000 control 'the same as' heroin and cocaine; "
                "trafficking and illicit manufacture up to life imprisonment and "
                "HK$5 million.",
            },
        ],
    },
    ("east", 3): {  # China ketamine: Category II (2001) -> Category I (2004-08)
        "date_ok": True,
        "status": [
            {
                "schedule": "CN-NPDR/psychotropic-category-ii",
                "from_": "2001-06",
                "until": "2004-08-01",
                "medical": "",
                "text": "第二类精神药品 (raw ketamine from Jun 2001; preparations from 1 Nov 2003)",
                "date_note": "raw ketamine Category II from Jun 2001, preparations from 2003-11-01",
            },
            {
                "schedule": "CN-NPDR/psychotropic-category-i",
                "from_": "2004-08",
                "date_note": "Category I since Aug 2004 (the 2004 notice itself was not read)",
            },
        ],
        "penalty": [
            {
                "regime": "CriminalPossession",
                "from_": "2016-04-11",
                "date_note": "SPC interpretation 法释〔2016〕8号 in force",
            }
        ],
    },
    ("east", 4): {  # China MDMA; catalogue reorganisation 2025-07-21 (two events)
        "date_ok": True,
        "status": [{"from_": None}],
        "penalty": [
            {
                "regime": "CriminalPossession",
                "from_": "2016-04-11",
                "date_note": "SPC interpretation 法释〔2016〕8号 in force",
            }
        ],
        "listing": [
            {
                "subjects": [],
                "from_": "2025-07-21",
                "sources": [1, 2],
                "description": "MPS/NHC/NMPA issued a new Non-Medical Narcotic and "
                "Psychotropic Substances Catalogue that took 74 items out "
                "of the 2013 psychotropic catalogue and no longer "
                "distinguishes Class I/II; whether MDMA is among them was "
                "not verified.",
            }
        ],
    },
    ("east", 5): {  # Taiwan ketamine: the possession sanction was not read
        "status": [{"schedule": "TW-NHPA/class-3"}],
        "penalty": False,
        "pending": [
            {
                "measure": "PendingBill",
                "from_": "2012-12",
                "sources": [0, 1, 2],
                "date_note": "MOJ plan reported (Taipei Times, 4 Dec 2012)",
                "description": "A 2012 Ministry of Justice plan to upgrade ketamine to "
                "Class II, and an Executive Yuan draft amendment raising "
                "penalties for Class III and IV drugs; no source read "
                "shows the upgrade happened.",
            }
        ],
    },
    ("east", 6): {  # Japan ketamine: narcotic from 2007; Ketalar marketed since Feb 1970
        "date_ok": True,
        "status": [
            {
                "schedule": "JP-NPCA/mayaku",
                "date_note": "designation promulgated 2006-03-23, in force 2007-01-01",
            }
        ],
        "auth": [
            {
                "access": "ApprovedMedicine",
                "status": "Granted",
                "from_": "1970-02",
                "indication": "anaesthesia (human use)",
                "product": "Ketalar (ketamine) injection",
                "date_note": "marketed since Feb 1970 (approving authority not named in the "
                "sources)",
            }
        ],
    },
    ("east", 7): {},
    ("east", 8): {},
    ("east", 9): {
        "status": [{"schedule": "TH-PSA2518/category-2", "from_": None}],
        "date_on": "penalty",
    },
    ("east", 10): {  # Indonesia ketamine: obat keras; also OOT from 2025; BPOM proposal 2024
        "date_ok": True,
        "status": [
            {
                "from_": None,
                "until": "2025-05-02",
                "text": "obat keras (prescription-only medicine)",
            },
            {
                "from_": "2025-05-02",
                "date_note": "BPOM Reg. 12/2025 promulgated (adopted 23 Apr 2025)",
            },
        ],
        "penalty": [{"regime": "NotControlledPossession", "from_": None}],
        "pending": [
            {
                "measure": "PendingBill",
                "from_": "2024-12-06",
                "sources": [2, 4],
                "date_note": "BPOM announcement",
                "description": "BPOM said it would propose to the Ministry of Health that "
                "ketamine be classed as a narcotic (Antara) or psychotropic "
                "(Alinea); no reclassification seen in the sources.",
            }
        ],
    },
    ("east", 11): {  # Vietnam: decree history 73/2018 -> 57/2022 -> 28/2026
        "date_ok": True,
        "listing": [
            {
                "scheme": "",
                "from_": "2022-08-25",
                "until": "2026-01-19",
                "sources": [2],
                "instrument_text": "Decree 57/2022/ND-CP (25 Aug 2022) replacing Decrees "
                "73/2018/ND-CP and 60/2020/ND-CP (lists of narcotic substances "
                "and precursors)",
                "date_note": "issued 25 Aug 2022 (entry-into-force date not read)",
                "description": "Decree 57/2022/ND-CP replaced Decrees 73/2018/ND-CP and "
                "60/2020/ND-CP as the lists of narcotic substances and precursors.",
            },
            {
                "scheme": "VN-ND28-2026",
                "from_": "2026-01-19",
                "date_note": "issued (entry-into-force date not read)",
                "description": "Decree 28/2026/NĐ-CP (19 Jan 2026) replaced Decree 57/2022/ND-CP: "
                "List I (prohibited except research), List II (restricted use "
                "incl. health care), List III (research and health care), List IV "
                "(precursors). Which list holds MDMA, ketamine, psilocybin or LSD "
                "was not read.",
            },
        ],
        "penalty": [{"regime": "CriminalPossession", "from_": None}],
    },
    ("east", 13): {  # India ketamine: listing and quantities (two events)
        "date_ok": True,
        "status": [
            {
                "schedule": "IN-NDPS/psychotropic-substances",
                "from_": "2011-02-10",
                "date_note": "Ministry of Finance notification adding ketamine",
            }
        ],
        "penalty": [
            {
                "regime": "CriminalPossession",
                "from_": "2011-06-21",
                "date_note": "notification fixing small and commercial quantities",
            }
        ],
    },
    ("east", 14): {  # India mushrooms: merged with the mushrooms row 32 possession record
        "status": False,
        "penalty": [
            {
                "regime": "CriminalPossession",
                "tag": "ind-mushrooms",
                "from_": None,
                "date_note": "Kerala High Court, Rahul Rai v State of Kerala, 13 Jan 2025",
            }
        ],
    },
    ("east", 15): {  # NZ psilocybin: Class A (merged with psychedelics row 54)
        "status": [{"schedule": "NZ-MDA1975/class-a", "tag": "nzl-psilocybin", "from_": None}],
        "auth": [
            {
                "access": "AuthorisedPrescriber",
                "status": "Granted",
                "authority": ["medsafe"],
                "indication": "treatment-resistant depression",
                "from_": "2025-06-19",
                "tag": "nzl-first-approval",
            }
        ],
    },
    ("east", 16): {  # Georgia: 'criminal/administrative' fits no single regime word
        "penalty": [
            {
                "regime": "AdministrativePossession",
                "note": "Classified administrative for a single-use quantity (no "
                "detention or imprisonment since the 2019 judgment); larger "
                "amounts remain criminal. Audit 2026-11-27: probably outdated by "
                "the April 2025 package in force 1 Jun 2025 (not recorded: its "
                "content was not read).",
            }
        ],
    },
    ("east", 17): {  # Kazakhstan: production/distribution penalties only; possession not read
        "penalty": False,
        "listing": [
            {
                "from_": "2025-01-02",
                "date_note": "Criminal Code amendments signed",
                "description": "Law No. 279 of 10 Jul 1998 defines narcotics by the "
                "national List; Criminal Code amendments signed 2 Jan 2025 "
                "raised penalties for production (15-20 years or life) and "
                "distribution. Penalties for personal possession not read.",
            }
        ],
    },
    ("east", 18): {
        "status": [{"schedule": "SI-URP/skupina-i", "from_": None}],
        "date_on": "penalty",
    },
    ("east", 19): {
        "status": [{"schedule": "SI-URP/skupina-i", "from_": None}],
        "date_on": "penalty",
    },
    ("east", 20): {
        "status": [{"schedule": "SI-URP/skupina-i", "from_": None}],
        "date_on": "penalty",
    },
    ("east", 21): {  # Estonia: 1997 regime; a 2025 draft
        "penalty": [{"regime": "AdministrativePossession"}],
        "pending": [
            {
                "measure": "PendingBill",
                "from_": "2025",
                "sources": [3],
                "description": "A 2025 Ministry of Justice draft would raise the 'large "
                "quantity' threshold from 10 to 30 doses and the "
                "misdemeanour fine to EUR 2,400 (proposal only).",
            }
        ],
    },
    ("east", 22): {  # Lithuania: 2017 regime; a 2021 bill passed first vote only
        "penalty": [{"regime": "CriminalPossession"}],
        "pending": [
            {
                "measure": "PendingBill",
                "from_": "2021-10-14",
                "sources": [1, 2],
                "description": "On 14 Oct 2021 the Seimas approved in a first vote "
                "(65-40-4) amendments moving small-amount possession back "
                "to the Code of Administrative Offences (fines EUR "
                "50-350); final adoption not verified.",
            }
        ],
    },
    ("east", 24): {  # Cyprus: three events in one field
        "date_ok": True,
        "penalty": [
            {
                "regime": "CriminalPossession",
                "from_": "1977",
                "until": "2003-01-01",
                "date_note": "Law 29/1977",
                "description": "Possession for personal use criminal under Law 29/1977 (Class A, "
                "B, C by level of harm).",
            },
            {
                "regime": "CriminalPossession",
                "from_": "2003",
                "until": "2016-01-01",
                "date_note": "personal-use quantity limits since 2003",
                "description": "Personal-use quantity limits since 2003 (e.g. 30 g cannabis, 10 g "
                "cocaine/opium).",
            },
            {
                "regime": "CriminalPossession",
                "from_": "2016",
                "date_note": "treatment alternative since 2016",
                "description": "Possession for personal use up to 12 years (Class A), 8 years "
                "(Class B), 4 years (Class C); first-time offenders under 25 not "
                "sentenced to more than 1 year; the 2016 law allows a treatment "
                "alternative. Trafficking Class A/B up to life.",
            },
        ],
    },
    ("east", 25): {"listing": [{"scheme": "BG-NAREDBA"}]},
    ("east", 26): {"listing": [{"scheme": "UA-CMU770"}]},
}

# effective_from fields whose other years are only words about the one event (checked by hand).
SINGLE_EVENT_ROWS = {
    ("mdma", 9),
    ("psychedelics", 47),
    ("psychedelics", 54),
    ("psychedelics", 61),
    ("psychedelics", 62),
    ("psychedelics", 63),
    ("psychedelics", 68),
    ("mushrooms", 4),
    ("mushrooms", 31),
    ("east", 14),
}

# Notes on status assertions below the UN 1971 treaty floor (the shapes warn about these): the
# level follows the schedule the row names; the note says why it sits above Schedule I's level.
TREATY_GAP_NOTES = {
    ("mdma", 5): "Schedule 8 applies only to the authorised-psychiatrist PTSD indication; all "
    "other uses remain Schedule 9 (prohibited except research): a rescheduling for medical use.",
    ("psychedelics", 2): "Schedule 8 applies only to the authorised-psychiatrist "
    "treatment-resistant-depression indication; all other uses remain Schedule 9.",
    ("psychedelics", 52): "Prescribing by psychiatrists of individually prepared psilocybin "
    "medicines since 2026-01-01: a national medical-use exception.",
    ("psychedelics", 54): "NZ Class A carries strict medical control in schedules.csv (ministerial "
    "approval for prescribing); psilocybin's only prescribing is the 2025 approval of one "
    "psychiatrist.",
    ("mdma", 15): "The level is NZ Class B's in schedules.csv (prescription-restricted: supply "
    "and prescribing need the Minister's approval); no MDMA medicine is approved in New Zealand.",
    ("mdma", 47): "The level is NZ Class B's in schedules.csv (prescription-restricted: supply "
    "and prescribing need the Minister's approval); no MDMA medicine is approved in New Zealand.",
}

# research_exemptions.csv: authorities (lg:Authority slugs) and covered schedules, per row.
RESEARCH_PLANS: dict[int, dict[str, Any]] = {
    2: {"authority": ["dea", "hhs", "fda"], "schedules": ["US-CSA/schedule-i"]},
    3: {"authority": ["home-office"], "schedules": ["GB-MDR2001/schedule-1"]},
    4: {"authority": ["health-canada"], "schedules": []},
    5: {"authority": ["tga"], "schedules": ["AU-SUSMP/schedule-9", "AU-SUSMP/schedule-8"]},
    6: {"authority": ["bfarm"], "schedules": ["DE-BTMG/anlage-i"]},
    7: {
        "authority": ["nl-ministry-vws"],
        "schedules": ["NL-OPIUMWET/lijst-i", "NL-OPIUMWET/lijst-ii"],
    },
    8: {"authority": ["foph"], "schedules": ["CH-BETMVV/verzeichnis-d"]},
    9: {"authority": ["ansm"], "schedules": []},
    10: {"authority": ["cz-ministry-of-health"], "schedules": []},
    11: {"authority": ["dkma"], "schedules": []},
    12: {"authority": ["se-mpa"], "schedules": []},
    13: {"authority": ["aemps"], "schedules": ["ES-RD2829/lista-i"]},
    14: {
        "authority": ["it-ministry-of-health"],
        "schedules": ["IT-DPR309/tabella-i", "IT-DPR309/tabella-ii"],
    },
    15: {"authority": ["jp-prefectural-governor"], "schedules": ["JP-NPCA/mayaku"]},
    16: {"authority": ["nz-minister-of-health", "medsafe"], "schedules": ["NZ-MDA1975/class-a"]},
    17: {"authority": ["anvisa"], "schedules": []},
    18: {"authority": ["ie-department-of-health", "hpra"], "schedules": []},
    19: {"authority": ["za-department-of-health", "sahpra"], "schedules": []},
    20: {"authority": ["hsa"], "schedules": []},
    21: {"authority": ["infarmed"], "schedules": []},
    22: {"authority": [], "schedules": []},  # authority not named in the source
}

# therapeutic_approvals.csv: what each decision is (access type, status, authority). Rows that
# refine a status-file row share its tag and are merged into one authorization.
THERAPEUTIC_PLANS: dict[int, dict[str, Any]] = {
    2: {"access": "ApprovedMedicine", "status": "Granted", "authority": ["fda"]},
    3: {"access": "ApprovedMedicine", "status": "Granted", "authority": ["european-commission"]},
    4: {
        "access": "ApprovedMedicine",
        "status": "Granted",
        "authority": ["health-canada"],
        "tag": "can-spravato",
    },
    5: {
        "access": "ApprovedMedicine",
        "status": "Granted",
        "authority": ["tga"],
        "tag": "aus-spravato",
        "date_note": "approval 5 Mar 2021; ARTG entry 9 Mar 2021",
    },
    # A sponsor's free early-access programme: no regulator decided it, so no lg:authority.
    6: {"access": "CompassionateUse", "status": "Granted", "authority": []},
    7: {"access": "ApprovedMedicine", "status": "Granted", "authority": ["anvisa"]},
    8: {"access": "ApprovedMedicine", "status": "Granted", "authority": ["swissmedic"]},
    9: {"access": "ApprovedMedicine", "status": "Granted", "authority": ["nmpa"]},
    # Portugal: hospital financing decisions under the EU authorisation, not authorisations.
    10: {"access": "ReimbursementDecision", "status": "Granted", "authority": ["infarmed"]},
    11: {"access": "ReimbursementDecision", "status": "Refused", "authority": ["infarmed"]},
    # Authority not named in the source.
    12: {"access": "ApprovedMedicine", "status": "Granted", "authority": []},
    13: {
        "access": "ApprovedMedicine",
        "status": "Granted",
        "authority": ["fda"],
        "date_note": "first FDA approval of ketamine (Ketalar); its Schedule III placement "
        "(1999-08-12) is a separate event",
    },
    # WHO Model List of Essential Medicines: a listing decision, not a marketing authorisation.
    14: {
        "access": "ReimbursementDecision",
        "status": "Granted",
        "authority": ["who-eml-committee"],
    },
    15: {"access": "ApprovedMedicine", "status": "Granted", "authority": ["mfds"]},
    # Israel: national health-basket (reimbursement) inclusion.
    16: {
        "access": "ReimbursementDecision",
        "status": "Granted",
        "authority": ["il-ministry-of-health"],
    },
}

# mdma_trials.csv: jurisdiction and the authorization each trial or programme informed (by
# tag). Row 7 is the FDA decision itself: it is merged into that authorization.
TRIAL_PLANS: dict[int, dict[str, Any]] = {
    2: {"jur": "USA", "evidence_for": [("USA", "mdma", "fda-refusal-2024")]},
    3: {"jur": "USA", "evidence_for": [("USA", "mdma", "fda-refusal-2024")]},
    4: {"jur": "USA", "evidence_for": [("USA", "mdma", "eamp1")]},
    5: {"jur": "ISR", "evidence_for": [("ISR", "mdma", "isr-compassionate")]},
    6: {"jur": "USA", "evidence_for": []},  # planned study (expected Feb 2026)
    7: {"merge_into": ("USA", "mdma", "fda-refusal-2024")},
}


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------

KIND_CLASS = {
    "status": LG.StatusAssertion,
    "authorization": LG.TherapeuticAuthorization,
    "research": LG.ResearchExemption,
    "penalty": LG.PenaltyRegime,
    "pending": LG.PendingMeasure,
    "exemption": LG.OtherExemption,
    "listing": LG.ListingFramework,
    "trial": LG.ClinicalTrial,
}
CONFIDENCE = {"high": "HighConfidence", "medium": "MediumConfidence", "low": "LowConfidence"}
CONFIDENCE_ORDER = ["low", "medium", "high"]
# Properties a record holds once: on a merge the first row's value wins.
SINGLE = {
    LG.validFrom,
    LG.validUntil,
    LG.statedFrom,
    LG.controlLevel,
    LG.schedule,
    LG.medicalUse,
    LG.accessType,
    LG.authorizationStatus,
    LG.possessionRegime,
    LG.measureStatus,
    LG.indication,
    LG.dateNote,
    LG.substance,
    LG.jurisdiction,
}
PLAN_KEYS = {
    "status",
    "auth",
    "research",
    "penalty",
    "pending",
    "other",
    "listing",
    "subjects",
    "jur",
    "date_on",
    "date_ok",
    "note",
    "titles",
    "status_description",
}
SPEC_KEYS = {
    "subjects",
    "schedule",
    "level",
    "medical",
    "from_",
    "until",
    "date_note",
    "text",
    "description",
    "note",
    "tag",
    "sources",
    "extra_sources",
    "confidence",
    "instrument",
    "access",
    "status",
    "indication",
    "authority",
    "product",
    "regime",
    "measure",
    "mechanism",
    "schedules",
    "scheme",
    "instrument_text",
}
UNSET = object()


@dataclass
class Rec:
    """One curated record before it gets its IRI."""

    kind: str
    jur: str
    subject: str | None
    origin: tuple[int, int, int]  # (file order, row, sequence) for ordering
    output: str
    tag: str = ""
    confidence: str = "medium"
    props: dict[URIRef, list[Any]] = field(default_factory=dict)
    sources: list[URIRef] = field(default_factory=list)
    rows: list[tuple[str, int]] = field(default_factory=list)
    node: URIRef | None = None
    evidence_for: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, predicate: URIRef, value: Any) -> None:
        """Add a value (skipping empties and duplicates)."""
        if value is None or (isinstance(value, Literal) and not str(value).strip()):
            return
        values = self.props.setdefault(predicate, [])
        if value not in values:
            values.append(value)

    @property
    def valid_from(self) -> str:
        """The start date, or "" when unknown (sorts first)."""
        values = self.props.get(LG.validFrom, [])
        return str(values[0]) if values else ""


class Importer:
    """Reads the reference directory and builds every graph the data files hold."""

    def __init__(self, reference: Path) -> None:
        self.reference = reference
        self.registry = SourceRegistry()
        self.instruments: dict[URIRef, tuple[str, str]] = {}
        self.levels: dict[str, str] = {}  # "SCHEME/slug" -> control level local name
        self.records: list[Rec] = []
        self.authorities_used: set[str] = set()
        self.rows: dict[str, list[dict[str, str]]] = {}
        self.substances = Graph()
        self.schedules = Graph()

    # ------------------------------------------------------------------ helpers
    def cite(self, refs: list[tuple[SourceRef, bool, str]]) -> list[URIRef]:
        """Register source references and return their IRIs."""
        return [self.registry.add(ref, community, note) for ref, community, note in refs]

    def row_sources(self, row: dict[str, str], titles: list[str] | None = None) -> list[URIRef]:
        """The IRIs of a row's sources, registering them."""
        return self.cite(
            split_sources(
                row["source_url"], row["source_title"], row.get("source_as_of", ""), titles
            )
        )

    def extra_source(self, spec: tuple[str, str, str]) -> URIRef:
        """Register a source named in a plan (url, title, as-of words)."""
        url, note = repair_url(spec[0])
        community = any(host in url for host in COMMUNITY_HOSTS)
        return self.registry.add(SourceRef(url, spec[1], spec[2], True), community, note)

    def instrument(self, text: str, jur: str, lang: str = "en") -> URIRef | None:
        """A legal instrument named by ``text`` (as the reference cites it)."""
        text = text.strip()
        if not text or text.lower().startswith("(none") or text.lower().startswith("(not "):
            return None
        node = iri(f"instrument/{slugify(jur)}-{slugify(text, 40)}-{sha(text, 6)}")
        self.instruments.setdefault(node, (text, lang))
        return node

    def authority(self, slug: str) -> URIRef:
        """The authority's IRI (declared in AUTHORITIES)."""
        if slug not in AUTHORITIES:
            raise KeyError(f"unknown authority {slug}")
        self.authorities_used.add(slug)
        return iri(f"authority/{slug}")

    def new(
        self,
        kind: str,
        jur: str,
        subject: str | None,
        origin: tuple[int, int, int],
        output: str,
        confidence: str,
        sources: list[URIRef],
        notes: list[str],
        subject_text: str,
        tag: str = "",
    ) -> Rec:
        """Start a record with the properties every curated record has."""
        rec = Rec(kind, jur, subject, origin, output, tag, confidence)
        rec.add(LG.jurisdiction, iri(f"jurisdiction/{jur}"))
        if subject:
            rec.add(LG.substance, iri(f"substance/{subject}"))
        for source in sources:
            if source not in rec.sources:
                rec.sources.append(source)
        for note in notes:
            if note.strip():
                rec.add(LG.note, lit(note))
        if subject_text:
            rec.add(LG.subjectText, lit(subject_text))
        self.records.append(rec)
        return rec

    @staticmethod
    def set_dates(rec: Rec, start: str | None, until: str | None, note: str) -> None:
        """Set validFrom/statedFrom (keeping precision), validUntil and the date note."""
        if start:
            stated = parse_stated(start)
            rec.add(LG.statedFrom, stated.literal)
            rec.add(LG.validFrom, dlit(stated.first_day))
        if until:
            rec.add(LG.validUntil, dlit(until))
        if note and (start or until):
            rec.add(LG.dateNote, lit(note))

    def level_of(self, schedule: str | None, medical: str) -> str:
        """Control level from the schedule (when it states one) or the row's medical use."""
        if schedule:
            level = self.levels[schedule]
            if level != "ControlledLevelNotStated":
                return level
        return {
            "none": "ProhibitedExceptResearch",
            "research-only": "ProhibitedExceptResearch",
            "restricted-prescribing": "StrictMedicalControl",
            "approved-medicine": "PrescriptionMedicine",
        }.get(medical, "ControlledLevelNotStated")

    # ------------------------------------------------------------------ status files
    def status_row(
        self, order: int, file: str, number: int, row: dict[str, str], output: str
    ) -> None:
        """Turn one row of a *_status.csv file into records, following its plan."""
        key = (file, number)
        plan = ROW_PLANS.get(key, {})
        unknown = set(plan) - PLAN_KEYS
        if unknown:
            raise ValueError(f"{key}: unknown plan keys {unknown}")
        refs = self.row_sources(row, plan.get("titles"))
        text = row.get("substance", "")
        subjects = plan.get("subjects", SUBJECTS[text] if file != "mdma" else ["mdma"])
        jur = CITIES.get(key) or plan.get("jur") or row["iso_code"]
        stated, several = parse_effective(row["effective_from"])
        if several and not plan.get("date_ok") and key not in SINGLE_EVENT_ROWS:
            raise ValueError(f"{key}: effective_from names several dates; decide in ROW_PLANS")
        schedule_text = row["schedule_or_class"].strip()
        medical = row["medical_use_allowed"].strip()
        access = row["therapeutic_access"].strip()
        research = row["research_exemption"].strip()
        possession = row.get("possession_regime", row.get("possession_penalty_regime", ""))
        possession = possession.strip()
        other = row.get("other_exemption", "").strip()
        notes = [row["notes"], plan.get("note", "")]
        inst = self.instrument(row["control_instrument"], jur)

        def specs(name: str, default: list[dict[str, Any]]) -> list[dict[str, Any]]:
            value = plan.get(name, default)
            if value is False:
                return []
            for spec in value:
                if set(spec) - SPEC_KEYS:
                    raise ValueError(f"{key}: unknown spec keys {set(spec) - SPEC_KEYS}")
            return list(value)

        status_specs = specs("status", [{}] if subjects and (schedule_text or medical) else [])
        regime = (
            REGIME_WORDS.get(re.split(r"[\s(;:,]", possession.lower())[0]) if possession else None
        )
        if possession and regime is None and "penalty" not in plan:
            raise ValueError(f"{key}: possession regime {possession[:40]!r} needs a decision")
        penalty_specs = specs("penalty", [{"regime": regime}] if regime else [])
        research_specs = specs("research", [{}] if research else [])
        other_specs = specs("other", [{}] if other else [])
        auth_specs = specs("auth", [])
        pending_specs = specs("pending", [])
        listing_specs = specs("listing", [])
        date_on = plan.get("date_on", "status" if status_specs else "all")
        seq = iter(range(1000))

        def start(rec: Rec, spec: dict[str, Any], kind: str) -> None:
            if "from_" in spec:
                begin = spec["from_"]
                note = spec.get("date_note", "")
            elif stated and date_on in (kind, "all"):
                begin, note = stated.text, spec.get("date_note", stated.note)
            else:
                begin, note = None, spec.get("date_note", "")
            self.set_dates(rec, begin, spec.get("until"), note)

        def make(kind: str, subject: str | None, spec: dict[str, Any]) -> Rec:
            chosen = refs if "sources" not in spec else [refs[i] for i in spec["sources"]]
            chosen = chosen + [self.extra_source(s) for s in spec.get("extra_sources", [])]
            rec = self.new(
                kind,
                jur,
                subject,
                (order, number, next(seq)),
                output,
                spec.get("confidence", row["confidence"]),
                chosen,
                [*notes, spec.get("note", "")],
                text,
                spec.get("tag", ""),
            )
            rec.rows.append(key)
            if "instrument_text" in spec:  # "" drops the row's instrument
                text_of = spec["instrument_text"]
                rec.add(LG.instrument, self.instrument(text_of, jur) if text_of else None)
            else:
                rec.add(LG.instrument, inst)
            if spec.get("instrument"):
                rec.add(LG.instrument, iri(f"instrument/{spec['instrument']}"))
            start(rec, spec, kind)
            return rec

        stated_words = f"As stated: {schedule_text}" if schedule_text and not status_specs else ""
        for spec in status_specs:
            for subject in spec.get("subjects", subjects):
                rec = make("status", subject, spec)
                schedule = spec.get("schedule")
                med = spec.get("medical", medical)
                if schedule:
                    rec.add(LG.schedule, iri(f"schedule/{schedule}"))
                rec.add(LG.controlLevel, LG[spec.get("level") or self.level_of(schedule, med)])
                if med:
                    rec.add(LG.medicalUse, LG[MEDICAL_USE[med]])
                rec.add(LG.scheduleText, lit(spec.get("text", schedule_text)))
                if rec.props[LG.controlLevel][0] not in (LG.ProhibitedExceptResearch,):
                    rec.add(LG.note, lit(TREATY_GAP_NOTES.get(key, "")))
                rec.add(LG.description, lit(spec.get("description", "")))
                if access and not auth_specs and plan.get("status_description", True):
                    rec.add(LG.description, lit(f"Therapeutic access: {access}"))
                if possession and not penalty_specs:
                    rec.add(LG.description, lit(f"Possession: {possession}"))
        for spec in auth_specs:
            for subject in spec.get("subjects", subjects):
                rec = make("authorization", subject, spec)
                rec.add(LG.accessType, LG[spec["access"]])
                rec.add(LG.authorizationStatus, LG[spec["status"]])
                rec.add(LG.indication, lit(spec.get("indication", "")))
                rec.add(LG.product, lit(spec.get("product", "")))
                for slug in spec.get("authority", []):
                    rec.add(LG.authority, self.authority(slug))
                rec.add(LG.description, lit(spec.get("description", access)))
        for spec in research_specs:
            for subject in spec.get("subjects", subjects) or [None]:
                rec = make("research", subject, spec)
                rec.add(LG.mechanism, lit(spec.get("mechanism", research)))
                for schedule in spec.get("schedules", []):
                    rec.add(LG.coversSchedule, iri(f"schedule/{schedule}"))
                rec.add(LG.description, lit(stated_words))
        for spec in penalty_specs:
            for subject in spec.get("subjects", subjects) or [None]:
                rec = make("penalty", subject, spec)
                rec.add(LG.possessionRegime, LG[spec["regime"]])
                rec.add(LG.description, lit(spec.get("description", possession)))
                rec.add(LG.description, lit(stated_words))
        for spec in other_specs:
            for subject in spec.get("subjects", subjects) or [None]:
                rec = make("exemption", subject, spec)
                rec.add(LG.description, lit(spec.get("description", other)))
                if possession and not penalty_specs:
                    rec.add(LG.description, lit(f"Possession: {possession}"))
                rec.add(LG.description, lit(stated_words))
        for spec in pending_specs:
            for subject in spec.get("subjects", subjects) or [None]:
                rec = make("pending", subject, spec)
                rec.add(LG.measureStatus, LG[spec["measure"]])
                rec.add(LG.description, lit(spec.get("description", access or possession)))
        for spec in listing_specs:
            for subject in spec.get("subjects", []) or [None]:
                rec = make("listing", subject, spec)
                scheme = spec.get("scheme")
                if scheme:
                    rec.add(LG.instrument, iri(f"instrument/{slugify(scheme)}"))
                rec.add(LG.description, lit(spec.get("description", schedule_text)))
                if medical:
                    rec.add(LG.description, lit(f"Medical use (reference scale): {medical}"))
                if possession and not penalty_specs:
                    rec.add(LG.description, lit(f"Possession: {possession}"))
        made = [r for r in self.records if key in r.rows]
        if not made:
            raise ValueError(f"{key}: the row produced no record")

    # ------------------------------------------------------------------ other record files
    def research_row(self, order: int, number: int, row: dict[str, str], output: str) -> None:
        """A row of research_exemptions.csv: one research exemption for the jurisdiction."""
        plan = RESEARCH_PLANS[number]
        jur = row["iso_code"]
        rec = self.new(
            "research",
            jur,
            None,
            (order, number, 0),
            output,
            row["confidence"],
            self.row_sources(row),
            [row["notes"]],
            "",
        )
        rec.rows.append(("research", number))
        rec.add(LG.mechanism, lit(row["mechanism"]))
        rec.add(LG.covers, lit(row["covers"]))
        rec.add(LG.description, lit(row["reform_or_note"]))
        rec.add(LG.instrument, self.instrument(row["legal_basis"], jur))
        for slug in plan["authority"]:
            rec.add(LG.authority, self.authority(slug))
        for schedule in plan["schedules"]:
            rec.add(LG.coversSchedule, iri(f"schedule/{schedule}"))
        stated, _ = parse_effective(row["effective_from"])
        if stated:
            self.set_dates(rec, stated.text, None, stated.note)

    def therapeutic_row(self, order: int, number: int, row: dict[str, str], output: str) -> None:
        """A row of therapeutic_approvals.csv: one therapeutic authorization."""
        plan = THERAPEUTIC_PLANS[number]
        subjects = SUBJECTS[row["substance"]]
        rec = self.new(
            "authorization",
            row["iso_code"],
            subjects[0],
            (order, number, 0),
            output,
            row["confidence"],
            self.row_sources(row),
            [row["notes"]],
            row["substance"],
            plan.get("tag", ""),
        )
        rec.rows.append(("therapeutic", number))
        rec.add(LG.accessType, LG[plan["access"]])
        rec.add(LG.authorizationStatus, LG[plan["status"]])
        rec.add(LG.indication, lit(row["indication"]))
        rec.add(LG.product, lit(row["product"]))
        for slug in plan["authority"]:
            rec.add(LG.authority, self.authority(slug))
        rec.add(LG.description, lit(f"Authority (as the reference names it): {row['authority']}"))
        rec.add(LG.description, lit(f"Status as of the source: {row['status_as_of_source']}"))
        stated, _ = parse_effective(row["decision_date"])
        if stated:
            self.set_dates(rec, stated.text, None, plan.get("date_note", "decision date"))

    def trial_row(self, order: int, number: int, row: dict[str, str], output: str) -> None:
        """A row of mdma_trials.csv: a clinical trial or programme, or the FDA decision."""
        plan = TRIAL_PLANS[number]
        fields = (
            "population",
            "n",
            "design",
            "sites",
            "journal",
            "year",
            "primary_result",
            "safety",
        )
        summary = "; ".join(f"{name}: {row[name]}" for name in fields if row[name].strip())
        if "merge_into" in plan:
            jur, subject, tag = plan["merge_into"]
            rec = self.new(
                "authorization",
                jur,
                subject,
                (order, number, 0),
                output,
                row["confidence"],
                self.row_sources(row),
                [row["notes"]],
                "",
                tag,
            )
            rec.rows.append(("trials", number))
            rec.add(LG.description, lit(f"{row['trial']}: {summary}"))
            return
        rec = self.new(
            "trial",
            plan["jur"],
            "mdma",
            (order, number, 0),
            output,
            row["confidence"],
            self.row_sources(row),
            [row["notes"]],
            "",
        )
        rec.rows.append(("trials", number))
        rec.add(RDFS.label, lit(row["trial"], "en"))
        rec.add(LG.trialRegistryId, lit(row["registry_id"]))
        rec.add(LG.phase, lit(row["phase"]))
        rec.add(LG.doi, lit(row["doi"]))
        rec.add(LG.description, lit(f"Sponsor: {row['sponsor']}" if row["sponsor"] else ""))
        rec.add(LG.description, lit(summary))
        published = row["publication_date"].strip()
        if published:
            stated, _ = parse_effective(published)
            assert stated is not None
            self.set_dates(rec, stated.text, None, stated.note or "publication date")
        rec.evidence_for = list(plan["evidence_for"])

    # ------------------------------------------------------------------ merge and name
    def finish_records(self) -> None:
        """Merge tagged duplicates, number records, give IRIs and resolve trial links."""
        merged: list[Rec] = []
        by_tag: dict[tuple[str, str, str | None, str], Rec] = {}
        for rec in self.records:
            key = (rec.kind, rec.jur, rec.subject, rec.tag)
            first = by_tag.get(key) if rec.tag else None
            if first is None:
                if rec.tag:
                    by_tag[key] = rec
                merged.append(rec)
                continue
            for predicate, values in rec.props.items():
                if predicate in SINGLE and predicate in first.props:
                    continue
                for value in values:
                    first.add(predicate, value)
            for source in rec.sources:
                if source not in first.sources:
                    first.sources.append(source)
            first.rows.extend(rec.rows)
            first.confidence = min(first.confidence, rec.confidence, key=CONFIDENCE_ORDER.index)
        groups: dict[tuple[str, str, str], list[Rec]] = {}
        for rec in merged:
            groups.setdefault((rec.kind, rec.jur, rec.subject or "general"), []).append(rec)
        for (kind, jur, subject), recs in groups.items():
            recs.sort(key=lambda r: (r.valid_from, r.origin))
            for n, rec in enumerate(recs, start=1):
                rec.node = iri(f"record/{kind}/{jur}/{subject}/{n}")
        for rec in merged:
            for jur, subject, tag in rec.evidence_for:
                target = by_tag[("authorization", jur, subject, tag)]
                assert target.node is not None
                rec.add(LG.evidenceFor, target.node)
        self.records = merged
        self.check_overlaps()

    def check_overlaps(self) -> None:
        """Fail when two status assertions of one substance and jurisdiction overlap."""
        spans: dict[tuple[str, str | None], list[tuple[str, str, Rec]]] = {}
        for rec in self.records:
            if rec.kind != "status":
                continue
            until = [str(v) for v in rec.props.get(LG.validUntil, [])]
            spans.setdefault((rec.jur, rec.subject), []).append(
                (rec.valid_from or "0000", until[0] if until else "9999", rec)
            )
        for key, items in spans.items():
            items.sort(key=lambda item: item[0])
            for (_, end, first), (begin, _, second) in pairwise(items):
                if begin < end:
                    raise ValueError(
                        f"overlapping status assertions for {key}: {first.node} and {second.node}"
                    )

    # ------------------------------------------------------------------ substances
    def build_substances(self) -> None:
        """Substances with identifiers and international status; natural materials."""
        g = self.substances
        identifiers = self.rows["identifiers"]
        international = self.rows["international"]
        un_i = iri("schedule/UN-1971/schedule-i")
        for slug, info in SUBSTANCES.items():
            node = iri(f"substance/{slug}")
            g.add((node, RDF.type, LG.Substance))
            g.add((node, SKOS.prefLabel, lit(info["pref"], "en")))
            g.add((node, RDFS.label, lit(info["pref"], "en")))
            for name, lang in info["alt"]:
                g.add((node, SKOS.altLabel, lit(name, lang)))
            row = identifiers[info["identifiers_row"] - 2]
            self.add_identifiers(node, slug, row)
            intl_row = INTERNATIONAL_ROWS.get(slug)
            if intl_row is None:  # MDMA: identifiers.csv (WHO ECDD, Wikipedia) is the source
                controlled = row["un_1971_schedule"].strip() == "Schedule I"
                g.add(
                    (
                        node,
                        SKOS.note,
                        lit(
                            "UN 1971 Schedule I per identifiers.csv (WHO ECDD recommended "
                            "Schedule I; "
                            "Wikipedia infobox) and the Austrian official list of 1971 Schedule I "
                            "substances quoted in schedules.csv; international.csv has no MDMA row."
                        ),
                    )
                )
            else:
                intl = international[intl_row - 2]
                schedule = intl["un_1971_schedule"].strip()
                controlled = schedule == "Schedule I"
                for source in self.international_sources(intl):
                    g.add((node, DCTERMS.source, source))
                for name in ("date_added", "who_ecdd_recommendations", "notes"):
                    if intl[name].strip() and intl[name].strip() != "n/a":
                        label = name.replace("_", " ")
                        g.add((node, SKOS.note, lit(f"International ({label}): {intl[name]}")))
                if not controlled:
                    g.add((node, SKOS.note, lit(f"UN 1971: {schedule}")))
            g.add((node, LG.internationallyControlled, Literal(controlled)))
            if controlled:
                g.add((node, LG.internationalSchedule, un_i))
        plants = international[7 - 2]
        for slug, info in MATERIALS.items():
            node = iri(f"substance/{slug}")
            g.add((node, RDF.type, LG.NaturalMaterial))
            g.add((node, SKOS.prefLabel, lit(info["pref"], "en")))
            g.add((node, RDFS.label, lit(info["pref"], "en")))
            for name, lang in info["alt"]:
                g.add((node, SKOS.altLabel, lit(name, lang)))
            for contained in info["contains"]:
                g.add((node, LG.contains, iri(f"substance/{contained}")))
            # INCB: no plants (natural material) are controlled under the 1971 Convention.
            g.add((node, LG.internationallyControlled, Literal(False)))
            g.add((node, SKOS.note, lit(f"INCB position: {plants['plant_material_note']}")))
            for source in self.international_sources(plants):
                g.add((node, DCTERMS.source, source))
            if slug in (
                "psilocybin-mushrooms",
                "psilocybin-truffles",
                "psilocybin-mushroom-spores",
            ):
                mushrooms = international[2 - 2]
                g.add((node, SKOS.note, lit(f"INCB position: {mushrooms['plant_material_note']}")))
                for source in self.international_sources(mushrooms):
                    g.add((node, DCTERMS.source, source))
            if not info["contains"]:
                g.add(
                    (
                        node,
                        SKOS.note,
                        lit(
                            "Spores contain neither psilocybin nor psilocin (Erowid via "
                            "unverified_claims.csv; South Africa row of "
                            "psilocybin_mushrooms_status.csv): no lg:contains."
                        ),
                    )
                )

    def add_identifiers(self, node: URIRef, slug: str, row: dict[str, str]) -> None:
        """Identifiers of identifiers.csv, the better-sourced value where the notes conflict."""
        g = self.substances
        qid = row["wikidata_qid"].strip()
        if qid:
            g.add((node, LG.wikidataId, lit(qid)))
        chebi = row["chebi_id"].strip()
        # Esketamine's ChEBI 6121 comes from a Wikipedia mirror and "may be the ketamine entry"
        # (low confidence, no better value): not recorded, the note is kept.
        if chebi and slug != "esketamine":
            g.add(
                (node, LG.chebiId, lit(chebi if chebi.startswith("CHEBI:") else f"CHEBI:{chebi}"))
            )
        for column, predicate in (
            ("pubchem_cid", LG.pubchemCid),
            ("cas_number", LG.casNumber),
            ("unii", LG.unii),
        ):
            if row[column].strip():
                g.add((node, predicate, lit(row[column])))
        if row["inn"].strip():
            g.add((node, LG.inn, lit(row["inn"])))
        if row["notes"].strip():
            g.add((node, SKOS.note, lit(f"Identifiers: {row['notes']}")))
        for part in row["source_urls"].split(" | "):
            match = re.match(r"^(https?://\S+)\s*(?:\((.*)\))?$", part.strip())
            if not match:
                # A source the index returned without a URL: kept as a note, not a source.
                g.add((node, SKOS.note, lit(f"Identifier source without a URL: {part}")))
                continue
            url, note = repair_url(match.group(1))
            title = match.group(2) or urlparse_host(url)
            ref = SourceRef(url, title, "stored copy (undated)", True)
            community = any(host in url for host in COMMUNITY_HOSTS)
            g.add((node, DCTERMS.source, self.registry.add(ref, community, note)))

    def international_sources(self, row: dict[str, str]) -> list[URIRef]:
        """The main and additional sources of an international.csv row."""
        out = self.row_sources(row)
        extra = row["additional_sources"].strip()
        for part in re.split(r";\s+(?=https?://)", extra) if extra else []:
            match = re.match(r"^(https?://\S+?)\s*(?:\((.*)\))?$", part.strip())
            if not match:
                raise ValueError(f"unparsable additional source {part!r}")
            url, note = repair_url(match.group(1))
            title = match.group(2) or f"{urlparse_host(url)} (title not given in the reference)"
            community = any(host in url for host in COMMUNITY_HOSTS)
            ref = SourceRef(url, title, "stored copy (undated)", True)
            out.append(self.registry.add(ref, community, note))
        return out

    # ------------------------------------------------------------------ schedules
    def build_schedules(self) -> None:
        """Treaties, schemes (schedules.csv and EXTRA_SCHEMES), instruments and schedules."""
        g = self.schedules
        for slug, title in TREATIES.items():
            node = iri(f"treaty/{slug}")
            g.add((node, RDF.type, LG.Treaty))
            g.add((node, DCTERMS.title, lit(title, "en")))
            g.add((node, SKOS.prefLabel, lit(title, "en")))
            g.add((node, LG.jurisdiction, iri("jurisdiction/UN")))
        seen: set[str] = set()
        for row in self.rows["schedules"]:
            scheme = row["scheme_id"]
            lang = SCHEME_LANG[scheme]
            if scheme not in seen:
                seen.add(scheme)
                self.add_scheme(scheme, row["scheme_name"], lang, row["jurisdiction_iso3"])
            slug = category_slug(row["category"])
            level = MEDICAL_LEVEL[row["medical_use"].strip()]
            node = self.add_schedule(scheme, slug, row["category"], lang, level)
            self.levels[f"{scheme}/{slug}"] = level
            for column, predicate in (
                ("medical_use", LG.medicalUseRule),
                ("research_access", LG.researchAccess),
                ("penalty_tier", LG.penaltyTier),
            ):
                if row[column].strip():
                    g.add((node, predicate, lit(row[column])))
            if row["legal_basis"].strip():
                g.add((node, SKOS.scopeNote, lit(f"Legal basis: {row['legal_basis']}")))
            if row["notes"].strip():
                g.add((node, SKOS.note, lit(row["notes"])))
            g.add((node, LG.confidence, LG[CONFIDENCE[row["confidence"]]]))
            for source in self.row_sources(row):
                g.add((node, DCTERMS.source, source))
        for scheme, info in EXTRA_SCHEMES.items():
            self.add_scheme(scheme, info["name"], info["lang"], info["jurisdiction"])
            for slug, label, (file, number) in info["schedules"]:
                row = self.rows[file][number - 2]
                medical = row["medical_use_allowed"].strip()
                level = {
                    "none": "ProhibitedExceptResearch",
                    "research-only": "ProhibitedExceptResearch",
                    "restricted-prescribing": "StrictMedicalControl",
                    "approved-medicine": "PrescriptionMedicine",
                }.get(medical, "ControlledLevelNotStated")
                node = self.add_schedule(scheme, slug, label, info["lang"], level)
                self.levels[f"{scheme}/{slug}"] = level
                rule = info.get("rules", {}).get(slug) or row["schedule_or_class"]
                g.add((node, LG.medicalUseRule, lit(rule)))
                g.add(
                    (
                        node,
                        SKOS.note,
                        lit(
                            f"Scheme and schedule taken from {file} row {number} (the row is the "
                            f"source); control level from that row's medical_use_allowed "
                            f"({medical or 'blank'})."
                        ),
                    )
                )
                g.add((node, LG.confidence, LG[CONFIDENCE[row["confidence"]]]))
                for source in self.row_sources(row):
                    g.add((node, DCTERMS.source, source))

    def add_scheme(self, scheme: str, name: str, lang: str, jur: str) -> None:
        """A schedule scheme with its defining instrument (or treaty)."""
        g = self.schedules
        node = iri(f"scheme/{scheme}")
        g.add((node, RDF.type, LG.ScheduleScheme))
        for text, tag in split_names(name, lang):
            g.add((node, SKOS.prefLabel, lit(text, tag)))
        if scheme in TREATY_OF:
            treaty = iri(f"treaty/{TREATY_OF[scheme]}")
            g.add((node, LG.scheduleTreaty, treaty))
            g.add((node, LG.definedBy, treaty))
            return
        g.add((node, LG.scheduleJurisdiction, iri(f"jurisdiction/{jur}")))
        instrument = iri(f"instrument/{SCHEME_INSTRUMENT.get(scheme, slugify(scheme))}")
        g.add((node, LG.definedBy, instrument))
        g.add((instrument, RDF.type, LG.LegalInstrument))
        g.add((instrument, DCTERMS.title, lit(name, lang)))
        g.add((instrument, LG.jurisdiction, iri(f"jurisdiction/{jur}")))

    def add_schedule(self, scheme: str, slug: str, label: str, lang: str, level: str) -> URIRef:
        """One schedule of a scheme, mapped to exactly one control level."""
        g = self.schedules
        node = iri(f"schedule/{scheme}/{slug}")
        if (node, RDF.type, LG.Schedule) in g:
            raise ValueError(f"duplicate schedule {node}")
        g.add((node, RDF.type, LG.Schedule))
        g.add((node, SKOS.inScheme, iri(f"scheme/{scheme}")))
        for text, tag in split_names(label, lang):
            g.add((node, SKOS.prefLabel, lit(text, tag)))
        g.add((node, LG.controlLevel, LG[level]))
        return node


def urlparse_host(url: str) -> str:
    """The host of a URL."""
    return re.sub(r"^https?://", "", url).split("/")[0]


def split_names(name: str, lang: str) -> list[tuple[str, str]]:
    """Labels for a name: the name in its language, plus an English one where the reference
    gives an English gloss in parentheses after a name in a non-Latin script."""
    match = re.match(r"^(.*?)\s*\(([^()]*)\)\s*$", name)
    if lang in ("ja", "zh") and match and re.fullmatch(r"[\x20-\x7e]+", match.group(2)):
        return [(match.group(1), lang), (match.group(2), "en")]
    return [(name, lang)]


# ---------------------------------------------------------------------------------------------
# Graphs and Turtle output
# ---------------------------------------------------------------------------------------------

PREDICATE_ORDER = [
    RDF.type,
    SKOS.prefLabel,
    RDFS.label,
    DCTERMS.title,
    SKOS.altLabel,
    LG.substance,
    LG.subjectText,
    LG.jurisdiction,
    LG.schedule,
    LG.controlLevel,
    LG.scheduleText,
    LG.medicalUse,
    LG.accessType,
    LG.authorizationStatus,
    LG.indication,
    LG.product,
    LG.possessionRegime,
    LG.measureStatus,
    LG.mechanism,
    LG.covers,
    LG.coversSchedule,
    LG.authority,
    LG.validFrom,
    LG.statedFrom,
    LG.validUntil,
    LG.dateNote,
    LG.instrument,
    LG.trialRegistryId,
    LG.phase,
    LG.doi,
    LG.evidenceFor,
    LG.description,
    LG.basis,
    LG.confidence,
    LG.lastVerified,
    DCTERMS.source,
    LG.note,
]
SECTION_TITLES = {
    LG.StatusAssertion: "Status assertions",
    LG.TherapeuticAuthorization: "Therapeutic authorizations",
    LG.ResearchExemption: "Research exemptions",
    LG.PenaltyRegime: "Possession regimes",
    LG.PendingMeasure: "Pending or conditional measures",
    LG.OtherExemption: "Other exemptions",
    LG.ListingFramework: "Listing frameworks",
    LG.ClinicalTrial: "Clinical trials and programmes",
    LG.Substance: "Substances",
    LG.NaturalMaterial: "Natural materials",
    LG.Treaty: "Treaties",
    LG.ScheduleScheme: "Schedule schemes",
    LG.LegalInstrument: "Legal instruments",
    LG.Schedule: "Schedules",
    LG.Source: "Sources",
    LG.Authority: "Authorities",
    LG.UnverifiedClaim: "Unverified claims (not facts)",
}


def term(node: Any) -> str:
    """Turtle text of a term, with this file's prefixes."""
    return turtle_term(node, PREFIXES)


def natural(text: str) -> list[Any]:
    """Sort key that orders numbers inside IRIs numerically (record/.../2 before /10)."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def serialize(graph: Graph, title: str) -> str:
    """Turtle: prefixes on top, one block per subject, grouped by class, everything sorted."""
    lines = [f"@base <{BASE}> ."]
    lines += [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in PREFIXES.items()]
    lines += [
        "",
        f"# {title}",
        "# Generated by tools/import_reference.py from the reference CSVs. Do not edit by",
        "# hand: change the reference or the script's decision tables and rebuild.",
    ]
    rank = {p: i for i, p in enumerate(PREDICATE_ORDER)}
    written: set[Any] = set()
    for cls, heading in SECTION_TITLES.items():
        subjects = sorted(
            set(graph.subjects(RDF.type, cls)) - written, key=lambda s: natural(term(s))
        )
        if not subjects:
            continue
        lines += ["", f"# {'-' * 91}", f"# {heading}", f"# {'-' * 91}"]
        for subject in subjects:
            written.add(subject)
            parts = []
            for predicate in sorted(
                set(graph.predicates(subject)), key=lambda p: (rank.get(p, len(rank)), str(p))
            ):
                objects = sorted(
                    graph.objects(subject, predicate),
                    key=lambda o: (term(o), getattr(o, "language", "") or ""),
                )
                verb = "a" if predicate == RDF.type else term(predicate)
                parts.append(f"    {verb} " + " ,\n        ".join(term(o) for o in objects))
            lines += ["", term(subject)] + [p + " ;" for p in parts[:-1]] + [parts[-1] + " ."]
    missing = set(graph.subjects()) - written
    if missing:
        raise ValueError(f"subjects with no section: {sorted(map(str, missing))[:5]}")
    text = "\n".join(lines) + "\n"
    parsed = Graph().parse(data=text, format="turtle")
    if len(parsed) != len(graph):
        raise ValueError(f"{title}: Turtle does not parse back to the same graph")
    return text


def record_graph(records: list[Rec]) -> Graph:
    """The triples of curated records."""
    g = Graph()
    for rec in records:
        assert rec.node is not None
        g.add((rec.node, RDF.type, KIND_CLASS[rec.kind]))
        for predicate, values in rec.props.items():
            for value in values:
                g.add((rec.node, predicate, value))
        g.add((rec.node, LG.basis, LG.Curated))
        g.add((rec.node, LG.confidence, LG[CONFIDENCE[rec.confidence]]))
        g.add((rec.node, LG.lastVerified, dlit(VERIFIED)))
        for source in rec.sources:
            g.add((rec.node, DCTERMS.source, source))
    return g


def source_graph(registry: SourceRegistry) -> Graph:
    """One lg:Source per URL."""
    g = Graph()
    for url, info in registry.sources.items():
        node = source_iri(url)
        g.add((node, RDF.type, LG.Source))
        g.add((node, LG.url, URIRef(url)))
        g.add((node, DCTERMS.title, lit(info.title)))
        g.add((node, LG.asOf, dlit(info.as_of)))
        note = info.as_of_note
        if info.as_of_quality[1] == 0:
            note = f"{note} (no date: the access date is used)"
        if note:
            g.add((node, LG.asOfNote, lit(note)))
        g.add((node, LG.accessed, dlit(ACCESS_DATE)))
        if info.community:
            g.add((node, LG.communityOnly, Literal(True)))
        if info.url_note:
            g.add((node, SKOS.note, lit(info.url_note)))
        publisher = publisher_of(info.title)
        if publisher:
            g.add((node, DCTERMS.publisher, lit(publisher)))
    return g


def publisher_of(title: str) -> str:
    """The publisher when the title plainly names it before a colon ("TGA: ...")."""
    match = re.match(r"^([^:()]{2,40}?):\s", title)
    if not match:
        return ""
    name = match.group(1).strip()
    if re.search(r"\d{4}|\bvia\b|\brow\b", name):
        return ""
    return name


def unverified_graph(importer: Importer) -> Graph:
    """unverified_claims.csv as lg:UnverifiedClaim: community-only claims, not facts."""
    g = Graph()
    for number, row in enumerate(importer.rows["unverified"], start=2):
        node = iri(f"claim/{row['iso_code']}/{slugify(row['substance'])}/{number}")
        g.add((node, RDF.type, LG.UnverifiedClaim))
        g.add(
            (
                node,
                LG.claimSubject,
                lit(f"{row['substance']} - {row['jurisdiction']} ({row['iso_code']})"),
            )
        )
        parts = [
            f"{name}: {row[name]}"
            for name in (
                "control_instrument",
                "schedule_or_class",
                "medical_use_allowed",
                "therapeutic_access",
                "research_exemption",
                "other_exemption",
                "possession_regime",
                "effective_from",
            )
            if row[name].strip()
        ]
        g.add((node, LG.claimText, lit("; ".join(parts))))
        if row["notes"].strip():
            g.add((node, SKOS.note, lit(row["notes"])))
        g.add((node, SKOS.note, lit(f"Reference confidence: {row['confidence']}")))
        for source in importer.row_sources(row):
            g.add((node, DCTERMS.source, source))
    return g


def instrument_graph(importer: Importer) -> Graph:
    """Legal instruments cited by records (as the reference names them)."""
    g = Graph()
    for node, (title, lang) in importer.instruments.items():
        g.add((node, RDF.type, LG.LegalInstrument))
        g.add((node, DCTERMS.title, lit(title, lang)))
    return g


def authority_graph(importer: Importer) -> Graph:
    """The authorities records name."""
    g = Graph()
    for slug in sorted(importer.authorities_used):
        name, jur, others = AUTHORITIES[slug]
        node = iri(f"authority/{slug}")
        g.add((node, RDF.type, LG.Authority))
        g.add((node, SKOS.prefLabel, lit(name, "en")))
        g.add((node, RDFS.label, lit(name, "en")))
        for other, lang in others:
            g.add((node, SKOS.altLabel, lit(other, lang)))
        g.add((node, LG.jurisdiction, iri(f"jurisdiction/{jur}")))
    return g


def run(reference: Path, root: Path = ROOT) -> dict[str, int]:
    """Build every output file from the reference directory; return counts."""
    importer = Importer(reference)
    names = {
        "identifiers": "identifiers.csv",
        "international": "international.csv",
        "schedules": "schedules.csv",
        "unverified": "unverified_claims.csv",
    }
    names.update({key: name for key, name, _ in RECORD_FILES})
    for key, name in names.items():
        importer.rows[key] = read_csv(reference / name)
    importer.build_schedules()
    importer.build_substances()
    for order, (key, _, output) in enumerate(RECORD_FILES):
        for number, row in enumerate(importer.rows[key], start=2):
            if key in STATUS_FILES:
                importer.status_row(order, key, number, row, output)
            elif key == "research":
                importer.research_row(order, number, row, output)
            elif key == "therapeutic":
                importer.therapeutic_row(order, number, row, output)
            else:
                importer.trial_row(order, number, row, output)
    importer.finish_records()
    unverified = unverified_graph(importer)
    data = root / "data"
    (data / "records").mkdir(parents=True, exist_ok=True)
    outputs: dict[Path, tuple[Graph, str]] = {
        data / "substances.ttl": (importer.substances, "Substances and natural materials"),
        data / "schedules.ttl": (
            importer.schedules,
            "Treaties, schedule schemes and their schedules",
        ),
        data / "unverified_claims.ttl": (unverified, "Community-only claims: NOT facts, to verify"),
        data / "records" / "instruments.ttl": (
            instrument_graph(importer),
            "Legal instruments cited by records",
        ),
        data / "records" / "authorities.ttl": (
            authority_graph(importer),
            "Authorities named by records",
        ),
    }
    for _, _, output in RECORD_FILES:
        recs = [r for r in importer.records if r.output == output]
        outputs[data / "records" / output] = (record_graph(recs), f"Records: {output}")
    # Sources last: every file above has registered its sources by now.
    outputs[data / "sources.ttl"] = (source_graph(importer.registry), "Sources")
    for path, (graph, title) in outputs.items():
        path.write_text(serialize(graph, title), encoding="utf-8")
    counts: dict[str, int] = {}
    for rec in importer.records:
        counts[rec.kind] = counts.get(rec.kind, 0) + 1
    counts["sources"] = len(importer.registry.sources)
    counts["unverified"] = len(importer.rows["unverified"])
    return counts


def main(argv: list[str]) -> int:
    """Command line: ``python tools/import_reference.py /path/to/reference``."""
    if len(argv) != 2:
        print(__doc__)
        return 2
    counts = run(Path(argv[1]))
    for kind, count in sorted(counts.items()):
        print(f"{kind}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
