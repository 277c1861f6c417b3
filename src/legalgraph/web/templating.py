"""What every template may call besides its page's data: how the search words were read, the
colours of the legends as CSS custom properties (one palette, in :mod:`worldmap`), and the
citation of an answer (:func:`legalgraph.web.card.cite`)."""

from __future__ import annotations

from flask import Flask, request
from markupsafe import Markup

from legalgraph import lookup, search
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
                                 change_lines=change_lines,
                                 citation=cite)
