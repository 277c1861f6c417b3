"""Find a substance and a place in what people type into one search box.

"ecstasy netherlands", "MDMA Australia", "magic mushrooms Oregon", "psilocybin NZ", "is ecstasy
legal in the Netherlands": the longest runs of words that name a substance or a place (by the
graph's labels, synonyms and codes, through :class:`~legalgraph.resolve.Resolver`) win; small
words such as "is", "in", "legal" are never taken for codes (IS is Iceland, IN is India). What
is left over and looks like a misspelt name gets suggestions.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from rdflib import URIRef

from legalgraph.resolve import Match, Resolver, normalize

#: Words of a question that are never names on their own.
_SMALL_WORDS = (
    "a an and are be by can could do does for how i illegal in is it its law laws legal "
    "legally me my of on or status the to use used using what whats where with you allowed "
    "buy get currently now today"
)
STOPWORDS = frozenset(_SMALL_WORDS.split(" "))


@dataclass
class Parsed:
    """What was found in the text: at most one substance and one place, and hints."""

    text: str
    substance: Match | None = None
    place: Match | None = None
    leftover: list[str] = field(default_factory=list)
    suggestions: list[Match] = field(default_factory=list)
    ambiguous: list[Match] = field(default_factory=list)


def parse(resolver: Resolver, text: str) -> Parsed:
    """Find the substance and the place ``text`` names."""
    words = normalize(text).split()
    result = Parsed(text=text)
    used = [False] * len(words)
    for kind in ("substance", "place"):
        index = resolver.substances if kind == "substance" else resolver.places
        found = _longest(words, used, index.keys)
        if found is None:
            continue
        start, end, items = found
        for i in range(start, end):
            used[i] = True
        matches = sorted((Match(i, index.label(i)) for i in items),
                         key=lambda m: (m.label, str(m.iri)))
        if len(matches) == 1:
            setattr(result, kind, matches[0])
        else:
            result.ambiguous.extend(matches)
    result.leftover = [w for w, u in zip(words, used, strict=True) if not u and w not in STOPWORDS]
    if result.leftover:
        result.suggestions = suggest(resolver, " ".join(result.leftover))
    return result


def _longest(
    words: list[str], used: list[bool], keys: dict[str, set[URIRef]]
) -> tuple[int, int, set[URIRef]] | None:
    for size in range(min(len(words), 6), 0, -1):
        for start in range(len(words) - size + 1):
            if any(used[start:start + size]):
                continue
            phrase = " ".join(words[start:start + size])
            if size == 1 and phrase in STOPWORDS:
                continue
            items = keys.get(phrase)
            if items:
                return start, start + size, set(items)
    return None


def suggest(resolver: Resolver, text: str, limit: int = 6) -> list[Match]:
    """Names close to ``text``: misspellings and beginnings of names, places and substances."""
    key = normalize(text)
    if not key:
        return []
    out: dict[URIRef, Match] = {}
    for index in (resolver.substances, resolver.places):
        names = [k for k in index.keys if len(k) > 2]
        close = difflib.get_close_matches(key, names, n=limit, cutoff=0.7)
        starts = sorted(k for k in names if k.startswith(key) and len(key) >= 3)
        for name in close + starts:
            for item in sorted(index.keys[name]):
                out.setdefault(item, Match(item, index.label(item)))
    return list(out.values())[:limit]


def complete(resolver: Resolver, text: str, limit: int = 8) -> list[dict[str, str]]:
    """Typeahead: labels and synonyms that start with (or contain) what was typed."""
    key = normalize(text)
    if len(key) < 2:
        return []
    rows: list[tuple[int, str, str, str, str]] = []
    for kind, index in (("substance", resolver.substances), ("place", resolver.places)):
        for name, items in index.keys.items():
            if len(name) < 3 and name != key:
                continue
            rank = 0 if name.startswith(key) else 1 if f" {key}" in f" {name}" else 2
            if rank == 2:
                continue
            for item in items:
                label = index.label(item)
                rows.append((rank, kind, label, name, str(item)))
    rows.sort(key=lambda r: (r[0], r[1] != "substance", len(r[2]), r[2]))
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for _, kind, label, name, iri in rows:
        if iri in seen:
            continue
        seen.add(iri)
        said = "" if normalize(label) == name else name
        out.append({"kind": kind, "label": label, "matched": said, "iri": iri})
        if len(out) >= limit:
            break
    return out
