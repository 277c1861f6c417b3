"""Find a substance and a place in what people type into one search box.

"ecstasy netherlands", "MDMA Australia", "magic mushrooms Oregon", "psilocybin NZ", "is ecstasy
legal in the Netherlands": the longest runs of words that name a substance or a place (by the
graph's labels, synonyms and codes, through :class:`~legalgraph.resolve.Resolver`) win; small
words such as "is", "in", "legal" are never taken for codes (IS is Iceland, IN is India).

What is left over may be a misspelt name: "extasy", "psilocibin", "Austrailia". The closest name
(by :meth:`~legalgraph.resolve.Resolver.close`) is taken when it is close enough and no other
thing is nearly as close; names that contain one another (Niger, Nigeria) are never chosen
between by spelling alone. Otherwise the close names are offered as suggestions. Each name read
through a synonym or a correction is reported as a :class:`Reading`, so that the page can say
"ecstasy is a common name for MDMA".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from legalgraph.resolve import SHORTEST_GUESS, Close, Match, Resolver, normalize

#: Words of a question that are never names on their own.
_SMALL_WORDS = (
    "a an and are be by can could do does for how i illegal in is it its law laws legal "
    "legally me my of on or status the to use used using what whats where with you allowed "
    "buy get currently now today"
)
STOPWORDS = frozenset(_SMALL_WORDS.split(" "))
KINDS = ("substance", "place")

#: How close a misspelt name must be to be read as a name without asking (0 to 1).
TAKE_CUTOFF = 0.7
#: Another thing this much less close, or closer, makes the spelling ambiguous.
MARGIN = 0.08


@dataclass(frozen=True)
class Reading:
    """How a run of typed words was read: through a synonym or a corrected spelling."""

    typed: str
    name: str
    match: Match
    kind: str
    how: str  # "synonym" or "spelling"


@dataclass
class Parsed:
    """What was found in the text: at most one substance and one place, and hints."""

    text: str
    substance: Match | None = None
    place: Match | None = None
    leftover: list[str] = field(default_factory=list)
    suggestions: list[Match] = field(default_factory=list)
    ambiguous: list[Match] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)


def parse(resolver: Resolver, text: str) -> Parsed:
    """Find the substance and the place ``text`` names."""
    words = normalize(text).split()
    result = Parsed(text=text)
    used = [False] * len(words)
    for kind in KINDS:
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
            phrase = " ".join(words[start:end])
            if phrase in index.aliases and phrase.removeprefix("the ") != normalize(
                    matches[0].label):  # "the Netherlands" is no news
                result.readings.append(Reading(phrase, phrase, matches[0], kind, "synonym"))
        else:
            result.ambiguous.extend(matches)
    if not result.ambiguous:
        _correct(resolver, words, used, result)
    result.leftover = [w for w, u in zip(words, used, strict=True) if not u and w not in STOPWORDS]
    if result.leftover:
        result.suggestions = suggest(resolver, " ".join(result.leftover))
    return result


def readings(resolver: Resolver, text: str, shown: tuple[str, ...]) -> list[Reading]:
    """How ``text`` was read, when it names what a page shows (the IRIs in ``shown``)."""
    parsed = parse(resolver, text[:200])
    return [r for r in parsed.readings if str(r.match.iri) in shown]


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


def _correct(resolver: Resolver, words: list[str], used: list[bool], result: Parsed) -> None:
    """Read misspelt runs of words as the one name they are clearly close to."""
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            missing = [k for k in KINDS if getattr(result, k) is None]
            if not missing:
                return
            span = words[start:start + size]
            if any(used[start:start + size]) or span[0] in STOPWORDS or span[-1] in STOPWORDS:
                continue
            phrase = " ".join(span)
            if len(phrase) < SHORTEST_GUESS:
                continue
            found = _clear_winner(resolver, phrase, missing)
            if found is None:
                continue
            kind, close = found
            index = resolver.substances if kind == "substance" else resolver.places
            match = Match(close.iri, index.label(close.iri))
            setattr(result, kind, match)
            result.readings.append(Reading(phrase, close.name, match, kind, "spelling"))
            for i in range(start, start + size):
                used[i] = True


def _clear_winner(resolver: Resolver, phrase: str, kinds: list[str]) -> tuple[str, Close] | None:
    candidates = sorted(((c.score, kind, c) for kind in kinds
                         for c in resolver.close(kind, phrase)), key=lambda t: -t[0])
    if not candidates or candidates[0][0] < TAKE_CUTOFF:
        return None
    _, kind, best = candidates[0]
    for score, other_kind, other in candidates[1:]:
        if (other_kind, other.iri) == (kind, best.iri):
            continue
        if score >= best.score - MARGIN:
            return None
        if other.name.startswith(best.name) or best.name.startswith(other.name):
            return None
    return kind, best


def suggest(resolver: Resolver, text: str, limit: int = 6) -> list[Match]:
    """Names close to ``text``: misspellings and beginnings of names, places and substances."""
    key = normalize(text)
    if not key:
        return []
    out: dict[URIRef, Match] = {}
    for kind in KINDS:
        index = resolver.substances if kind == "substance" else resolver.places
        close = [c.iri for c in resolver.close(kind, key, limit)]
        starts = sorted(k for k in index.keys if len(k) > 2 and k.startswith(key)
                        and len(key) >= 3)
        for item in close + [i for name in starts for i in sorted(index.keys[name])]:
            out.setdefault(item, Match(item, index.label(item)))
    return list(out.values())[:limit]


def complete(resolver: Resolver, text: str, limit: int = 8) -> list[dict[str, str]]:
    """Typeahead: labels and synonyms that start with (or contain) what was typed; when none
    does, the names closest to it ("extasy": MDMA, matched as "ecstasy")."""
    key = normalize(text)
    if len(key) < 2:
        return []
    rows: list[tuple[float, str, str, str, str]] = []
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
    if not rows and len(key) >= SHORTEST_GUESS:  # a misspelling: offer the closest names
        for kind in KINDS:
            index = resolver.substances if kind == "substance" else resolver.places
            for close in resolver.close(kind, key, limit, cutoff=TAKE_CUTOFF - 0.1):
                rows.append((4 - close.score, kind, index.label(close.iri), close.name,
                             str(close.iri)))
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
