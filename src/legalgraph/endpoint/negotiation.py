"""Content negotiation for the SPARQL endpoint: which media type answers a request.

A client chooses with the ``Accept`` header (q-values honoured, ``*/*`` and ``type/*``
understood) or with a ``format`` parameter (a media type or a short name such as ``json``,
``csv``, ``ttl``), which wins over the header. SELECT and ASK answers and CONSTRUCT and
DESCRIBE answers are chosen separately, since the query's form is known only once it runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from legalgraph import media

TABULAR = tuple(m.name for m in media.TABULAR)
GRAPH = tuple(m.name for m in media.GRAPH)
ALIASES = media.ALIASES
FORMATS = media.FORMAT_NAMES


@dataclass(frozen=True)
class Choice:
    """The media type for each kind of answer; ``None`` when the client accepts none."""

    tabular: str | None
    graph: str | None

    @property
    def acceptable(self) -> bool:
        """Whether any answer at all can be sent."""
        return self.tabular is not None or self.graph is not None


def offered() -> list[str]:
    """Every media type the endpoint can answer with."""
    return [*TABULAR, *GRAPH]


def parse_accept(header: str) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header with their q-values (malformed ones dropped)."""
    ranges: list[tuple[str, float]] = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            continue
        quality = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((media, quality))
    return ranges


def quality(media_type: str, ranges: Sequence[tuple[str, float]]) -> float:
    """How much the client wants ``media_type``: the q of the most specific range matching it."""
    main = media_type.split("/")[0]
    best: tuple[int, float] = (-1, 0.0)
    for media_range, q in ranges:
        names = (media_range, *ALIASES.get(media_range, ()))
        if media_type in names:
            specificity = 3 if media_range == media_type else 2
        elif media_range == f"{main}/*":
            specificity = 1
        elif media_range == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best[0] or (specificity == best[0] and q > best[1]):
            best = (specificity, q)
    return best[1]


def best(candidates: Sequence[str], ranges: Sequence[tuple[str, float]]) -> str | None:
    """The candidate the client wants most (ties go to the earlier candidate)."""
    chosen, top = None, 0.0
    for candidate in candidates:
        q = quality(candidate, ranges)
        if q > top:
            chosen, top = candidate, q
    return chosen


def choose(accept: str | None, fmt: str | None) -> Choice:
    """The media types for a request's ``Accept`` header and ``format`` parameter.

    No ``Accept`` header (or an empty one) means the defaults: SPARQL JSON results and Turtle.
    """
    if fmt:
        key = fmt.strip().lower()
        if key in FORMATS:
            tabular, graph = FORMATS[key]
            return Choice(tabular, graph)
        return Choice(key if key in TABULAR else None, key if key in GRAPH else None)
    if not accept or not accept.strip():
        return Choice(TABULAR[0], GRAPH[0])
    ranges = parse_accept(accept)
    return Choice(best(TABULAR, ranges), best(GRAPH, ranges))
