"""Turn what people type ("Holland", "nl", "NLD", "ecstasy", "magic mushrooms") into IRIs.

Names, codes and synonyms come from the graph's labels (skos:prefLabel, skos:altLabel, ISO codes,
substance slugs), matched case-insensitively and ignoring accents and punctuation. An unknown or
ambiguous name raises :class:`UnknownName`, which lists the candidates it considered. Names close
to a misspelt one are found by RapidFuzz's optimal string alignment distance (an edit distance that
counts a swap of two letters as one edit), in :meth:`Resolver.close` for both kinds of name.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA
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


#: Names this short are codes (NZ, USA, LSD): typed exactly or not at all, never guessed at.
SHORTEST_GUESS = 4
#: The similarity (1 = same text, 0 = nothing in common) below which a name is not offered.
SUGGEST_CUTOFF = 0.55


@dataclass(frozen=True)
class Close:
    """A name close to what was typed: the name, how close (0 to 1) and what it names."""

    name: str
    score: float
    iri: URIRef


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

    def close(self, kind: str, text: str, limit: int = 10,
              cutoff: float = SUGGEST_CUTOFF) -> list[Close]:
        """Names of ``kind`` ("substance" or "place") close to ``text``, closest first."""
        index = self.substances if kind == "substance" else self.places
        return index.close(text, limit, cutoff)


class _Index:
    def __init__(self, store: Store, query: str, what: str) -> None:
        self.what = what
        self.keys: dict[str, set[URIRef]] = defaultdict(set)
        self.labels: dict[URIRef, str] = {}
        #: keys that are only ever another name (skos:altLabel, INN), never a label or a code
        self.aliases: set[str] = set()
        proper: set[str] = set()
        for row in store.select(query):
            item, label, kind = row["item"], str(row["label"]), str(row["kind"])
            if not isinstance(item, URIRef) or not label:
                continue
            lang = getattr(row["label"], "language", None)
            if kind == "name" and (lang in (None, "en") or item not in self.labels):
                self.labels[item] = label
            key = normalize(label)
            self.keys[key].add(item)
            (self.aliases if kind == "alias" else proper).add(key)
        self.aliases -= proper
        self._guessable = [k for k in self.keys if len(k) >= SHORTEST_GUESS]
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
        close = self.close(key, 6, 0.7)
        names = tuple(dict.fromkeys(self.label(c.iri) for c in close))
        hint = f"; did you mean {_or(names)}?" if names else ""
        raise UnknownName(message=f"unknown {self.what} {text!r}{hint}", candidates=names)


    def close(self, text: str, limit: int, cutoff: float) -> list[Close]:
        key = normalize(text)
        if len(key) < SHORTEST_GUESS - 1:
            return []
        found = process.extract(key, self._guessable, scorer=OSA.normalized_similarity,
                                score_cutoff=cutoff, limit=limit)
        return [Close(name, float(score), item) for name, score, _ in found
                for item in sorted(self.keys[name])]


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
