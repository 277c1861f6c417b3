"""Named SPARQL queries: the ``.rq`` files under ``queries/``, their headers and parameters.

A named query starts with a header comment::

    # title: Coverage of one substance
    # description: one line (continuation lines are indented)
    # param substance: iri = id:substance/mdma ; what it means
    # param asOf: date = today ; what it means
    # example: legalgraph queries run coverage --param substance=mdma

and declares each parameter's default in the body as inline data, one line per parameter::

    VALUES ?substance { id:substance/mdma }
    VALUES ?asOf { UNDEF }

so the file runs as-is in any SPARQL 1.1 engine. Binding a parameter replaces the terms of that
``VALUES`` block with RDF terms serialized by rdflib (escaped, never raw text): the values are
bound as inline data, the standard SPARQL way, and a list parameter simply has several values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Protocol

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from legalgraph import paths
from legalgraph.errors import InputError
from legalgraph.namespaces import PREFIXES

_HEADER_LINE = re.compile(
    r"^#\s?(?:(?P<key>title|description|example):|(?P<param>param)\s+(?=\w+\s*:))"
    r"\s*(?P<value>.*)$"
)
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<type>\w+)(?:\s*=\s*(?P<default>[^;]*))?"
    r"(?:;\s*(?P<doc>.*))?$"
)
PARAM_TYPES = ("iri", "substance", "place", "date", "string", "integer")
"""Parameter types: ``substance`` and ``place`` are IRIs that may be given by name or code."""


@dataclass(frozen=True)
class Parameter:
    """One parameter of a named query."""

    name: str
    type: str
    default: str
    doc: str


@dataclass(frozen=True)
class NamedQuery:
    """A named query read from its ``.rq`` file."""

    name: str
    path: Path
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    examples: tuple[str, ...]
    text: str = field(repr=False)

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name``; a clear error for an unknown one."""
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise InputError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")

    def bind(self, values: Mapping[str, Sequence[Node]]) -> str:
        """The query text with the given parameters' ``VALUES`` blocks filled in."""
        text = self.text
        for name, terms in values.items():
            self.parameter(name)
            if not terms:
                raise InputError(f"parameter {name!r} of query {self.name!r} needs a value")
            pattern = re.compile(
                r"^(?P<indent>[ \t]*)VALUES\s+\?" + re.escape(name) + r"\s*\{[^}\n]*\}",
                re.MULTILINE,
            )
            rendered = " ".join(_term_text(term) for term in terms)
            replacement = f"VALUES ?{name} {{ {rendered} }}"
            text, count = pattern.subn(
                lambda m: m.group("indent") + replacement,  # noqa: B023 (used at once)
                text,
            )
            if count == 0:
                raise InputError(f"query {self.name!r} declares {name!r} but has no VALUES line")
        return text


def _term_text(term: Node) -> str:
    if not isinstance(term, URIRef | Literal):
        raise InputError(f"cannot bind {term!r}: only IRIs and literals")
    return term.n3()


def parse(path: Path) -> NamedQuery:
    """Read one ``.rq`` file and its header."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, list[str]] = {"title": [], "description": [], "param": [], "example": []}
    last: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER_LINE.match(line)
        if match:
            last = match.group("key") or match.group("param")
            fields[last].append(match.group("value").strip())
        elif last in ("description",) and line.startswith("#  "):
            fields[last][-1] += " " + line[1:].strip()
    params = []
    for spec in fields["param"]:
        match = _PARAM.match(spec)
        if not match or match.group("type") not in PARAM_TYPES:
            raise InputError(f"bad parameter line {spec!r}", where=str(path))
        params.append(
            Parameter(
                name=match.group("name"),
                type=match.group("type"),
                default=(match.group("default") or "").strip(),
                doc=(match.group("doc") or "").strip(),
            )
        )
    if not fields["title"]:
        raise InputError("named query has no '# title:' header", where=str(path))
    return NamedQuery(
        name=path.stem,
        path=path,
        title=fields["title"][0],
        description=" ".join(fields["description"]),
        parameters=tuple(params),
        examples=tuple(fields["example"]),
        text=text,
    )


@cache
def _load(folder: Path) -> dict[str, NamedQuery]:
    return {p.stem: parse(p) for p in sorted(folder.glob("*.rq"))}


def all_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query, by name."""
    return dict(_load(folder or paths.QUERIES_DIR))


def get(name: str, folder: Path | None = None) -> NamedQuery:
    """The named query ``name``; a clear error listing the known names otherwise."""
    queries = all_queries(folder)
    try:
        return queries[name]
    except KeyError:
        known = ", ".join(sorted(queries))
        raise InputError(f"no named query {name!r} (known: {known})") from None


def parse_date(text: str, what: str = "date") -> date:
    """A YYYY-MM-DD date, or a clear error saying what was expected."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"malformed {what} {text!r}: expected YYYY-MM-DD") from None


def literal_date(day: date) -> Literal:
    """An ``xsd:date`` literal."""
    return Literal(day.isoformat(), datatype=XSD.date)


def expand_iri(text: str) -> URIRef:
    """An IRI from ``<...>``, a full IRI or a prefixed name of the graph's prefixes."""
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return URIRef(PREFIXES[prefix] + local)
    if re.match(r"^[a-z][a-z0-9+.-]*://\S+$", value, re.IGNORECASE):
        return URIRef(value)
    raise InputError(f"not an IRI: {text!r}")


def names(queries: Iterable[NamedQuery]) -> list[str]:
    """The names of ``queries``, sorted."""
    return sorted(q.name for q in queries)


class NameLookup(Protocol):
    """What :func:`term_for` needs to turn names into IRIs (a :class:`~legalgraph.resolve.
    Resolver` is one)."""

    def substance(self, text: str) -> _HasIri: ...

    def place(self, text: str) -> _HasIri: ...


class _HasIri(Protocol):
    @property
    def iri(self) -> URIRef: ...


def term_for(query: NamedQuery, name: str, text: str, names: NameLookup | None = None) -> Node:
    """The RDF term for ``text`` given as parameter ``name`` of ``query``, by the parameter's
    type: a substance or place by name, code or IRI; a ``YYYY-MM-DD`` date; an IRI; an integer;
    a string. A clear error names the query and the parameter when ``text`` does not fit."""
    parameter = query.parameter(name)
    where = f"parameter {name!r} of query {query.name!r}"
    kind = parameter.type
    if kind == "date":
        return literal_date(parse_date(text, f"date for {where}"))
    if kind == "integer":
        try:
            return Literal(int(text), datatype=XSD.integer)
        except ValueError:
            raise InputError(f"{where} needs an integer, not {text!r}") from None
    if kind == "string":
        return Literal(text)
    if kind in ("substance", "place") and names is not None and not _looks_like_iri(text):
        return (names.substance(text) if kind == "substance" else names.place(text)).iri
    try:
        return expand_iri(text)
    except InputError:
        raise InputError(f"{where} needs an IRI, not {text!r}") from None


def _looks_like_iri(text: str) -> bool:
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        return True
    prefix, sep, _ = value.partition(":")
    return bool(sep) and (prefix in PREFIXES or "://" in value)


def bind_texts(
    query: NamedQuery, pairs: Iterable[tuple[str, str]], names: NameLookup | None = None
) -> str:
    """``query`` with ``KEY=VALUE`` pairs bound (a key given twice binds a list)."""
    values: dict[str, list[Node]] = {}
    for name, text in pairs:
        values.setdefault(name, []).append(term_for(query, name, text, names))
    return query.bind(values)


def reference_markdown(folder: Path | None = None) -> str:
    """The reference page of the named queries (``docs/queries.md``): each query's title,
    description, parameters with types and defaults, and examples."""
    lines = [
        "# Named queries",
        "",
        "Generated from the headers of `queries/*.rq` by `legalgraph queries docs`; do not edit",
        "by hand. Each file runs as-is in any SPARQL 1.1 engine: its parameters are `VALUES`",
        "lines holding the defaults (`UNDEF` for \"today\" and \"all\"). Bind them with",
        "`legalgraph queries run NAME --param KEY=VALUE` (repeat a key for a list); substances",
        "and places can be given by name, code or synonym, dates as `YYYY-MM-DD`.",
        "",
        "| query | title | parameters |",
        "|---|---|---|",
    ]
    named = all_queries(folder)
    for query in named.values():
        params = ", ".join(f"`{p.name}`" for p in query.parameters) or "none"
        lines.append(f"| [`{query.name}`](#{query.name}) | {query.title} | {params} |")
    for query in named.values():
        lines += ["", f"## {query.name}", "", f"**{query.title}.** {query.description}", ""]
        if query.parameters:
            lines += ["| parameter | type | default | meaning |", "|---|---|---|---|"]
            lines += [f"| `{p.name}` | {p.type} | `{p.default}` | {p.doc} |"
                      for p in query.parameters]
            lines.append("")
        lines += ["```sh", *query.examples, "```"]
    return "\n".join(lines) + "\n"
