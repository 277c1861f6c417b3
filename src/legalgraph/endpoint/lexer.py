"""Every way a SPARQL engine can read a query's text as tokens.

The endpoint's screen (:mod:`legalgraph.endpoint.safety`) must decide on the tokens the engine will
read, not on a guess. SPARQL engines do not all read the same way: Oxigraph's parser is a PEG
that matches keywords case-insensitively with no word boundary (``1SERVICE`` and
``trueSERVICE`` are a number or a boolean, then ``SERVICE``) and decides from context whether
``<`` opens an IRI or compares; other servers lex first, with the longest match. So instead of
one token stream this module builds the *lattice* of every token any of them can read at every
position it can reach, following the terminals of the SPARQL 1.1 grammar (section 19.8):

* white space is space, tab, CR, LF (and form feed); a comment runs from ``#`` to the next
  ``\\n`` or ``\\r``;
* strings (``'...'``, ``"..."``, ``'''...'''``, ``\"\"\"...\"\"\"``) with their escapes, the long
  form tried first, as the grammar's ``String`` rule does;
* ``<`` is both an IRI (``IRIREF``, up to the first ``>``) and the comparison operator;
* names (``PNAME_NS``, ``PNAME_LN``, ``BLANK_NODE_LABEL``, ``VAR1``, ``VAR2``, ``LANGTAG``)
  with the grammar's exact character classes (and, when the text has characters beyond the
  Basic Multilingual Plane, also the narrower classes Oxigraph uses);
* numbers (``INTEGER``, ``DECIMAL``, ``DOUBLE``), each ending where the grammar ends it;
* at a letter, every keyword the text starts with (ignoring ASCII case), since a keyword may be
  glued to the next one, besides a prefixed name.

The lattice is a superset of what any engine reads: whatever an engine's token stream is, it is
a path through the lattice, so a check that looks at every token of the lattice cannot miss one
the engine acts on. Work is linear in the text: each position is read once.

:func:`variants` gives the texts to read: the query as sent, and with ``\\uXXXX`` /
``\\UXXXXXXXX`` codepoint escapes applied first, as SPARQL 1.1 section 19.2 says (some engines
do, some do not; both readings are checked).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_BASE_BMP = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
)
_BASE_FULL = _BASE_BMP + "\U00010000-\U000effff"
_EXTRA = "\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"


def _name_patterns(base: str) -> tuple[re.Pattern[str], ...]:
    u = base + "_"  # PN_CHARS_U
    chars = u + r"\-0-9" + _EXTRA  # PN_CHARS
    prefix = f"[{base}](?:[{chars}.]*[{chars}])?"  # PN_PREFIX
    local_first = f"(?:[{u}:0-9]|{_PLX})"
    local_spec = f"{local_first}(?:(?:[{chars}.:]|{_PLX})*(?:[{chars}:]|{_PLX}))?"
    # Oxigraph's PEG: greedy, one run of dots at most, no backtracking
    local_peg = f"{local_first}(?:[{chars}:]|{_PLX})*+(?:\\.++(?:[{chars}:]|{_PLX})++)?+"
    return (
        re.compile(f"(?:{prefix})?:"),  # PNAME_NS
        re.compile(f"(?:{prefix})?:(?:{local_spec})"),  # PNAME_LN, as the grammar reads it
        re.compile(f"(?:{prefix})?:(?:{local_peg})"),  # PNAME_LN, as Oxigraph reads it
        re.compile(f"[?$][{u}0-9][{u}0-9{_EXTRA}]*"),  # VAR1, VAR2
        re.compile(f"_:[{u}0-9](?:[{chars}.]*[{chars}])?"),  # BLANK_NODE_LABEL
    )


_NAMES_FULL = _name_patterns(_BASE_FULL)
_NAMES_BMP = _name_patterns(_BASE_BMP)
_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")
_NAME_START = re.compile(f"[{_BASE_FULL}:]")
_VAR_START = re.compile(f"[?][{_BASE_FULL}_0-9]")

_ECHAR_UCHAR = r"\\[tbnrf\"'\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_STRINGS = {
    "'": (re.compile(f"'''(?:(?:''|')?(?:[^'\\\\]|{_ECHAR_UCHAR}))*+'''"),
          re.compile(f"'(?:[^'\\\\\\n\\r]|{_ECHAR_UCHAR})*+'")),
    '"': (re.compile(f'"""(?:(?:""|")?(?:[^"\\\\]|{_ECHAR_UCHAR}))*+"""'),
          re.compile(f'"(?:[^"\\\\\\n\\r]|{_ECHAR_UCHAR})*+"')),
}
_IRIREF = re.compile(r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*+>")
_IRI_UP_TO_GT = re.compile(r"<[^> \t\r\n]*+>")
"""Oxigraph's ``IRIREF`` rule reads anything up to the first ``>`` and checks it as an IRI
afterwards: so that an IRI parser laxer than the grammar cannot read one this module does not,
anything without white space up to the first ``>`` is an IRI here too."""
_LANGTAG = re.compile(r"@[a-zA-Z]++(?:-[a-zA-Z0-9]++)*+(?:--[a-zA-Z]++)?+")
_NUMBERS = (
    re.compile(r"[0-9]++"),
    re.compile(r"[0-9]*+\.[0-9]++"),
    re.compile(r"(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
)
_SKIP = re.compile(r"(?:[ \t\r\n\f\v]++|#[^\r\n]*+)*+")
_PUNCTUATION = frozenset("{}[]();,.+-*/<>=!^|~&")

KEYWORDS = frozenset({
    "base", "prefix", "version", "select", "construct", "describe", "ask", "from", "named",
    "where", "order", "by", "asc", "desc", "limit", "offset", "distinct", "reduced", "as",
    "group", "having", "values", "undef", "optional", "graph", "service", "silent", "bind",
    "minus", "union", "filter", "exists", "not", "in", "a", "true", "false", "str", "lang",
    "langmatches", "datatype", "bound", "iri", "uri", "bnode", "rand", "abs", "ceil", "floor",
    "round", "concat", "strlen", "ucase", "lcase", "encode_for_uri", "contains", "strstarts",
    "strends", "strbefore", "strafter", "year", "month", "day", "hours", "minutes", "seconds",
    "timezone", "tz", "now", "uuid", "struuid", "md5", "sha1", "sha256", "sha384", "sha512",
    "coalesce", "if", "strlang", "strdt", "sameterm", "isiri", "isuri", "isblank", "isliteral",
    "isnumeric", "regex", "substr", "replace", "count", "sum", "min", "max", "avg", "sample",
    "group_concat", "separator", "load", "clear", "drop", "create", "add", "move", "copy", "to",
    "insert", "delete", "data", "with", "into", "using", "default", "all", "triple", "subject",
    "predicate", "object", "istriple", "langdir", "haslang", "haslangdir", "strlangdir",
})
"""SPARQL 1.1 keywords and function names, the SPARQL Update ones and those of SPARQL 1.2."""
_KEYWORDS_BY_LETTER: dict[str, tuple[str, ...]] = {}
for _word in sorted(KEYWORDS):
    _KEYWORDS_BY_LETTER[_word[0]] = (*_KEYWORDS_BY_LETTER.get(_word[0], ()), _word)


def _fold_table() -> dict[int, int]:
    """ASCII upper case to lower case, and every other character whose upper or lower case is
    one ASCII letter (the long s, the Kelvin sign, the dotless i) to that letter: a keyword
    matched "ignoring case" by any engine's rule is matched here."""
    table = {ord(c): ord(c.lower()) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    for code in range(0x80, 0x10000):
        char = chr(code)
        for other in (char.lower(), char.upper()):
            if len(other) == 1 and other.isascii() and other.isalpha():
                table[code] = ord(other.lower())
    return table


FOLD = _fold_table()


@dataclass(frozen=True)
class Token:
    """One token some engine may read: ``kind`` is ``keyword`` (``text`` in lower case),
    ``iri``, ``pname``, ``pname_ns``, ``var``, ``bnode``, ``string``, ``number``,
    ``langtag`` or ``punct``."""

    kind: str
    text: str
    start: int
    end: int


@dataclass
class Lattice:
    """Every token readable at every reachable position of ``text``: ``at[p]`` lists the
    tokens starting at ``p``; ``next_start[e]`` is where the token after one ending at ``e``
    starts (white space and comments skipped)."""

    text: str
    at: dict[int, list[Token]]
    next_start: dict[int, int]

    def after(self, token: Token) -> list[Token]:
        """The tokens that can follow ``token``."""
        return self.at.get(self.next_start.get(token.end, -1), [])

    def tokens(self) -> list[Token]:
        """Every token of the lattice."""
        return [token for found in self.at.values() for token in found]


def _names(text: str) -> list[tuple[re.Pattern[str], ...]]:
    if text.isascii():  # known without reading the text: no character beyond the BMP
        return [_NAMES_FULL]
    return [_NAMES_FULL, _NAMES_BMP] if _BEYOND_BMP.search(text) else [_NAMES_FULL]


def following(text: str, end: int, folded: str | None = None) -> list[Token]:
    """The tokens that can start where the first white space and comments after ``end`` end:
    the tokens :meth:`Lattice.after` gives for a token ending at ``end``, had the lattice
    reached it. ``folded`` is ``text.translate(FOLD)`` when the caller has it already."""
    skipped = _SKIP.match(text, end)
    start = skipped.end() if skipped else end
    if start >= len(text):
        return []
    folded = text.translate(FOLD) if folded is None else folded
    return _tokens_at(text, folded, start, _names(text), _always)


Split = Callable[[str, str], bool]
"""Whether an engine may read the prefixed name ``prefix:local`` as ``prefix:`` alone, the
local part then read as the next tokens (Oxigraph does when ``prefix`` + ``local`` is not a
valid IRI)."""


def _always(_prefix: str, _local: str) -> bool:
    return True


def read(text: str, split: Split = _always) -> Lattice:
    """The lattice of ``text`` (see the module's description). ``split`` says where a prefixed
    name may be read as its prefix alone (by default, everywhere)."""
    folded = text.translate(FOLD)
    names = _names(text)
    at: dict[int, list[Token]] = {}
    next_start: dict[int, int] = {}
    pending = [0]
    while pending:
        end = pending.pop()
        if end in next_start:
            continue
        skipped = _SKIP.match(text, end)
        start = skipped.end() if skipped else end
        next_start[end] = start
        if start >= len(text) or start in at:
            continue
        found = _tokens_at(text, folded, start, names, split)
        at[start] = found
        pending.extend(token.end for token in found)
    return Lattice(text, at, next_start)


def _tokens_at(text: str, folded: str, p: int, names: list[tuple[re.Pattern[str], ...]],
               split: Split) -> list[Token]:
    found: list[Token] = []
    char = text[p]

    def add(kind: str, end: int) -> None:
        for token in found:
            if token.kind == kind and token.end == end:
                return
        found.append(Token(kind, text[p:end], p, end))

    if char in _STRINGS:
        long_form, short_form = _STRINGS[char]
        match = long_form.match(text, p) or short_form.match(text, p)
        if match:
            add("string", match.end())
        return found
    if char == "<":
        for pattern in (_IRIREF, _IRI_UP_TO_GT):
            if match := pattern.match(text, p):
                add("iri", match.end())
    if char == "@" and (match := _LANGTAG.match(text, p)):
        add("langtag", match.end())
    if char.isdigit() or char == ".":
        for pattern in _NUMBERS:
            if match := pattern.match(text, p):
                add("number", match.end())
    if char in _PUNCTUATION or (char == "?" and not _VAR_START.match(text, p)):
        add("punct", p + 1)
    name_start = _NAME_START.match(char) is not None
    for pname_ns, pname_spec, pname_peg, var, bnode in names:
        if char in "?$" and (match := var.match(text, p)):
            add("var", match.end())
        if char == "_" and (match := bnode.match(text, p)):
            add("bnode", match.end())
        if name_start and (match := pname_ns.match(text, p)):
            alone = True
            for pattern in (pname_spec, pname_peg):
                if local := pattern.match(text, p):
                    add("pname", local.end())
                    alone = split(text[p:match.end() - 1], text[match.end():local.end()])
            if alone:
                add("pname_ns", match.end())
    for word in _KEYWORDS_BY_LETTER.get(folded[p], ()):
        if folded.startswith(word, p):
            found.append(Token("keyword", word, p, p + len(word)))
    return found


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_CODEPOINT_OR_BACKSLASH = re.compile(r"\\\\|\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _codepoint(match: re.Match[str]) -> str:
    digits = match.group(1) or match.group(2)
    if digits is None:
        return match.group(0)
    value = int(digits, 16)
    return chr(value) if value <= 0x10FFFF else match.group(0)


def variants(text: str) -> list[str]:
    """``text``, and ``text`` with its codepoint escapes applied: every ``\\u``/``\\U``
    escape, and (for engines that read ``\\\\`` as one escaped backslash first) the escapes not
    preceded by one."""
    if "\\u" not in text and "\\U" not in text:
        return [text]
    found = [text]
    for pattern in (_CODEPOINT, _CODEPOINT_OR_BACKSLASH):
        applied = pattern.sub(_codepoint, text)
        if applied not in found:
            found.append(applied)
    return found


_STRINGS_AND_COMMENTS = (
    r"""'''(?:(?:''|')?(?:[^'\\]|\\.))*+'''|\"\"\"(?:(?:""|")?(?:[^"\\]|\\.))*+\"\"\""""
    r"""|'(?:[^'\\\n\r]|\\.)*+'|"(?:[^"\\\n\r]|\\.)*+"|#[^\r\n]*+"""
)
_NOT_CODE = (
    re.compile(_STRINGS_AND_COMMENTS
               + r"""|<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*+>"""),
    re.compile(_STRINGS_AND_COMMENTS),
)
"""What is not code, with ``<`` read as the start of IRIs, and as an operator."""
_BRACKETS = re.compile(r"[{}()\[\]\x00]")
_DOTS = re.compile(r"\.(?![0-9])")


@dataclass(frozen=True)
class Shape:
    """How big a query is before any parser sees it: ``depth``, the deepest nesting of
    brackets (``{``, ``(``, ``[``), and ``patterns``, an upper bound on its triple patterns
    (one per group and per ``.``, ``;`` or ``,`` separator)."""

    depth: int
    patterns: int


def shape(text: str) -> Shape:
    """The :class:`Shape` of ``text``, counted in code and in strings (not in comments), with
    ``<`` read once as the start of IRIs and once as an operator, the larger counts kept: a
    reading no engine makes may overcount, none undercounts."""
    depth = patterns = 0
    for not_code in _NOT_CODE:
        inside: list[int] = []

        def blank(match: re.Match[str], inside: list[int] = inside) -> str:
            found = match.group(0)
            if found[0] in "'\"" and any(c in found for c in "{(["):
                inside.append(_count_brackets(found))
                return "\x00"
            return " "

        code = not_code.sub(blank, text)
        level = deepest = opens = 0
        strings = iter(inside)
        for match in _BRACKETS.finditer(code):
            char = match.group(0)
            if char in "{([":
                level += 1
                opens += 1
                deepest = max(deepest, level)
            elif char == "\x00":
                deepest = max(deepest, level + next(strings))
            else:
                level = max(level - 1, 0)
        separators = code.count(";") + code.count(",") + len(_DOTS.findall(code))
        depth = max(depth, deepest)
        patterns = max(patterns, separators + opens)
    return Shape(depth, patterns)


def _count_brackets(string: str) -> int:
    level = deepest = 0
    for char in string:
        if char in "{([":
            level += 1
            deepest = max(deepest, level)
        elif char in "})]":
            level = max(level - 1, 0)
    return deepest
