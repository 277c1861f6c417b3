"""What every template may call besides its page's data: how the search words were read, the
colours of the legends as CSS custom properties (one palette, in :mod:`worldmap`), and the
citation of an answer (:func:`legalgraph.web.card.cite`)."""

from __future__ import annotations

from datetime import date

from flask import Flask, request
from markupsafe import Markup
from rdflib import URIRef

from legalgraph import lookup, search
from legalgraph.compare import Access
from legalgraph.web import worldmap
from legalgraph.web.changelines import change_lines
from legalgraph.web.sourcelist import source_list


def search_readings(*shown: str) -> list[search.Reading]:
    """How the ``q`` of the request was read, when it led to the page showing ``shown``."""
    from legalgraph.web.pages import resolver

    text = request.args.get("q", "").strip()
    if not text:
        return []
    return search.readings(resolver(), text, tuple(str(iri) for iri in shown))


def level_ranks() -> dict[str, int]:
    """Each control level's lg:rank (1 is the strictest), for sorting by strictness."""
    from legalgraph.web.pages import store

    return {lv.iri: lv.rank for lv in lookup.control_levels(store()) if lv.rank is not None}


def palette_css() -> Markup:
    """``:root { --c1: ...; --c1-ink: ...; }`` for every key of every legend."""
    rules = "".join(f"--{k.css}:{k.colour};--{k.css}-ink:{k.ink};" for k in worldmap.all_keys())
    return Markup(f"<style>:root{{{rules}}}</style>")


def install(app: Flask) -> None:
    """Make the helpers above callable from every template."""
    from legalgraph.web.card import cite

    app.jinja_env.globals.update(search_readings=search_readings, palette_css=palette_css,
                                 level_ranks=level_ranks, source_list=source_list,
                                 change_lines=change_lines, medical_view=medical_view,
                                 citation=cite)


class MedicalView:
    """The medical-access colours of one substance's map on one day: each row's most open
    access, from its status record's medical use and the authorizations in force."""

    def __init__(self, routes: dict[str, list[Access]]) -> None:
        self.routes = routes

    def key(self, row: dict[str, object]) -> worldmap.Key | None:
        found = self.routes.get(str(row.get("jurisdiction")), [])
        medical = row.get("medical_iri")
        return worldmap.medical_key(str(medical) if medical else None,
                                    [a.access_type for a in found if a.access_type])

    def labels(self, row: dict[str, object]) -> list[str]:
        """The access routes in force in the row's place, as words."""
        found = self.routes.get(str(row.get("jurisdiction")), [])
        return list(dict.fromkeys(
            (a.access_type_label or a.access_type or "") + (f" ({a.indication})"
                                                            if a.indication else "")
            for a in found if a.access_type in worldmap.ACCESS_ROUTES))

    @staticmethod
    def route_key(access: Access) -> worldmap.Key:
        """The key of one access route."""
        return worldmap.ACCESS_ROUTES.get(access.access_type or "", worldmap.UNKNOWN)

    def elsewhere(self, rows: list[dict[str, object]]) -> list[Access]:
        """Access routes in force in places that have no row (no status of their own): a
        state's supervised services, a region's programme."""
        listed = {str(r.get("jurisdiction")) for r in rows}
        return sorted((a for found in self.routes.values() for a in found
                       if a.jurisdiction not in listed and a.access_type in worldmap.ACCESS_ROUTES),
                      key=lambda a: (a.name, a.access_type or ""))

    def counts(self, rows: list[dict[str, object]]) -> dict[str, int]:
        """How many countries and territories have each key (as the legend counts them)."""
        out = {key.css: 0 for key in worldmap.MEDICAL_KEYS.values()}
        out[worldmap.UNKNOWN.css] = 0
        for row in rows:
            if row.get("kind") in ("country", "dependent territory"):
                key = self.key(row)
                out[key.css if key else worldmap.UNKNOWN.css] += 1
        return out


def medical_view(substance: str, day: date) -> MedicalView:
    """The medical view of ``substance`` (an IRI) on ``day``."""
    from legalgraph.web.pages import comparer

    routes: dict[str, list[Access]] = {}
    for access in comparer().therapeutic_access(day, URIRef(substance)):
        routes.setdefault(access.jurisdiction, []).append(access)
    return MedicalView(routes)
