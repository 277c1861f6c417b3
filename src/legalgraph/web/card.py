"""The citable forms of one answer: the status card and the citation formats.

| path | what |
|---|---|
| ``/status/<substance>/<place>/card.svg`` | the card to embed: substance, place, level badge, |
| | since, best source, as-of date, permalink |
| ``/status/<substance>/<place>/card.png`` | the same card, 1200 x 630, for social previews |
| ``/status/<substance>/<place>/cite.bib``, ``.ris``, ``.json`` | BibTeX, RIS, CSL-JSON |

Each takes ``?as_of=``. The card is laid out once (:func:`layout`) and drawn twice: as SVG by
a template and as PNG by Pillow, with Pillow's bundled font, so it looks the same everywhere.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from datetime import date
from functools import cache

from flask import Blueprint, Response, render_template, url_for
from PIL import Image, ImageDraw, ImageFont

from legalgraph import answer, lookup
from legalgraph.errors import InputError
from legalgraph.web import citation, worldmap
from legalgraph.web.pages import PageError, as_of_day, data_info, find, slug, store

blueprint = Blueprint("card", __name__)


@blueprint.errorhandler(PageError)
@blueprint.errorhandler(InputError)
def _error(error: Exception) -> tuple[str, int]:
    """The lookup pages' error page: what is wrong, and suggestions."""
    found = error if isinstance(error, PageError) else PageError(400, str(error))
    return render_template("error.html", error=found, data=data_info()), found.status

WIDTH, HEIGHT, MARGIN = 1200, 630, 64
INK, MUTED, BACKGROUND, RULE = "#1d1d1f", "#5a5a60", "#ffffff", "#d8d8dc"


@dataclass(frozen=True)
class Citation:
    """An answer ready to cite: the facts, and the formats that carry them."""

    facts: citation.Citable
    level_key: worldmap.Key
    sentence: str

    @property
    def text(self) -> str:
        return citation.text(self.facts)

    @property
    def url(self) -> str:
        return self.facts.permalink

    def render(self, fmt: str) -> str:
        return citation.RENDER[fmt](self.facts)


def cite(report: lookup.StatusReport) -> Citation:
    """What the answer in ``report`` is cited as (the first source of its status is the best)."""
    result = report.answer  # the engine decides level, start and best source
    record = result.record
    level = result.level.concept if result.level else None
    key = worldmap.CONTROL_KEYS.get(level.iri) if level else None
    source = result.sources[0] if result.sources else None
    since = None
    if record is not None and (record.valid_from or record.start):
        since = f"since {answer.stated_date(record)}"
    data = data_info()
    facts = citation.Citable(
        key=f"legalgraph-{slug(report.substance.iri)}-{slug(report.place.iri)}-"
            f"{report.as_of.isoformat()}".replace("/", "-"),
        substance=answer.plain(report.substance.label), place=report.place.label,
        as_of=report.as_of,
        permalink=url_for("pages.status", substance=slug(report.substance.iri),
                          place=slug(report.place.iri), as_of=report.as_of.isoformat(),
                          _external=True),
        version=str(data["version"]), modified=data["modified"], accessed=date.today(),
        level=level.label if level else None, since=since,
        source_title=source.title if source else None,
        source_url=source.url if source else None,
    )
    return Citation(facts, key or worldmap.UNKNOWN, answer.sentence(report))


# -- layout ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of text on the card; ``y`` is its baseline."""

    text: str
    x: int
    y: int
    size: int
    colour: str
    bold: bool = False


@dataclass(frozen=True)
class Badge:
    """The control-level badge: a rounded box with its label."""

    x: int
    y: int
    width: int
    height: int
    fill: str
    ink: str
    label: str
    size: int
    dashed: bool


@dataclass(frozen=True)
class Layout:
    """Everything drawn on the card, in card pixels."""

    lines: tuple[Line, ...]
    badge: Badge
    title: str


@cache
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's bundled font at ``size`` pixels."""
    return ImageFont.load_default(size=size)


def _wrap(text: str, size: int, width: int, most: int) -> list[str]:
    """``text`` in lines no wider than ``width`` pixels, at most ``most`` (the last cut with …)."""
    face = font(size)
    words, lines = text.split(), list[str]()
    while words and len(lines) < most:
        line = words.pop(0)
        while words and face.getlength(line + " " + words[0]) <= width:
            line += " " + words.pop(0)
        lines.append(line)
    if words:
        last = lines[-1]
        while face.getlength(last + " …") > width and " " in last:
            last = last.rsplit(" ", 1)[0]
        lines[-1] = last + " …"
    return [textwrap.shorten(line, 200) for line in lines]


def layout(c: Citation) -> Layout:
    """Where each part of the card goes."""
    facts, inner = c.facts, WIDTH - 2 * MARGIN
    lines = [Line("legalgraph · status card", MARGIN, 80, 26, MUTED, bold=True),
             Line(f"as of {answer.long_date(facts.as_of)}", MARGIN, 116, 26, MUTED)]
    y = 190
    for text in _wrap(f"{facts.substance} in {facts.place}", 60, inner, 2):
        lines.append(Line(text, MARGIN, y, 60, INK, bold=True))
        y += 70
    label = facts.level or "no status on record"
    size = 30
    badge_width = int(font(size).getlength(label)) + 48
    badge = Badge(MARGIN, y - 20, badge_width, 56, c.level_key.colour, c.level_key.ink, label,
                  size, facts.level is None)
    if facts.since:
        lines.append(Line(facts.since, MARGIN + badge_width + 24, y + 18, 30, INK))
    y += 90
    for text in _wrap(c.sentence, 26, inner, 2):
        lines.append(Line(text, MARGIN, y, 26, INK))
        y += 36
    y += 10
    source = f"Source: {facts.source_title}" if facts.source_title else "No source recorded"
    for text in _wrap(source, 24, inner, 2):
        lines.append(Line(text, MARGIN, y, 24, MUTED))
        y += 32
    lines.append(Line(_wrap(facts.permalink, 22, inner, 1)[0], MARGIN, HEIGHT - 48, 22, INK))
    return Layout(tuple(lines), badge, f"{facts.title}: {label}")


def png(c: Citation) -> bytes:
    """The card as a PNG image."""
    shape = layout(c)
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH - 1, HEIGHT - 1), outline=RULE, width=2)
    draw.rectangle((0, 0, 12, HEIGHT), fill=c.level_key.colour)
    b = shape.badge
    draw.rounded_rectangle((b.x, b.y, b.x + b.width, b.y + b.height), radius=b.height // 2,
                           fill=b.fill, outline="#555555" if b.dashed else None, width=2)
    draw.text((b.x + 24, b.y + b.height // 2), b.label, fill=b.ink, font=font(b.size),
              anchor="lm")
    for line in shape.lines:
        draw.text((line.x, line.y), line.text, fill=line.colour, font=font(line.size),
                  anchor="ls", stroke_width=1 if line.bold else 0, stroke_fill=line.colour)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


# -- routes ----------------------------------------------------------------------------


def _citation_for(substance: str, place: str) -> Citation:
    thing, where = find("substance", substance), find("place", place)
    return cite(lookup.status_report(store(), thing, where, as_of_day()))


@blueprint.get("/status/<substance>/<path:place>/card.svg")
def card_svg(substance: str, place: str) -> Response:
    """The status card as SVG."""
    c = _citation_for(substance, place)
    body = render_template("card.svg", card=c, shape=layout(c), width=WIDTH, height=HEIGHT,
                           rule=RULE, background=BACKGROUND)
    return Response(body, mimetype="image/svg+xml")


@blueprint.get("/status/<substance>/<path:place>/card.png")
def card_png(substance: str, place: str) -> Response:
    """The status card as PNG."""
    return Response(png(_citation_for(substance, place)), mimetype="image/png")


@blueprint.get("/status/<substance>/<path:place>/cite.<ext>")
def cite_as(substance: str, place: str, ext: str) -> Response:
    """The citation as BibTeX (``.bib``), RIS (``.ris``) or CSL-JSON (``.json``)."""
    by_ext = {e: (fmt, media) for fmt, (e, media) in citation.FORMATS.items()}
    if ext not in by_ext:
        raise PageError(404, f"no citation format {ext!r}: use bib, ris or json")
    fmt, media = by_ext[ext]
    c = _citation_for(substance, place)
    name = c.facts.key + "." + ext
    return Response(c.render(fmt), mimetype=media,
                    headers={"Content-Disposition": f'inline; filename="{name}"'})
