"""The lookup pages for journalists and the dereferenceable resource IRIs.

Every page is rendered on the server (JavaScript only adds typeahead and table sorting), its
URL holds the whole view, and everything from the data goes through Jinja's autoescaping.

| path | page |
|---|---|
| ``/`` | one search box, common questions, what the data covers |
| ``/search?q=`` | finds a substance and a place in free text, redirects or suggests |
| ``/status/<substance>/<place>`` | the answer, with ``?as_of=`` and ``?format=ttl|jsonld|csv`` |
| ``/substance/<substance>`` | world map and table of every jurisdiction, ``?format=csv`` |
| ``/place/<place>`` | every substance in a jurisdiction, its parts, its treaties |
| ``/compare?places=&substances=`` | 2 to 6 places (and up to 6 substances) side by side |
| ``/changes`` and ``/changes.atom`` | what changed in a period, newest first |
| ``/id/...`` | resource IRIs: HTML, Turtle or JSON-LD by content negotiation |
| ``/suggest?q=`` | typeahead (JSON) |
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from rdflib import Graph, URIRef
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from legalgraph import answer, lookup, media, queries, search
from legalgraph.compare import Change, Comparer
from legalgraph.endpoint import dumps
from legalgraph.engine import Answer, engine_for
from legalgraph.errors import InputError
from legalgraph.namespaces import DATASET_IRI, ID, PREFIXES
from legalgraph.resolve import Match, Resolver, UnknownName, normalize
from legalgraph.settings import Settings
from legalgraph.store import Store
from legalgraph.web import jsonld, worldmap

blueprint = Blueprint("pages", __name__)

SUBSTANCE_BASE = str(ID) + "substance/"
PLACE_BASE = str(ID) + "jurisdiction/"
COMMON_QUESTIONS = (
    ("Is MDMA therapy legal in Australia?", "mdma", "AUS"),
    ("Is ecstasy legal in the Netherlands?", "mdma", "NLD"),
    ("Psilocybin in New Zealand", "psilocybin", "NZL"),
    ("Magic mushrooms in Oregon", "psilocybin-mushrooms", "US-OR"),
    ("Ketamine in the United States", "ketamine", "USA"),
)
_SAFE_PATH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,200}$")
RDF_TYPES = {m.extension: m.name for m in (media.TURTLE, media.JSON_LD)}
"""The page twins' formats (``?format=ttl``, ``?format=jsonld``), from the media-type registry."""


class PageError(Exception):
    """A request the pages cannot answer: shown as a page with a status and suggestions."""

    def __init__(self, status: int, message: str, suggestions: Sequence[Match] = (),
                 kind: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.suggestions = list(suggestions)
        self.kind = kind


# -- shared helpers --------------------------------------------------------------------


def store() -> Store:
    value: Store = current_app.config["STORE"]
    return value


def settings() -> Settings:
    value: Settings = current_app.config["SETTINGS"]
    return value


def resolver() -> Resolver:
    """The resolver of the served store, built once per app."""
    cached = current_app.config.get("PAGES_RESOLVER")
    if cached is None or cached[0] is not store():
        cached = (store(), Resolver(store()))
        current_app.config["PAGES_RESOLVER"] = cached
    value: Resolver = cached[1]
    return value


def comparer() -> Comparer:
    """The typed compare API over the served store, built once per app."""
    cached = current_app.config.get("PAGES_COMPARER")
    if cached is None or cached[0] is not store():
        cached = (store(), Comparer(store(), resolver()))
        current_app.config["PAGES_COMPARER"] = cached
    value: Comparer = cached[1]
    return value


def slug(iri: str) -> str:
    """The path segment of a substance or jurisdiction IRI (mdma, AUS, US-CO/denver)."""
    for base in (SUBSTANCE_BASE, PLACE_BASE):
        if iri.startswith(base):
            return iri[len(base):]
    return iri.rsplit("/", 1)[-1]


def _go(endpoint: str, code: int = 302, **values: Any) -> BaseResponse:
    """A redirect to ``endpoint`` that keeps the query string's other parameters."""
    params: dict[str, Any] = {k: v for k, v in request.args.items() if k not in values}
    params.update(values)
    return redirect(url_for(endpoint, **params), code=code)


def as_of_day() -> date:
    """The ``as_of`` parameter, or today."""
    raw = request.args.get("as_of", "").strip()
    if not raw:
        return date.today()
    try:
        return queries.parse_date(raw, "as_of date")
    except InputError as error:
        raise PageError(400, str(error)) from None


def find(kind: str, text: str) -> Match:
    """A substance or place by slug, code, name or synonym; suggestions when none fits."""
    index = resolver().substances if kind == "substance" else resolver().places
    base = SUBSTANCE_BASE if kind == "substance" else PLACE_BASE
    exact = URIRef(base + text)
    if exact in index.labels:
        return Match(exact, index.label(exact))
    try:
        return resolver().substance(text) if kind == "substance" else resolver().place(text)
    except UnknownName as error:
        named = [m for name in error.candidates for m in _by_label(index, name)]
        if "ambiguous" in error.message:
            named = [Match(i, index.label(i)) for i in sorted(index.keys.get(
                normalize(text), set()))] or named
            close = []
        else:
            close = [m for m in search.suggest(resolver(), text)
                     if (kind == "place") == m.iri.startswith(PLACE_BASE)]
        suggestions = list(dict.fromkeys(named + close))
        raise PageError(404, str(error), suggestions, kind) from None


def _by_label(index: Any, name: str) -> list[Match]:
    return [Match(iri, label) for iri, label in index.labels.items() if label == name]


def qualified(match: Match) -> str:
    """A name that tells places apart: 'Georgia', 'Georgia (United States)'.

    A subdivision or city is followed by the place it is part of; a country by nothing.
    """
    if not str(match.iri).startswith(PLACE_BASE):
        return answer.plain(match.label)
    known = lookup.places(store())
    place = known.get(str(match.iri))
    if place is None:
        return match.label
    parent = known.get(place.parent) if place.parent else None
    return f"{match.label} ({parent.name})" if parent else match.label


def data_info() -> dict[str, Any]:
    s = store()
    return {"version": s.version, "modified": s.modified}


@blueprint.app_context_processor
def _context() -> dict[str, Any]:
    return {"slug": slug, "long_date": answer.long_date, "today": date.today(),
            "plain": answer.plain, "qualified": qualified, "web_url": web_url,
            "brief": answer.brief}


def web_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) address, else None: data never becomes a script link."""
    if url and re.match(r"^https?://", url, re.IGNORECASE):
        return url
    return None


@blueprint.errorhandler(PageError)
def _page_error(error: PageError) -> tuple[str, int]:
    return render_template("error.html", error=error, data=data_info()), error.status


@blueprint.errorhandler(InputError)
def _input_error(error: InputError) -> tuple[str, int]:
    return _page_error(PageError(400, str(error)))


@blueprint.app_errorhandler(404)
def _not_found(error: HTTPException) -> tuple[str, int] | HTTPException:
    """An unknown address gets a page with the search box (the SPARQL area keeps its own)."""
    if request.path.startswith("/sparql"):
        return error
    return _page_error(PageError(404, f"There is no page at {request.path}."))


# -- home and search ---------------------------------------------------------------------


@blueprint.get("/")
def home() -> str:
    """The search box, common questions and what the data covers."""
    levels = lookup.control_levels(store())
    return render_template(
        "home.html", data=data_info(), questions=COMMON_QUESTIONS, levels=levels,
        substances=_substances(), counts=_counts(),
    )


def _substances() -> list[Match]:
    index = resolver().substances
    return sorted((Match(i, index.label(i)) for i in index.labels), key=lambda m: m.label.lower())


def _counts() -> dict[str, int]:
    return lookup.counts(store())


@blueprint.get("/search")
def search_page() -> str | BaseResponse:
    """Find a substance and a place in free text; go to the page that answers it."""
    text = request.args.get("q", "").strip()
    if not text:
        return redirect(url_for("pages.home"))
    parsed = search.parse(resolver(), text)
    as_of = request.args.get("as_of", "")
    extra = {"as_of": as_of} if 0 < len(as_of) <= 32 else {}  # a date, not a long Location
    if parsed.readings and len(text) <= 200:  # the page says how the words were read
        extra["q"] = text
    if parsed.substance and parsed.place and not parsed.ambiguous:
        return redirect(url_for("pages.status", substance=slug(parsed.substance.iri),
                                place=slug(parsed.place.iri), **extra))  # type: ignore[arg-type]
    if not parsed.leftover and not parsed.ambiguous:
        if parsed.substance:
            return redirect(url_for("pages.substance", substance=slug(parsed.substance.iri),
                                    **extra))  # type: ignore[arg-type]
        if parsed.place:
            return redirect(url_for("pages.place", place=slug(parsed.place.iri),
                                    **extra))  # type: ignore[arg-type]
    return render_template("search.html", parsed=parsed, data=data_info(),
                           substances=_substances(), questions=COMMON_QUESTIONS)


@blueprint.get("/suggest")
def suggest() -> Response:
    """Typeahead: names of substances and places that start with what was typed."""
    items = search.complete(resolver(), request.args.get("q", "")[:100])
    for item in items:
        item["slug"] = slug(item.pop("iri"))
    return jsonify(items)


# -- status ----------------------------------------------------------------------------


@blueprint.get("/status/<substance>/<path:place>")
def status(substance: str, place: str) -> str | BaseResponse:
    """The answer for one substance in one place, seen from one day."""
    thing, where = find("substance", substance), find("place", place)
    canonical = (slug(thing.iri), slug(where.iri))
    if canonical != (substance, place):
        return _go("pages.status", 301, substance=canonical[0], place=canonical[1])
    day = as_of_day()
    report = lookup.status_report(store(), thing, where, day)
    fmt = request.args.get("format", "html")
    if fmt in RDF_TYPES:
        iris = [URIRef(r.iri) for r in report.all_records()]
        iris += [URIRef(s.iri) for r in report.all_records() for s in r.sources]
        return _rdf(iris, fmt)
    if fmt == "csv":
        return _csv(_status_rows(report), f"{canonical[0]}-{canonical[1].replace('/', '-')}")
    if fmt != "html":
        raise PageError(400, f"unknown format {fmt!r}: use html, ttl, jsonld or csv")
    changes = engine_for(store()).change_days(thing.iri, where.iri)
    return render_template(
        "status.html", report=report, sentence=answer.sentence(report), data=data_info(),
        why=report.answer.why,
        keys=worldmap.CONTROL_KEYS, medical_keys=worldmap.MEDICAL_KEYS, changes=changes,
        one_day=timedelta(days=1),
    )


STATUS_COLUMNS = (
    "record", "kind", "valid_from", "valid_until", "in_force", "schedule", "control_level",
    "medical_use", "access_type", "indication", "authority", "description", "basis",
    "confidence", "last_verified", "source_urls",
)


def _status_rows(report: lookup.StatusReport) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for record in report.all_records():
        rows.append({
            "record": record.iri,
            "kind": record.kind,
            "valid_from": record.valid_from,
            "valid_until": record.valid_until,
            "in_force": record.holds_on(report.as_of),
            "schedule": record.get("lg:schedule"),
            "control_level": record.get("lg:controlLevel"),
            "medical_use": record.get("lg:medicalUse"),
            "access_type": record.get("lg:accessType"),
            "indication": record.get("lg:indication"),
            "authority": record.get("lg:authority"),
            "description": record.get("lg:description"),
            "basis": record.basis,
            "confidence": record.confidence,
            "last_verified": record.last_verified,
            "source_urls": " | ".join(s.url or s.iri for s in record.sources),
        })
    return rows


def _csv(rows: Sequence[dict[str, object]], name: str,
         columns: Sequence[str] | None = None) -> Response:
    buffer = io.StringIO()
    cols = list(columns or (rows[0].keys() if rows else STATUS_COLUMNS))
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(cols)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else _cell(row.get(c)) for c in cols])
    return Response(buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}.csv"'})


def _cell(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _rdf(iris: Sequence[URIRef], fmt: str) -> Response:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in lookup.resource_triples(store(), list(dict.fromkeys(iris))):
        graph.add(triple)
    if not len(graph):
        raise PageError(404, "no statements about this resource")
    body = graph.serialize(format="turtle") if fmt == "ttl" else jsonld.serialize(graph)
    return Response(body, mimetype=RDF_TYPES[fmt])


# -- substance -------------------------------------------------------------------------


@blueprint.get("/substance/<substance>")
def substance(substance: str) -> str | BaseResponse:
    """A world map coloured by control level or medical access, and the table under it."""
    thing = find("substance", substance)
    if slug(thing.iri) != substance:
        return _go("pages.substance", 301, substance=slug(thing.iri))
    day = as_of_day()
    view = request.args.get("view", "control")
    if view not in ("control", "medical"):
        raise PageError(400, f"unknown view {view!r}: use control or medical")
    rows = _substance_rows(thing, day)
    fmt = request.args.get("format", "html")
    if fmt not in ("html", "csv"):
        raise PageError(400, f"unknown format {fmt!r}: use html or csv")
    wanted = request.args.get("filter", "").strip()
    shown = [r for r in rows if _matches(r, wanted)] if wanted else rows
    sort = request.args.get("sort", "name")
    if sort not in SUBSTANCE_COLUMNS:
        raise PageError(400, f"unknown sort column {sort!r}")
    shown = sorted(shown, key=_sort_key(sort))
    if fmt == "csv":
        return _csv(shown, f"{slug(thing.iri)}-{day.isoformat()}", SUBSTANCE_COLUMNS)
    keys = worldmap.CONTROL_KEYS if view == "control" else worldmap.MEDICAL_KEYS
    by_numeric = {str(r["numeric"]): r for r in rows if r.get("numeric")}
    return render_template(
        "substance.html", thing=thing, day=day, view=view, rows=shown, total=len(rows),
        wanted=wanted, sort=sort, keys=keys, unknown=worldmap.UNKNOWN, world=worldmap.world(),
        by_numeric=by_numeric, data=data_info(), counts=_tally(rows, view),
    )


SUBSTANCE_COLUMNS = (
    "name", "code", "kind", "control_level", "national_schedule", "medical_use", "basis",
    "exceptions", "access", "confidence", "source_url", "why", "numeric", "jurisdiction",
    "record",
)


def _substance_rows(thing: Match, day: date) -> list[dict[str, object]]:
    """One row per ISO 3166-1 entry, plus each subdivision or city with records of its own
    for the substance: the engine's answer for each."""
    engine = engine_for(store())
    iri = str(thing.iri)
    countries = engine.countries()
    others = sorted(
        (p for p in engine.places.values()
         if p.kind not in ("country", "dependent territory", "supranational body")
         and engine.records(iri, p.iri)), key=lambda p: p.code)
    return [_substance_row(engine.status(iri, p.iri, day), p.kind, p.numeric)
            for p in (*countries, *others)]


def _substance_row(found: Answer, kind: str, numeric: str | None) -> dict[str, object]:
    record, level = found.record, found.level
    return {
        "code": found.place.code, "name": found.place.name, "kind": kind,
        "control_level": level.concept.label if level else None,
        "national_schedule": record.schedule.label if record and record.schedule else None,
        "medical_use": found.medical_use.label if found.medical_use else None,
        "basis": found.basis.value,
        "confidence": record.confidence.code if record and record.confidence else None,
        "source_url": record.source_url if record else None,
        "why": found.why,
        "exceptions": "; ".join(f"{a.kind}: {a.scope}" if a.scope else a.kind
                                for a in found.exceptions) or None,
        "access": "; ".join(a.fact.access_text() for a in found.access) or None,
        "numeric": numeric, "jurisdiction": found.place.iri,
        "record": record.iri if record else None,
        "level_iri": level.concept.iri if level else None,
        "medical_iri": found.medical_use.iri if found.medical_use else None,
    }


def _sort_key(column: str) -> Any:
    """Blanks last; the control level by its rank (strictest first), the rest by text."""
    if column == "control_level":
        ranks = {lv.iri: lv.rank for lv in lookup.control_levels(store())}
        def by_rank(r: dict[str, object]) -> tuple[bool, int, str]:
            rank = ranks.get(str(r.get("level_iri")))
            return (r.get("control_level") is None, 99 if rank is None else rank,
                    str(r.get("control_level") or "").lower())
        return by_rank
    return lambda r: (r.get(column) is None, str(r.get(column) or "").lower())


def _matches(row: dict[str, object], wanted: str) -> bool:
    needle = wanted.casefold()
    return any(needle in str(row.get(c) or "").casefold()
               for c in ("name", "code", "control_level", "medical_use", "basis"))


def _tally(rows: Sequence[dict[str, object]], view: str) -> dict[str, int]:
    keys = worldmap.CONTROL_KEYS if view == "control" else worldmap.MEDICAL_KEYS
    counts = {key.css: 0 for key in keys.values()}
    counts[worldmap.UNKNOWN.css] = 0
    for row in rows:
        if row.get("kind") not in ("country", "dependent territory"):
            continue
        key = keys.get(str(row.get("level_iri" if view == "control" else "medical_iri")))
        counts[key.css if key else worldmap.UNKNOWN.css] += 1
    return counts


# -- place -----------------------------------------------------------------------------


@blueprint.get("/place/<path:place>")
def place(place: str) -> str | BaseResponse:
    """Every substance in a jurisdiction, its subdivisions and cities, its treaties."""
    where = find("place", place)
    if slug(where.iri) != place:
        return _go("pages.place", 301, place=slug(where.iri))
    day = as_of_day()
    report = lookup.place_report(store(), where, day)
    sentences = []
    engine = engine_for(store())
    for iri in report.by_substance:
        thing = Match(URIRef(iri), resolver().substance_label(URIRef(iri)))
        text = answer.sentence(engine.status(iri, where.iri, day))
        sentences.append((iri, thing, text))
    sentences.sort(key=lambda item: item[1].label.lower())
    return render_template("place.html", report=report, sentences=sentences, data=data_info(),
                           substances=_substances(), keys=worldmap.CONTROL_KEYS,
                           kind_names=KIND_NAMES)


KIND_NAMES = {
    "status": "Status", "authorization": "Therapeutic authorization",
    "research": "Research exemption", "penalty": "Possession", "pending": "Pending measure",
    "other": "Other exemption", "participation": "Treaty participation",
}


# -- compare ---------------------------------------------------------------------------


@blueprint.get("/compare")
def compare() -> str:
    """Places (2 to 6) and substances (1 to 6) side by side."""
    day = as_of_day()
    place_names = _list_param("places")[:7]  # capped before any lookup; 7 says "too many"
    substance_names = _list_param("substances")[:7] or ["mdma"]
    problems: list[PageError] = []
    where: list[Match] = []
    things: list[Match] = []
    for names, kind, out in ((place_names, "place", where), (substance_names, "substance",
                                                              things)):
        for name in names:
            try:
                found = find(kind, name)
            except PageError as error:
                problems.append(error)
                continue
            if found not in out:
                out.append(found)
    if len(where) > 6 or len(things) > 6:
        problems.append(PageError(400, "compare at most 6 places and 6 substances"))
        where, things = where[:6], things[:6]
    grid = {
        (t.iri, w.iri): lookup.status_report(store(), t, w, day) for t in things for w in where
    }
    sentences = {key: answer.sentence(rep) for key, rep in grid.items()}
    share = url_for("pages.compare", places=",".join(slug(w.iri) for w in where),
                    substances=",".join(slug(t.iri) for t in things),
                    as_of=day.isoformat(), _external=True)
    status_code = 200
    return render_template(
        "compare.html", where=where, things=things, grid=grid, sentences=sentences,
        problems=problems, day=day, share=share, data=data_info(),
        place_text=", ".join(place_names), substance_text=", ".join(substance_names),
        keys=worldmap.CONTROL_KEYS, enough=len(where) >= 2 or len(things) >= 2,
        status_code=status_code,
    )


def _list_param(name: str) -> list[str]:
    values: list[str] = []
    for raw in request.args.getlist(name):
        values.extend(v.strip() for v in raw.split(",") if v.strip())
    return values


# -- changes ---------------------------------------------------------------------------


def _period() -> tuple[date, date]:
    today = date.today()
    try:
        end = queries.parse_date(request.args["to"], "'to' date") if request.args.get(
            "to") else today
        start = queries.parse_date(request.args["from"], "'from' date") if request.args.get(
            "from") else end - timedelta(days=365 * 5)
    except InputError as error:
        raise PageError(400, str(error)) from None
    if start > end:
        raise PageError(400, f"the period starts ({start}) after it ends ({end})")
    return start, end


def _changes(start: date, end: date) -> list[Change]:
    """What changed, newest first, from the typed compare API."""
    substance = request.args.get("substance", "").strip()
    item = find("substance", substance).iri if substance else None
    found = comparer().changes(start, end, item)
    return sorted(found, key=lambda c: (c.date, c.record), reverse=True)


@blueprint.get("/changes")
def changes() -> str:
    """What changed in a period, newest first."""
    start, end = _period()
    return render_template("changes.html", rows=_changes(start, end), start=start, end=end,
                           data=data_info(), substance=request.args.get("substance", ""))


@blueprint.get("/changes.atom")
def changes_feed() -> Response:
    """The same changes as an Atom feed."""
    start, end = _period()
    body = render_template("changes.atom.xml", rows=_changes(start, end), start=start,
                           end=end, data=data_info(), feed_url=request.url)
    return Response(body, mimetype="application/atom+xml")


# -- resource IRIs ---------------------------------------------------------------------


@blueprint.get("/id/<path:rest>")
def resource(rest: str) -> str | BaseResponse:
    """A data IRI: HTML for browsers, Turtle or JSON-LD for machines."""
    if not _SAFE_PATH.match(rest) or ".." in rest:
        raise PageError(404, "not a resource path")
    iri = URIRef(str(ID) + rest)
    fmt = request.args.get("format") or _negotiate()
    if fmt in RDF_TYPES:
        return _rdf([iri], fmt)
    if fmt != "html":
        raise PageError(406, f"unknown format {fmt!r}: use html, ttl or jsonld")
    if rest.startswith("substance/"):
        return redirect(url_for("pages.substance", substance=rest.split("/", 1)[1]), code=303)
    if rest.startswith("jurisdiction/"):
        return redirect(url_for("pages.place", place=rest.split("/", 1)[1]), code=303)
    node = lookup.describe(store(), [str(iri)])[str(iri)]
    if not node.props:
        raise PageError(404, f"the graph has nothing about {iri}")
    inbound = lookup.inbound(store(), iri)
    downloads = (list(dumps.dumps_of(current_app).all().values())
                 if str(iri) == DATASET_IRI else [])
    return render_template("resource.html", iri=str(iri), node=node, data=data_info(),
                           inbound=inbound, link=_page_for, downloads=downloads)


def _negotiate() -> str:
    twins = {name: fmt for fmt, name in RDF_TYPES.items()}
    best = request.accept_mimetypes.best_match(
        ["text/html", *twins, "application/json"], default="text/html")
    return {**twins, "application/json": "jsonld"}.get(best or "", "html")


def _page_for(iri: str) -> str | None:
    """The lookup page of a data IRI, or its /id/ path; None outside the data."""
    if iri.startswith(str(ID)):
        return url_for("pages.resource", rest=iri[len(str(ID)):])
    return None
