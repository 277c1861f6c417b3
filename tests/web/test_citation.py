"""The citation formats of one answer: each parses as its format says, whatever the names hold."""

from __future__ import annotations

import json
from datetime import date

from legalgraph.web import citation

FACTS = citation.Citable(
    key="legalgraph-mdma-US-CO/denver-2023-07-01", substance="MDMA", place="Denver",
    as_of=date(2023, 7, 1), permalink="https://example.org/status/mdma/US-CO/denver?as_of=2023-07-01",
    version="abc123", modified=date(2026, 11, 26), accessed=date(2026, 12, 4),
    level="prohibited except research", since="since 1 July 2023",
    source_title="Act 50% {draft} #3 & C$_1 \\ end", source_url="https://example.org/a?b=1&c=2",
)


def test_the_text_citation_names_the_date_the_version_and_the_permalink() -> None:
    text = citation.text(FACTS)
    assert text == (
        "legalgraph maintainers. \u201cMDMA in Denver, as of 1 July 2023.\u201d legalgraph, "
        "data version abc123 (modified 26 November 2026). https://example.org/status/mdma/US-CO/"
        "denver?as_of=2023-07-01 (accessed 4 December 2026)."
    )


def test_bibtex_escapes_what_latex_would_read_as_markup() -> None:
    entry = citation.bibtex(FACTS)
    assert entry.startswith("@misc{legalgraph-mdma-US-CO-denver-2023-07-01,\n")
    assert r"Act 50\% \{draft\} \#3 \& C\$\_1 \textbackslash{} end" in entry
    assert "  year = {2026},\n" in entry and "  month = {nov},\n" in entry
    assert "  urldate = {2026-12-04},\n" in entry
    assert entry.rstrip().endswith("}")


def test_ris_has_one_tag_per_line_and_ends_the_record() -> None:
    record = citation.ris(FACTS)
    lines = record.split("\r\n")
    assert lines[0] == "TY  - DATA" and lines[-2] == "ER  - " and lines[-1] == ""
    assert all(line[:2].isalnum() and line[2:6] == "  - " for line in lines[:-1])
    assert "DA  - 2026/11/26" in lines and "Y2  - 2026/12/04" in lines
    assert f"UR  - {FACTS.permalink}" in lines


def test_csl_json_is_one_dataset_item() -> None:
    items = json.loads(citation.csl(FACTS))
    assert len(items) == 1
    item = items[0]
    assert item["type"] == "dataset" and item["title"] == "MDMA in Denver, as of 1 July 2023"
    assert item["issued"] == {"date-parts": [[2026, 11, 26]]}
    assert item["accessed"] == {"date-parts": [[2026, 12, 4]]}
    assert item["author"] == [{"literal": "legalgraph maintainers"}]
    assert "Act 50% {draft}" in item["note"]


def test_without_a_status_the_citation_says_nothing_it_does_not_know() -> None:
    bare = citation.Citable(
        key="k", substance="LSD", place="Tuvalu", as_of=date(2026, 1, 1),
        permalink="https://example.org/p", version="v", modified=None,
        accessed=date(2026, 1, 2),
    )
    assert bare.note == ""
    assert "note" not in json.loads(citation.csl(bare))[0]
    assert "N1  -" not in citation.ris(bare) and "note =" not in citation.bibtex(bare)
    assert "(modified undated)" in citation.text(bare)
