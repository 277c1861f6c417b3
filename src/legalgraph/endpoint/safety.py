"""What a public, read-only endpoint refuses before a query runs.

* SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY, WITH): 403.
* Anything that would make the server open a connection: ``SERVICE`` (always), and ``FROM`` /
  ``FROM NAMED`` with an IRI that is not one of ours: 400. ``FROM`` our own dataset is allowed
  and means the whole graph.
* Text that does not start as a SPARQL query does (a server's own pragmas, such as
  Virtuoso's ``DEFINE``): 400.

The decision is made on the tokens the engine reads, not on a pattern over the text: the
lattice of :mod:`legalgraph.endpoint.lexer` holds every token any engine can read (comments end at
CR or LF, strings with their escapes, ``<`` as IRI and as operator, keywords glued to numbers,
booleans or other keywords), in the query as sent and with its codepoint escapes applied. A
query is refused when any path through that lattice reads ``SERVICE`` followed by what can
name a service, or ``FROM`` followed by an IRI that is not ours, so no reading an engine may
choose can fetch. The lattice is built only when some occurrence of either word, outside the
comment lines no reading reaches, is followed by a name; the precise lattice (prefixed names
split only where an engine may split them) only when the plain one reads such a pair.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

from legalgraph.endpoint import lexer
from legalgraph.namespaces import PREFIXES

_UPDATE_WORDS = frozenset({"insert", "delete", "load", "clear", "drop", "create", "add", "move",
                           "copy", "with"})
_QUERY_WORDS = frozenset({"base", "prefix", "version", "select", "construct", "describe",
                          "ask"})
_FIRST_WORD = re.compile(
    r"(?:[ \t\r\n\f]|#[^\r\n]*|PREFIX\s*[^\s:<]*:\s*<[^>]*>|BASE\s*<[^>]*>)*([A-Za-z]+)",
    re.IGNORECASE,
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_NAMES = frozenset({"var", "iri", "pname", "pname_ns"})
"""What can follow SERVICE (or SERVICE SILENT) to name a service."""
_GRAPHS = frozenset({"iri", "pname", "pname_ns"})
_SAFE_LOCAL = re.compile("[A-Za-z0-9_.:\\-\u00b7\u00c0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef]+")
"""Local names that stay a valid IRI after any namespace that does not end in its host."""
_OPEN_AUTHORITY = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^/?#]*$")
"""What can follow FROM (or FROM NAMED) to name a graph."""


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
SERVICE_MESSAGE = (
    "SERVICE is not allowed: this endpoint never queries other servers. "
    "Run federated queries from your own SPARQL client."
)


@dataclass(frozen=True)
class Limits:
    """How large a query may be before anything parses or forwards it."""

    chars: int
    nesting: int
    patterns: int


def check_length(text: str, limits: Limits) -> None:
    """Raise :class:`Refusal` (400, naming the limit and its setting) for a query too long."""
    if len(text) > limits.chars:
        raise Refusal(400, "query too large",
                      f"the query has {len(text)} characters; the limit is {limits.chars} "
                      "(setting max_query_chars)")


def check_shape(text: str, limits: Limits) -> None:
    """Raise :class:`Refusal` (400, naming the limit and its setting) for a query too deeply
    nested or with too many triple patterns; counting reads the text once, parses nothing."""
    found = lexer.shape(text)
    if found.depth > limits.nesting:
        raise Refusal(400, "query too deep",
                      f"the query nests brackets {found.depth} deep; the limit is "
                      f"{limits.nesting} (setting max_nesting)")
    if found.patterns > limits.patterns:
        raise Refusal(400, "query too large",
                      f"the query has up to {found.patterns} triple patterns; the limit is "
                      f"{limits.patterns} (setting max_triple_patterns)")


def check(text: str, is_ours: Callable[[str], bool],
          prefixes: Mapping[str, str] = PREFIXES) -> Checked:
    """Check ``text``; raise :class:`Refusal` for what this endpoint does not run.

    ``is_ours`` says whether an IRI names our own data; ``prefixes`` are the prefixes the
    engine is given besides the query's own.
    """
    first = _FIRST_WORD.match(text)
    word = first.group(1).lower() if first else ""
    if word in _UPDATE_WORDS:
        raise Refusal(403, "update refused", UPDATE_MESSAGE)
    if first and word not in _QUERY_WORDS:
        line, column = _position(text, first.start(1))
        raise Refusal(400, "malformed query",
                      f"a query starts with SELECT, CONSTRUCT, DESCRIBE, ASK, PREFIX or BASE, "
                      f"not {first.group(1)!r} (line {line}, column {column})", line, column)
    own = False
    for variant in lexer.variants(text):
        if not _suspect(variant):
            continue
        lattice = lexer.read(variant)  # every reading, prefixed names split everywhere
        if not _reaches_out(lattice):
            continue  # the words are only in comments, strings or names in every reading
        declared, bases = _declarations(lattice)
        for name, iri in prefixes.items():
            declared.setdefault(name, set()).add(iri)
        split = partial(_may_split, declared)
        own = _check_lattice(lexer.read(variant, split), declared, bases, is_ours) or own
    return Checked(own_dataset=own)


def _suspect(text: str) -> bool:
    """Whether some ``SERVICE`` or ``FROM`` in ``text``, read as a keyword, is followed by
    what can name a service or a graph. When none is, no reading can fetch and the lattice
    need not be built (the case of every query that merely mentions the words, in names or in
    comment lines)."""
    folded = text.translate(lexer.FOLD)
    long_strings = "'''" in text or '"""' in text
    for word, names, keyword in (("service", _NAMES, "silent"), ("from", _GRAPHS, "named")):
        start = folded.find(word)
        while start >= 0:
            if not long_strings and _comment_line(text, start):
                start = folded.find(word, start + 1)
                continue
            for token in lexer.following(text, start + len(word), folded):
                if token.kind in names or (token.kind == "keyword" and token.text == keyword):
                    return True
            start = folded.find(word, start + 1)
    return False


def _comment_line(text: str, offset: int) -> bool:
    """Whether ``offset`` is on a line (ended by CR or LF) whose first character other than
    white space is a ``#`` before ``offset``. With no long string in the text, no reading
    reaches such a place: a comment runs to the line's end, and no other token crosses a line
    break, so no token can start before the ``#`` and end after it."""
    line = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    return text[line:offset].lstrip(" \t\f\v").startswith("#")


def _reaches_out(lattice: lexer.Lattice) -> bool:
    """Whether ``lattice`` reads ``SERVICE`` or ``FROM`` as a keyword followed by what can name
    a service or a graph. The lattice read with every prefixed name split holds every token of
    the one :func:`check` reads with the declared prefixes (:func:`_may_split`), so when this
    one reads no such pair, neither does that one."""
    for token in lattice.tokens():
        if token.kind != "keyword" or token.text not in ("service", "from"):
            continue
        names, keyword = (_NAMES, "silent") if token.text == "service" else (_GRAPHS, "named")
        if any(t.kind in names or (t.kind == "keyword" and t.text == keyword)
               for t in lattice.after(token)):
            return True
    return False


def _check_lattice(lattice: lexer.Lattice, declared: dict[str, set[str]], bases: set[str],
                   is_ours: Callable[[str], bool]) -> bool:
    """Refuse what ``lattice`` can read as SERVICE or a foreign FROM; whether it names our
    own dataset in FROM."""
    tokens = lattice.tokens()
    keywords = [t for t in tokens if t.kind == "keyword"]
    for token in keywords:
        if token.text == "service" and any(
            t.kind in _NAMES or (t.kind == "keyword" and t.text == "silent")
            for t in lattice.after(token)
        ):
            line, column = _position(lattice.text, token.start)
            raise Refusal(400, "SERVICE refused", SERVICE_MESSAGE, line, column)
    froms = [t for t in keywords if t.text == "from"]
    if not froms:
        return False
    own = False
    for token in froms:
        targets = []
        for after in lattice.after(token):
            if after.kind == "keyword" and after.text == "named":
                targets += [("NAMED ", t) for t in lattice.after(after)]
            else:
                targets.append(("", after))
        for named, target in targets:
            if target.kind not in _GRAPHS:
                continue
            candidates = _meanings(target, declared, bases)
            if candidates is None:
                continue  # a prefix no reading declares: no engine reads this as a graph name
            for iri in candidates or [target.text]:
                if not _SCHEME.match(iri) or not is_ours(iri):
                    line, column = _position(lattice.text, token.start)
                    raise Refusal(400, "FROM refused",
                                  f"FROM {named}{target.text} is not allowed: this endpoint "
                                  "never fetches graphs; it serves one graph, which the query "
                                  "sees without FROM.", line, column)
            own = True
    return own


def _declarations(lattice: lexer.Lattice) -> tuple[dict[str, set[str]], set[str]]:
    """Every prefix declaration and base any reading of the query makes."""
    declared: dict[str, set[str]] = {}
    bases: set[str] = set()
    for token in lattice.tokens():
        if token.text == "prefix":
            for name in lattice.after(token):
                if name.kind == "pname_ns":
                    for iri in lattice.after(name):
                        if iri.kind == "iri":
                            declared.setdefault(name.text[:-1], set()).add(_iri_text(iri.text))
        elif token.text == "base":
            bases.update(_iri_text(t.text) for t in lattice.after(token) if t.kind == "iri")
    return declared, bases


def _may_split(declared: dict[str, set[str]], prefix: str, local: str) -> bool:
    """Whether an engine may read ``prefix:local`` as ``prefix:`` alone: only when it can
    fail as one IRI (an escape or a character IRIs do not allow in the local part, or a
    declared namespace that ends inside the host or port)."""
    if prefix not in declared:
        return False  # neither reading resolves: no engine reads a name here
    if not _SAFE_LOCAL.fullmatch(local):
        return True
    return any(_OPEN_AUTHORITY.match(iri) for iri in declared[prefix])


def _meanings(token: lexer.Token, declared: dict[str, set[str]],
              bases: set[str]) -> list[str] | None:
    """Every absolute IRI ``token`` can stand for (an empty list: one that cannot be made
    absolute), or ``None`` for a prefixed name whose prefix nothing declares."""
    if token.kind == "iri":
        partial = [_iri_text(token.text)]
    else:
        prefix, _, local = token.text.partition(":")
        starts = declared.get(prefix, set())
        if not starts:
            return None
        partial = [start + local.replace("\\", "") for start in starts]
    found: list[str] = []
    for iri in partial:
        if _SCHEME.match(iri):
            found.append(iri)
            continue
        resolved = [urllib.parse.urljoin(base, iri) for base in bases if _SCHEME.match(base)]
        if not resolved:
            return []
        found += resolved
    return found


def _iri_text(token: str) -> str:
    return lexer.variants(token[1:-1])[-1]


def _position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    line = before.count("\n") + 1
    return line, offset - (before.rfind("\n") + 1) + 1


@lru_cache(maxsize=256)
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
    """Why ``text``, which the engine did not accept, does not run: an update (403), or
    rdflib's account of the syntax error (its message and position, usually clearer than the
    engine's); ``None`` when rdflib has nothing to add."""
    kind, parsed = _parse(text)
    if kind == "update":
        return Refusal(403, "update refused", UPDATE_MESSAGE)
    if kind == "error" and isinstance(parsed, ParseException):
        return Refusal(400, "malformed query", f"{parsed.msg} at line {parsed.lineno}, "
                       f"column {parsed.col}", parsed.lineno, parsed.col)
    return None
