"""The graph store: ontology + data + derived facts in one embedded Oxigraph store.

This is the only module that knows the query engine. Everything else asks it SPARQL and gets
rdflib terms back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal as TypingLiteral

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from legalgraph import paths
from legalgraph.errors import InputError, QueryError
from legalgraph.namespaces import DATASET_IRI, PREFIXES

Term = URIRef | Literal | BNode
ResultKind = TypingLiteral["select", "ask", "graph"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

_SERIALIZATIONS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
    "nq": ox.RdfFormat.N_QUADS,
}


@dataclass
class QueryResult:
    """The answer to one query.

    ``kind`` says which fields are set: ``variables`` and ``rows`` for SELECT (a row maps each
    bound variable to its term), ``boolean`` for ASK, ``triples`` for CONSTRUCT and DESCRIBE.
    """

    kind: ResultKind
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Term]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)

    def values(self, variable: str) -> list[Term]:
        """The bound values of one variable, row by row."""
        return [row[variable] for row in self.rows if variable in row]

    def python_rows(self) -> list[dict[str, object]]:
        """Rows with literals turned into Python values and IRIs into strings."""
        return [{k: to_python(v) for k, v in row.items()} for row in self.rows]


def to_python(term: Node) -> object:
    """A term as a plain Python value: IRIs as strings, literals as their value."""
    if isinstance(term, Literal):
        value = term.toPython()
        return value if not isinstance(value, Literal) else str(value)
    return str(term)


def _to_rdflib(term: object) -> Term:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise QueryError(f"unsupported term in result: {term!r}")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as an Oxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) not in (_XSD_STRING, _LANG_STRING):
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError(f"cannot bind {term!r}")


def prologue() -> str:
    """PREFIX declarations for the graph's namespaces."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


class Store:
    """The loaded graph, ready for SPARQL.

    Build it with :meth:`load`; it is read-only afterwards. ``version`` identifies the loaded
    content (a hash of the input files and the rules), ``modified`` is the dataset's
    modification date.
    """

    def __init__(self, engine: ox.Store, files: Sequence[Path], version: str) -> None:
        self._engine = engine
        self.files = list(files)
        self.version = version
        self.modified = self._dataset_modified()

    # -- building -------------------------------------------------------------------

    @classmethod
    def load(cls, files: Sequence[Path] | None = None, *, derive: bool = True) -> Store:
        """Load Turtle ``files`` (default: the shipped ontology and data), then derived facts.

        Raises :class:`InputError` with the file, line and parser message when a file does not
        parse; nothing is half-loaded.
        """
        from legalgraph import rules  # rules ask the store SPARQL; imported late to avoid a cycle

        chosen = list(files) if files is not None else paths.default_graph_files()
        engine = ox.Store()
        digest = hashlib.sha256()
        for path in chosen:
            data = _read(path)
            digest.update(path.name.encode())
            digest.update(data)
            try:
                engine.load(data, format=_format_of(path), base_iri=path.resolve().as_uri())
            except SyntaxError as error:
                raise InputError.from_syntax_error(error, path) from None
        if derive:
            for rule in rules.RULES:
                digest.update(rule.read_bytes())
        store = cls(engine, chosen, digest.hexdigest()[:16])
        if derive:
            rules.apply(store)
        store._describe_dataset()
        return store

    def add(self, triples: Iterable[tuple[Node, Node, Node]]) -> int:
        """Add triples (used by the rules at load time). Returns how many were given."""
        quads = [
            ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
            for s, p, o in triples
        ]
        self._engine.extend(quads)
        return len(quads)

    def _describe_dataset(self) -> None:
        dataset = ox.NamedNode(DATASET_IRI)
        void = "http://rdfs.org/ns/void#"
        count = len(self)
        self._engine.add(
            ox.Quad(
                dataset,
                ox.NamedNode(void + "triples"),
                ox.Literal(str(count + 2), datatype=ox.NamedNode(_xsd("integer"))),
            )
        )
        self._engine.add(
            ox.Quad(
                dataset,
                ox.NamedNode("http://www.w3.org/2002/07/owl#versionInfo"),
                ox.Literal(self.version),
            )
        )

    def _dataset_modified(self) -> date | None:
        result = self.query(
            f"SELECT ?m WHERE {{ <{DATASET_IRI}> dcterms:modified ?m }} ORDER BY DESC(?m) LIMIT 1"
        )
        values = result.values("m")
        if values and isinstance(values[0], Literal):
            value = values[0].toPython()
            if isinstance(value, date):
                return value
        return None

    # -- asking ---------------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        """Run a SPARQL query with the graph's prefixes predeclared.

        ``bindings`` substitutes values for variables before evaluation (they are bound as
        terms, never pasted into the query text). Raises :class:`InputError` for a query that
        does not parse.
        """
        substitutions: dict[ox.Variable, _OxTerm] | None = (
            {ox.Variable(name): to_oxigraph(value) for name, value in bindings.items()}
            if bindings
            else None
        )
        try:
            raw = self._engine.query(sparql, prefixes=PREFIXES, substitutions=substitutions)
        except SyntaxError as error:
            raise InputError(message=str(error), where="query") from None
        except OSError as error:
            raise QueryError(str(error)) from None
        return _convert(raw)

    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
        """Run an ASK query."""
        result = self.query(sparql, bindings)
        return bool(result.boolean)

    def select(
        self, sparql: str, bindings: Mapping[str, Node] | None = None
    ) -> list[dict[str, Term]]:
        """Run a SELECT query and return its rows."""
        return self.query(sparql, bindings).rows

    def triples(self) -> Iterator[tuple[Term, Term, Term]]:
        """Every triple of the graph."""
        for quad in self._engine.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            yield (_to_rdflib(quad.subject), _to_rdflib(quad.predicate), _to_rdflib(quad.object))

    def export(self, fmt: str = "ttl") -> bytes:
        """The whole graph, derived facts included, as ``ttl``, ``nt``, ``jsonld`` or ``xml``."""
        try:
            rdf_format = _SERIALIZATIONS[fmt]
        except KeyError:
            known = sorted(_SERIALIZATIONS)
            raise InputError(f"unknown export format {fmt!r}; use one of {known}") from None
        dump = self._engine.dump(
            format=rdf_format, from_graph=ox.DefaultGraph(), prefixes=PREFIXES
        )
        return dump if isinstance(dump, bytes) else b""

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        value = result.rows[0]["n"]
        return int(value.toPython()) if isinstance(value, Literal) else 0


def _xsd(name: str) -> str:
    return "http://www.w3.org/2001/XMLSchema#" + name


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(message=error.strerror or str(error), where=str(path)) from None


def _format_of(path: Path) -> ox.RdfFormat:
    suffix = path.suffix.lower()
    for fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML,
                ox.RdfFormat.JSON_LD, ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        if suffix.lstrip(".") == fmt.file_extension:
            return fmt
    if suffix in (".rdf", ".owl"):
        return ox.RdfFormat.RDF_XML
    raise InputError(message=f"unknown RDF file type {suffix!r}", where=str(path))


def _convert(raw: object) -> QueryResult:
    if isinstance(raw, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(raw))
    if isinstance(raw, ox.QuerySolutions):
        variables = [v.value for v in raw.variables]
        rows: list[dict[str, Term]] = []
        for solution in raw:
            row: dict[str, Term] = {}
            for name in variables:
                value = solution[name]
                if value is not None:
                    row[name] = _to_rdflib(value)
            rows.append(row)
        return QueryResult(kind="select", variables=variables, rows=rows)
    if isinstance(raw, ox.QueryTriples):
        triples = [(_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object))
                   for t in raw]
        return QueryResult(kind="graph", triples=triples)
    raise QueryError(f"unexpected query result {type(raw).__name__}")


# -- serialized answers for the SPARQL endpoint --------------------------------------------
# The endpoint wants bytes in a negotiated media type, cut at a row cap; serializing from the
# engine's own terms skips the conversion to rdflib terms.

GRAPH_MEDIA_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
"""The media types of CONSTRUCT and DESCRIBE answers, in the order the endpoint prefers them."""


@dataclass(frozen=True)
class Answer:
    """A serialized answer: ``body`` in ``media_type`` (empty when the kind's media type was
    not acceptable), ``size`` rows or triples, ``truncated`` when the row cap cut it."""

    kind: ResultKind
    body: bytes
    media_type: str
    size: int
    truncated: bool


def _plain(term: object) -> tuple[str, str, str, str]:
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value, "", "")
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value, "", "")
    if isinstance(term, ox.Literal):
        if term.language:
            return ("literal", term.value, term.language, "")
        datatype = term.datatype.value
        return ("literal", term.value, "", "" if datatype == _XSD_STRING else datatype)
    raise QueryError(f"unsupported term in result: {term!r}")


def answer(
    store: Store,
    sparql: str,
    *,
    tabular: str | None,
    graph: str | None,
    row_cap: int,
    whole_default_graph: bool = False,
) -> Answer:
    """Run ``sparql`` on ``store`` and serialize the answer.

    ``tabular`` is the media type for SELECT and ASK (see :data:`legalgraph.results.MEDIA_TYPES`),
    ``graph`` the one for CONSTRUCT and DESCRIBE (see :data:`GRAPH_MEDIA_TYPES`); ``None`` means
    that kind is not acceptable, and the answer comes back with an empty body and media type.
    ``whole_default_graph`` makes the store's default graph the query's default graph even when
    the query names a FROM graph (the endpoint maps its own dataset IRI to the whole graph).
    """
    from legalgraph import results

    engine = _oxigraph_of(store)
    raw: object
    if engine is None:  # a remote server: ask it through the store, then write its answer
        raw = _as_oxigraph(store.query(sparql))
    else:
        try:
            raw = engine.query(
                sparql,
                prefixes=PREFIXES,
                default_graph=ox.DefaultGraph() if whole_default_graph else None,
            )
        except SyntaxError as error:
            raise InputError(message=str(error), where="query") from None
        except (OSError, RuntimeError) as error:
            raise QueryError(str(error)) from None
    if isinstance(raw, bool | ox.QueryBoolean):
        body = results.write_ask(tabular, bool(raw)) if tabular else b""
        return Answer("ask", body, tabular or "", 1, False)
    if isinstance(raw, ox.QuerySolutions | _Solutions):
        variables = [v.value for v in raw.variables]
        rows: list[list[tuple[str, str, str, str] | None]] = []
        truncated = False
        for solution in raw:
            if len(rows) == row_cap:
                truncated = True
                break
            rows.append([None if (t := solution[i]) is None else _plain(t)
                         for i in range(len(variables))])
        if not tabular:
            return Answer("select", b"", "", len(rows), truncated)
        warning = f"result cut at the row cap of {row_cap} rows" if truncated else ""
        body = results.write_select(tabular, variables, rows, warning)
        return Answer("select", body, tabular, len(rows), truncated)
    triples: list[ox.Triple] = []
    truncated = False
    for triple in raw:  # type: ignore[attr-defined]
        if len(triples) == row_cap:
            truncated = True
            break
        triples.append(triple)
    if not graph:
        return Answer("graph", b"", "", len(triples), truncated)
    data = ox.serialize(triples, format=GRAPH_MEDIA_TYPES[graph], prefixes=PREFIXES)
    return Answer("graph", data if isinstance(data, bytes) else b"", graph, len(triples),
                  truncated)


def _oxigraph_of(store: Store) -> ox.Store | None:
    """The embedded Oxigraph store behind ``store``, or ``None`` for a remote backend."""
    engine: object = store._engine
    if isinstance(engine, ox.Store):
        return engine
    inner = getattr(engine, "_store", None)
    return inner if isinstance(inner, ox.Store) else None


@dataclass
class _Solutions:
    """SELECT rows of a converted result, shaped like the engine's solutions."""

    variables: list[ox.Variable]
    rows: list[list[ox.NamedNode | ox.BlankNode | ox.Literal | None]]

    def __iter__(self) -> Iterator[list[ox.NamedNode | ox.BlankNode | ox.Literal | None]]:
        return iter(self.rows)


def _as_oxigraph(result: QueryResult) -> object:
    """A converted result (from a remote backend) back in the engine's shapes."""
    if result.kind == "ask":
        return bool(result.boolean)
    if result.kind == "select":
        return _Solutions(
            [ox.Variable(v) for v in result.variables],
            [[to_oxigraph(row[v]) if v in row else None for v in result.variables]
             for row in result.rows],
        )
    return [
        ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
        for s, p, o in result.triples
    ]
