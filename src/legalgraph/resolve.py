"""Turn what people type ("Holland", "nl", "NLD", "ecstasy", "magic mushrooms") into IRIs.

Names, codes and synonyms come from the graph's labels (skos:prefLabel, skos:altLabel, ISO codes,
substance slugs), matched case-insensitively and ignoring accents and punctuation. An unknown or
ambiguous name raises :class:`UnknownName`, which lists the candidates it considered.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from rdflib import URIRef

from legalgraph.errors import InputError
from legalgraph.store import Store

_PLACES = """
SELECT ?item ?label ?kind WHERE {
  ?item a/rdfs:subClassOf* lg:Jurisdiction .
  { ?item skos:prefLabel ?label . BIND ("name" AS ?kind) }
  UNION { ?item skos:altLabel ?label . BIND ("alias" AS ?kind) }
  UNION { ?item lg:iso3166Alpha2 ?label . BIND ("code" AS ?kind) }
  UNION { ?item lg:iso3166Alpha3 ?label . BIND ("code" AS ?kind) }
  UNION { ?item lg:iso3166_2 ?label . BIND ("code" AS ?kind) }
  UNION { ?item a ?class . BIND (STRAFTER(STR(?item), "/id/jurisdiction/") AS ?label)
          BIND ("code" AS ?kind) }
}
"""

_SUBSTANCES = """
SELECT ?item ?label ?kind WHERE {
  ?item a/rdfs:subClassOf* lg:RegulatedItem .
  { ?item skos:prefLabel ?label . BIND ("name" AS ?kind) }
  UNION { ?item skos:altLabel ?label . BIND ("alias" AS ?kind) }
  UNION { ?item lg:inn ?label . BIND ("alias" AS ?kind) }
  UNION { ?item a ?class . BIND (STRAFTER(STR(?item), "/id/substance/") AS ?label)
          BIND ("code" AS ?kind) }
}
"""


def normalize(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^0-9a-z]+", " ", plain).strip()


@dataclass
class UnknownName(InputError):
    """A name that matches nothing, or more than one thing."""

    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """A resolved name: the IRI and the label it is best known by."""

    iri: URIRef
    label: str


class Resolver:
    """Names of places and substances in one graph, ready to look up."""

    def __init__(self, store: Store) -> None:
        self.places = _Index(store, _PLACES, "place")
        self.substances = _Index(store, _SUBSTANCES, "substance")

    def place(self, text: str) -> Match:
        """The jurisdiction ``text`` names."""
        return self.places.lookup(text)

    def substance(self, text: str) -> Match:
        """The substance or material ``text`` names."""
        return self.substances.lookup(text)

    def place_label(self, iri: URIRef) -> str:
        """The English name of a jurisdiction."""
        return self.places.label(iri)

    def substance_label(self, iri: URIRef) -> str:
        """The English name of a substance."""
        return self.substances.label(iri)


class _Index:
    def __init__(self, store: Store, query: str, what: str) -> None:
        self.what = what
        self.keys: dict[str, set[URIRef]] = defaultdict(set)
        self.labels: dict[URIRef, str] = {}
        for row in store.select(query):
            item, label, kind = row["item"], str(row["label"]), str(row["kind"])
            if not isinstance(item, URIRef) or not label:
                continue
            lang = getattr(row["label"], "language", None)
            if kind == "name" and (lang in (None, "en") or item not in self.labels):
                self.labels[item] = label
            self.keys[normalize(label)].add(item)
        for item in list(self.labels):
            self.labels.setdefault(item, str(item).rsplit("/", 1)[-1])

    def label(self, iri: URIRef) -> str:
        return self.labels.get(iri, str(iri).rsplit("/", 1)[-1])

    def lookup(self, text: str) -> Match:
        key = normalize(text)
        if not key:
            raise UnknownName(message=f"empty {self.what} name")
        found = self.keys.get(key, set())
        if len(found) == 1:
            item = next(iter(found))
            return Match(item, self.label(item))
        if found:
            names = tuple(sorted(f"{self.label(i)} ({_tail(i)})" for i in found))
            raise UnknownName(
                message=f"{text!r} is ambiguous: it may mean {_or(names)}", candidates=names
            )
        close = difflib.get_close_matches(key, list(self.keys), n=6, cutoff=0.75)
        names = tuple(dict.fromkeys(self.label(i) for k in close for i in sorted(self.keys[k])))
        hint = f"; did you mean {_or(names)}?" if names else ""
        raise UnknownName(message=f"unknown {self.what} {text!r}{hint}", candidates=names)


def _tail(iri: URIRef) -> str:
    """The code part of a data IRI: ``AUS``, ``US-CO/denver``, ``mdma``."""
    text = str(iri)
    for marker in ("/id/jurisdiction/", "/id/substance/"):
        if marker in text:
            return text.split(marker, 1)[1]
    return text.rsplit("/", 1)[-1]


def _or(names: tuple[str, ...]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]
