"""What a public, read-only endpoint refuses before a query runs.

* SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY): 403.
* Anything that would make the server open a connection: ``SERVICE``, and ``FROM`` /
  ``FROM NAMED`` with an IRI that is not one of ours: 400.

The decision is made on the parse tree from rdflib's SPARQL parser. A quick scan only decides
whether parsing is needed at all: once whole-line comments are set aside, a query whose text
lacks the keywords ``SERVICE`` and ``FROM`` (anywhere, even in strings and IRIs) and any
``\\u`` escape that could spell them can neither fetch nor name a dataset, and goes straight
to the engine. The engine's query parser rejects every update; :func:`explain` then
says whether the text was an update (403) or a malformed query (400). The scan can only send
more queries to the parser, never let one through.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from legalgraph.namespaces import PREFIXES

_SCREEN = re.compile(r"(?<![?$:\w])(?:SERVICE|FROM)\b", re.IGNORECASE)
"""The keywords, not variables (``?from``) or local names (``lg:from``) that spell them."""
_ESCAPE = re.compile(r"\\[uU]")
_LINE_COMMENT = re.compile(r"^[ \t]*#[^\n\r]*", re.MULTILINE)
"""A comment filling a whole line: to the engine it is a comment or part of a long string,
never code, so setting it aside cannot hide a keyword (trailing comments are kept)."""
_FIRST_WORD = re.compile(
    r"^(?:\s|#[^\n]*\n|(?:PREFIX\s+[^\s:]*:\s*<[^>]*>)|(?:BASE\s*<[^>]*>))*([A-Za-z]+)",
    re.IGNORECASE,
)
_UPDATE_WORDS = {"insert", "delete", "load", "clear", "drop", "create", "add", "move", "copy",
                 "with"}


@dataclass
class Refusal(Exception):
    """A query the endpoint will not run: ``status`` is 400 or 403."""

    status: int
    title: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Checked:
    """A query that may run. ``own_dataset`` is true when it names our dataset in FROM, which
    the endpoint maps to the whole graph."""

    own_dataset: bool = False


UPDATE_MESSAGE = (
    "SPARQL Update is not allowed: this endpoint is public and read-only. "
    "Download the data (GET /dataset links to it) to change a copy."
)


def check(text: str, is_ours: Callable[[str], bool]) -> Checked:
    """Check ``text``; raise :class:`Refusal` for what this endpoint does not run.

    Updates need no scan: the engine's query parser rejects them, and :func:`explain` then
    tells an update (403) from a malformed query (400).
    """
    if _ESCAPE.search(text) or _SCREEN.search(_LINE_COMMENT.sub(" ", text)):
        return _check_parsed(text, is_ours)
    return Checked()


@lru_cache(maxsize=1024)
def _parse(text: str) -> tuple[str, Any]:
    """``("query", algebra)``, ``("update", None)`` or ``("error", ParseException)``."""
    try:
        return "query", translateQuery(parseQuery(text), initNs=PREFIXES)
    except ParseException as query_error:
        try:
            parseUpdate(text)
        except ParseException:
            return "error", query_error
        return "update", None
    except Exception as error:  # rdflib's translation reports some semantic errors this way
        return "error", error


def explain(text: str) -> Refusal | None:
    """rdflib's account of why ``text`` does not parse (its message and position, usually
    clearer than the engine's), or ``None`` when rdflib parses it."""
    kind, parsed = _parse(text)
    if kind == "update":
        return Refusal(403, "update refused", UPDATE_MESSAGE)
    if kind == "error" and isinstance(parsed, ParseException):
        return Refusal(400, "malformed query", f"{parsed.msg} at line {parsed.lineno}, "
                       f"column {parsed.col}", parsed.lineno, parsed.col)
    return None


def _check_parsed(text: str, is_ours: Callable[[str], bool]) -> Checked:
    kind, parsed = _parse(text)
    if kind == "update":
        raise Refusal(403, "update refused", UPDATE_MESSAGE)
    if kind == "error":
        first = _FIRST_WORD.match(text)
        if first and first.group(1).lower() in _UPDATE_WORDS:
            raise Refusal(403, "update refused", UPDATE_MESSAGE)
        if isinstance(parsed, ParseException):
            raise Refusal(400, "malformed query", f"{parsed.msg} at line {parsed.lineno}, "
                          f"column {parsed.col}", parsed.lineno, parsed.col)
        raise Refusal(400, "malformed query", str(parsed))
    algebra = parsed.algebra
    if _contains(algebra, "ServiceGraphPattern"):
        raise Refusal(400, "SERVICE refused",
                      "SERVICE is not allowed: this endpoint never queries other servers. "
                      "Run federated queries from your own SPARQL client.")
    own = False
    for clause in algebra.get("datasetClause") or []:
        iri = clause.get("default") or clause.get("named")
        if iri is None or not is_ours(str(iri)):
            raise Refusal(400, "FROM refused",
                          f"FROM <{iri}> is not allowed: this endpoint never fetches graphs; "
                          "it serves one graph, which the query sees without FROM.")
        own = True
    return Checked(own_dataset=own)


def _contains(node: Any, name: str) -> bool:
    """Whether the algebra or parse tree under ``node`` has a part called ``name``."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CompValue):
            if item.name == name:
                return True
            stack.extend(item.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set):
            stack.extend(item)
    return False
