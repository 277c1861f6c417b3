"""One answer as a citation: plain text, BibTeX, RIS and CSL-JSON, from one :class:`Citable`.

The permalink names the as-of date, so a citation keeps pointing at the answer that was cited.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from legalgraph.answer import long_date

AUTHOR = "legalgraph maintainers"
PUBLISHER = "legalgraph"

#: Each format: file extension and media type.
FORMATS: dict[str, tuple[str, str]] = {
    "bibtex": ("bib", "application/x-bibtex"),
    "ris": ("ris", "application/x-research-info-systems"),
    "csl": ("json", "application/vnd.citationstyles.csl+json"),
}


@dataclass(frozen=True)
class Citable:
    """What a citation of one answer says."""

    key: str            # a stable identifier: mdma-AUS-2023-07-01
    substance: str      # plain name: MDMA
    place: str          # Australia
    as_of: date
    permalink: str      # names the as-of date
    version: str
    modified: date | None
    accessed: date
    level: str | None = None
    since: str | None = None
    source_title: str | None = None
    source_url: str | None = None

    @property
    def title(self) -> str:
        return f"{self.substance} in {self.place}, as of {long_date(self.as_of)}"

    @property
    def note(self) -> str:
        parts = []
        if self.level:
            parts.append(f"Control level: {self.level}" + (f", {self.since}" if self.since
                                                           else ""))
        if self.source_title:
            parts.append(f"Best source: {self.source_title}"
                         + (f" <{self.source_url}>" if self.source_url else ""))
        return ". ".join(parts)


def text(c: Citable) -> str:
    """The citation as a reader copies it into an article or a footnote."""
    modified = long_date(c.modified) if c.modified else "undated"
    return (f"{AUTHOR}. \u201c{c.title}.\u201d {PUBLISHER}, data version {c.version} "
            f"(modified {modified}). {c.permalink} (accessed {long_date(c.accessed)}).")


_BIB_ESCAPES = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                **{c: "\\" + c for c in "{}%&#_$"}}


def _bib(value: str) -> str:
    """``value`` with the characters LaTeX reads as markup escaped, in one pass."""
    return re.sub(r"[\\~^{}%&#_$]", lambda m: _BIB_ESCAPES[m.group(0)], value)


def bibtex(c: Citable) -> str:
    """A BibTeX ``@misc`` entry (biblatex reads ``urldate`` and ``version`` too)."""
    issued = c.modified or c.as_of
    fields = [
        ("author", "{" + _bib(AUTHOR) + "}"),
        ("title", _bib(c.title)),
        ("howpublished", _bib(f"{PUBLISHER}, data version {c.version}")),
        ("year", str(issued.year)),
        ("month", issued.strftime("%b").lower()),
        ("version", _bib(c.version)),
        ("url", c.permalink.replace("%", r"\%")),
        ("urldate", c.accessed.isoformat()),
        ("note", _bib(c.note)),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{re.sub(r'[^A-Za-z0-9_.:-]', '-', c.key)},\n{body}\n}}\n"


def _ris(value: str) -> str:
    return " ".join(value.split())


def ris(c: Citable) -> str:
    """A RIS record of type DATA (dataset)."""
    issued = c.modified or c.as_of
    lines = [
        ("TY", "DATA"), ("AU", AUTHOR), ("TI", c.title), ("PB", PUBLISHER),
        ("PY", str(issued.year)), ("DA", issued.strftime("%Y/%m/%d")), ("ET", c.version),
        ("UR", c.permalink), ("Y2", c.accessed.strftime("%Y/%m/%d")), ("ID", c.key),
        ("N1", c.note),
    ]
    return "".join(f"{tag}  - {_ris(value)}\r\n" for tag, value in lines if value) + "ER  - \r\n"


def _parts(day: date) -> dict[str, list[list[int]]]:
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl(c: Citable) -> str:
    """CSL-JSON: a list with one item of type ``dataset``."""
    item: dict[str, object] = {
        "id": c.key, "type": "dataset", "title": c.title,
        "author": [{"literal": AUTHOR}], "publisher": PUBLISHER, "version": c.version,
        "issued": _parts(c.modified or c.as_of), "accessed": _parts(c.accessed),
        "URL": c.permalink,
    }
    if c.note:
        item["note"] = c.note
    return json.dumps([item], indent=2, ensure_ascii=False) + "\n"


RENDER = {"bibtex": bibtex, "ris": ris, "csl": csl}
