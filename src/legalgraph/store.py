"""The graph store: ontology + data + derived facts, on an embedded or a remote engine.

This is the only module that knows the query engine. Everything else asks it SPARQL and gets
rdflib terms back. :meth:`Store.load` builds the graph in an embedded Oxigraph store;
:meth:`Store.connect` (or ``Store.load(..., sparql_endpoint=URL)``, which first puts the graph
there) answers the same questions from an external SPARQL 1.1 server over HTTP, with the same
:class:`QueryResult`.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import re
import threading
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal as TypingLiteral
from typing import TypeAlias

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

    Build it with :meth:`load` (embedded) or :meth:`connect` (an external SPARQL 1.1 server); it
    is read-only afterwards. ``version`` identifies the loaded content (a hash of the input files
    and the rules, kept in the graph as the dataset's ``owl:versionInfo``), ``modified`` is the
    dataset's modification date, ``backend`` is ``embedded`` or the server's URL.
    """

    def __init__(
        self, engine: ox.Store | RemoteEngine, files: Sequence[Path], version: str | None = None
    ) -> None:
        self._engine = engine
        self.files = list(files)
        self.version = version if version is not None else self._dataset_version()
        self.modified = self._dataset_modified()

    @property
    def backend(self) -> str:
        """``embedded``, or the URL of the SPARQL server that answers."""
        return self._engine.url if isinstance(self._engine, RemoteEngine) else "embedded"

    # -- building -------------------------------------------------------------------

    @classmethod
    def load(
        cls,
        files: Sequence[Path] | None = None,
        *,
        derive: bool = True,
        sparql_endpoint: str | None = None,
        update_endpoint: str | None = None,
        timeout: float = 10.0,
    ) -> Store:
        """Load Turtle ``files`` (default: the shipped ontology and data), then derived facts.

        Raises :class:`InputError` with the file, line and parser message when a file does not
        parse; nothing is half-loaded. With ``sparql_endpoint``, the graph built here then
        replaces the default graph of that server (see :func:`upload`) and the store returned
        asks that server, each query within ``timeout`` seconds.
        """
        from legalgraph import rules  # rules ask the store SPARQL; imported late to avoid a cycle

        chosen = list(files) if files is not None else paths.default_graph_files()
        engine = ox.Store()
        for path in chosen:
            data = _read(path)
            try:
                engine.load(data, format=_format_of(path), base_iri=path.resolve().as_uri())
            except SyntaxError as error:
                raise InputError.from_syntax_error(error, path) from None
        store = cls(engine, chosen, content_version(chosen, derive=derive))
        if derive:
            rules.apply(store)
        store._describe_dataset()
        if sparql_endpoint is None:
            return store
        return store.publish(sparql_endpoint, update_endpoint, timeout=timeout)

    def publish(
        self, sparql_endpoint: str, update_endpoint: str | None = None, *, timeout: float = 10.0
    ) -> Store:
        """Replace the default graph of the server at ``sparql_endpoint`` by this graph (see
        :func:`upload`; ``update_endpoint`` defaults to :func:`update_url`) and return the store
        that asks that server, each query within ``timeout`` seconds."""
        update = update_endpoint or update_url(sparql_endpoint)
        upload(self, update)
        remote = Store.connect(sparql_endpoint, timeout=timeout)
        if remote.version != self.version:
            raise QueryError(
                f"{sparql_endpoint} holds version {remote.version} after loading version "
                f"{self.version} through {update}: is that the update endpoint of the same "
                "dataset?"
            )
        remote.files = self.files
        return remote

    @classmethod
    def connect(cls, sparql_endpoint: str, *, timeout: float = 10.0) -> Store:
        """The graph a SPARQL 1.1 server holds (put there by ``legalgraph load``).

        Each query goes to ``sparql_endpoint`` and must be answered within ``timeout`` seconds.
        Raises :class:`QueryError` when the server cannot be reached or holds no legalgraph
        dataset.
        """
        return cls(RemoteEngine(sparql_endpoint, timeout), [])

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
            ox.Quad(dataset, ox.NamedNode(_VERSION_INFO), ox.Literal(self.version))
        )

    def _dataset_version(self) -> str:
        values = self.query(f"SELECT ?v WHERE {{ <{DATASET_IRI}> <{_VERSION_INFO}> ?v }}")
        found = sorted(str(v) for v in values.values("v"))
        if len(found) != 1:
            raise QueryError(
                f"{self.backend} holds {len(found) or 'no'} version of the legalgraph dataset "
                f"(owl:versionInfo of <{DATASET_IRI}>): put the graph there with "
                "`legalgraph load --sparql-endpoint URL`, which replaces the default graph"
            )
        return found[0]

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
        does not parse, :class:`QueryError` when the engine cannot answer.
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
        except (OSError, RuntimeError) as error:
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
            raise InputError(
                f"unknown export format {fmt!r}; use one of {sorted(_SERIALIZATIONS)}"
            ) from None
        dump = self._engine.dump(format=rdf_format, from_graph=ox.DefaultGraph(), prefixes=PREFIXES)
        return dump if isinstance(dump, bytes) else b""

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        value = result.rows[0]["n"]
        return int(value.toPython()) if isinstance(value, Literal) else 0


def content_version(files: Sequence[Path], *, derive: bool = True) -> str:
    """The version a graph loaded from ``files`` gets: a hash of their names and bytes, and of
    the rules when facts are derived."""
    from legalgraph import rules

    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(_read(path))
    if derive:
        for rule in rules.RULES:
            digest.update(rule.read_bytes())
    return digest.hexdigest()[:16]


# -- the remote engine: a SPARQL 1.1 server over HTTP ---------------------------------------

_VERSION_INFO = "http://www.w3.org/2002/07/owl#versionInfo"
_OxGraph: TypeAlias = "ox.NamedNode | ox.BlankNode | ox.DefaultGraph"
_CHUNK = 20000
_RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.8"
_RDF_ACCEPT = "application/n-triples, text/turtle;q=0.8"


class RemoteEngine:
    """A SPARQL 1.1 server, asked over HTTP (SPARQL 1.1 Protocol), answering like an embedded
    ``pyoxigraph.Store``: the store module uses either one the same way.

    A query is first parsed here, on an empty embedded store, with the same prefixes and
    substitutions, so a bad query gets the same error on both backends and the answer's form is
    known; then bound values are substituted into the text as terms serialized by rdflib
    (:func:`substitute`), the prefixes are declared, and the text is POSTed. The read-only
    protocol operation is the only one used; writes are refused.
    """

    def __init__(self, url: str, timeout: float) -> None:
        self.url = url
        self._http = Http(url, timeout)
        self._parser = ox.Store()

    def query(
        self,
        sparql: str,
        *,
        prefixes: dict[str, str] | None = None,
        substitutions: dict[ox.Variable, _OxTerm] | None = None,
        default_graph: _OxGraph | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        graph = _form(sparql) in ("CONSTRUCT", "DESCRIBE")
        if not _FETCHING.search(sparql):  # a SERVICE call would run even on an empty store
            checked = self._parser.query(
                sparql, prefixes=prefixes, substitutions=substitutions, default_graph=default_graph
            )  # raises SyntaxError like the embedded engine; evaluates on nothing
            graph = isinstance(checked, ox.QueryTriples)
        text = sparql
        if substitutions:
            text = substitute(text, {v.value: _from_oxigraph(t) for v, t in substitutions.items()})
        if default_graph is not None:
            text = _without_from(text)
        if prefixes:
            text = "".join(f"PREFIX {n}: <{i}>\n" for n, i in prefixes.items()) + text
        status, media, body = self._http.post(
            text.encode("utf-8"),
            "application/sparql-query",
            _RDF_ACCEPT if graph else _RESULTS_ACCEPT,
        )
        if status == 400:
            raise InputError(message=_first_line(body), where="query")
        if status >= 300:
            raise QueryError(f"{self.url} answered HTTP {status}: {_first_line(body)}")
        try:
            if graph:
                rdf_format = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.N_TRIPLES
                holder = ox.Store()
                holder.extend(ox.parse(body, format=rdf_format))
                return holder.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
            results = ox.QueryResultsFormat.from_media_type(media) or ox.QueryResultsFormat.JSON
            parsed = ox.parse_query_results(body, format=results)
            if isinstance(parsed, ox.QuerySolutions):
                for _ in parsed:  # parsing is lazy: read it all here, where errors are caught
                    pass
                parsed = ox.parse_query_results(body, format=results)
            return parsed
        except (SyntaxError, ValueError) as error:
            raise QueryError(f"{self.url} sent an answer that does not parse: {error}") from None

    def quads_for_pattern(self, *_: object) -> Iterator[ox.Quad]:
        answer = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        if not isinstance(answer, ox.QueryTriples):
            raise QueryError(f"{self.url} did not answer a CONSTRUCT query with triples")
        for triple in answer:
            yield ox.Quad(triple.subject, triple.predicate, triple.object)

    def dump(
        self,
        *,
        format: ox.RdfFormat,
        from_graph: _OxGraph,
        prefixes: dict[str, str],
    ) -> bytes | None:
        copy = ox.Store()
        copy.extend(self.quads_for_pattern())
        return copy.dump(format=format, from_graph=from_graph, prefixes=prefixes)

    def _read_only(self, *_: object) -> None:
        raise QueryError(f"the graph on {self.url} is read-only here; use `legalgraph load`")

    add = extend = _read_only


_FETCHING = re.compile(r"SERVICE|\\[uU]", re.IGNORECASE)


def _form(sparql: str) -> str:
    """The query form (SELECT, ASK, CONSTRUCT, DESCRIBE): the first keyword after the prologue."""
    match = _FIRST_WORD.match(sparql)
    return match.group(1).upper() if match else ""


_FIRST_WORD = re.compile(
    r"^(?:\s|#[^\n]*(?:\n|$)|PREFIX\s*[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*([A-Za-z]+)",
    re.IGNORECASE,
)


def update_url(query_url: str) -> str:
    """The usual update endpoint beside a query endpoint: ``.../query`` becomes
    ``.../update`` (Oxigraph, Fuseki); other URLs are used as they are (Virtuoso)."""
    parts = urllib.parse.urlsplit(query_url)
    if parts.path.endswith("/query"):
        parts = parts._replace(path=parts.path[: -len("query")] + "update")
    return urllib.parse.urlunsplit(parts)


def upload(store: Store, update_endpoint: str, *, timeout: float = 600.0) -> int:
    """Replace the default graph of the server at ``update_endpoint`` by ``store``'s graph.

    Sends SPARQL 1.1 Update requests: the first drops the default graph and inserts every
    triple with a blank node (so each blank node keeps one identity), the next ones the other
    triples in chunks, and the last the dataset's ``owl:versionInfo``, so a load that stops
    half-way never passes for a loaded version. Returns the number of triples sent.
    """
    lines = store.export("nt").decode("utf-8").splitlines()
    version = f"<{DATASET_IRI}> <{_VERSION_INFO}> "
    last = [line for line in lines if line.startswith(version)]
    blank = [line for line in lines if "_:" in line and not line.startswith(version)]
    rest = [line for line in lines if "_:" not in line and not line.startswith(version)]
    http = Http(update_endpoint, timeout)
    chunks = [blank, *(rest[i : i + _CHUNK] for i in range(0, len(rest), _CHUNK)), last]
    for number, chunk in enumerate(chunks):
        if number and not chunk:
            continue
        body = ("DROP SILENT DEFAULT ;\n" if number == 0 else "") + (
            "INSERT DATA {\n" + "\n".join(chunk) + "\n}"
        )
        status, _, answer = http.post(body.encode("utf-8"), "application/sparql-update", "*/*")
        if status >= 300:
            raise QueryError(
                f"{update_endpoint} refused the update (HTTP {status}): {_first_line(answer)}"
            )
    return len(lines)


class Http:
    """POST requests to one URL over one kept-alive connection per thread and process."""

    def __init__(self, url: str, timeout: float) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError("not an http(s) URL of a SPARQL server", where=url)
        self.url = url
        self.timeout = timeout
        self._parts = parts
        self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._auth = None
        if parts.username:
            user = urllib.parse.unquote(parts.username)
            password = urllib.parse.unquote(parts.password or "")
            self._auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self._local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        if getattr(self._local, "pid", None) != os.getpid():  # never share a socket after fork
            self._local.pid = os.getpid()
            self._local.connection = None
        connection: http.client.HTTPConnection | None = self._local.connection
        if connection is None:
            kind = (
                http.client.HTTPSConnection
                if self._parts.scheme == "https"
                else http.client.HTTPConnection
            )
            connection = kind(self._parts.hostname or "", self._parts.port, timeout=self.timeout)
            self._local.connection = connection
        return connection

    def _drop(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
        self._local.connection = None

    def post(self, body: bytes, content_type: str, accept: str) -> tuple[int, str, bytes]:
        """Send ``body``; the answer's status, media type and bytes."""
        headers = {"Content-Type": content_type, "Accept": accept, "User-Agent": "legalgraph"}
        if self._auth:
            headers["Authorization"] = self._auth
        for attempt in (1, 2):
            connection = self._connection()
            try:
                connection.request("POST", self._path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
            except TimeoutError:
                self._drop()
                raise QueryError(
                    f"the SPARQL server at {self.url} did not answer within {self.timeout:g} s"
                ) from None
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self._drop()  # a kept-alive connection the server had closed: try once more
                if attempt == 1:
                    continue
                raise QueryError(f"the SPARQL server at {self.url} closed the connection") from None
            except (OSError, http.client.HTTPException) as error:
                self._drop()
                raise QueryError(f"cannot reach the SPARQL server at {self.url}: {error}") from None
            if response.will_close:
                self._drop()
            media = (response.getheader("Content-Type") or "").split(";")[0].strip()
            return response.status, media, data
        raise QueryError(f"the SPARQL server at {self.url} closed the connection")


def _first_line(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    return text.splitlines()[0][:300] if text else "(no message)"


def _from_oxigraph(term: object) -> Term:
    return _to_rdflib(term)


# -- binding values in query text (SEP-0007 style substitution) ----------------------------

_TOKENS = re.compile(
    r"""(?P<skip>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\""""
    r"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n]*)"""
    r"""|(?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)"""
    r"""|(?P<word>[A-Za-z]+)|(?P<open>[{(])|(?P<close>[})])|(?P<star>\*)""",
    re.DOTALL,
)


def _tokens(sparql: str) -> Iterator[tuple[str, str, re.Match[str] | None]]:
    """``(text before, token, match)`` pairs, then the tail with no match."""
    position = 0
    for match in _TOKENS.finditer(sparql):
        yield sparql[position : match.start()], match.group(0), match
        position = match.end()
    yield sparql[position:], "", None


def substitute(sparql: str, bindings: Mapping[str, Node]) -> str:
    """``sparql`` with each bound variable replaced by its value, serialized by rdflib.

    In a SELECT projection ``?x`` becomes ``(value AS ?x)`` so the answer keeps the column
    (``SELECT *`` gets ``BIND (value AS ?x)`` at the start of its group instead; a subquery
    leaves ``?x`` out of its projection, for the outer one to give); after
    ``GROUP BY`` / ``ORDER BY`` / ``HAVING`` a value is bracketed; a variable being assigned
    (``AS ?x``) or declared by ``VALUES`` stays. Strings, IRIs and comments are left alone, so
    nothing but serialized terms is ever added to the text.
    """
    values = {name: _term_text(term) for name, term in bindings.items()}
    out: list[str] = []
    clause = ["pattern"]  # per brace level: projection, pattern, modifier or values
    depth = 0  # open parentheses in the current clause
    previous = ""
    star = False  # the projection being read is SELECT *
    for before, token, match in _tokens(sparql):
        out.append(before)
        if match is None:
            break
        kind = match.lastgroup
        if kind == "star" and clause[-1] == "projection" and depth == 0:
            star = True
        elif token == "{" and clause[-1] == "projection" and star:
            star = False
            binds = " ".join(f"BIND ({value} AS ?{name})" for name, value in values.items())
            out.append("{ " + binds)
            clause.append("pattern")
            depth = 0
            continue
        if kind == "word":
            word = token.upper()
            if word == "SELECT":
                clause[-1] = "projection"
            elif word in ("GROUP", "ORDER", "HAVING") and clause[-1] != "values":
                clause[-1] = "modifier"
            elif word == "VALUES":
                clause[-1] = "values"
        elif token == "{":
            clause.append("pattern")
            depth = 0
        elif token == "(":
            depth += 1
        elif token == "}":
            if len(clause) > 1:
                clause.pop()
            if clause[-1] in ("projection", "values"):
                clause[-1] = "modifier"
            depth = 0
        elif token == ")":
            depth = max(depth - 1, 0)
        name = token[1:] if kind == "var" else ""
        if name in values and previous != "AS" and clause[-1] != "values":
            if clause[-1] == "projection" and depth == 0 and len(clause) > 1:
                token = ""  # a subquery's column: the outer projection gives the value
            elif clause[-1] == "projection" and depth == 0:
                token = f"({values[name]} AS ?{name})"
            elif clause[-1] == "modifier" and depth == 0:
                token = f"({values[name]})"
            else:
                token = values[name]
        if kind != "skip":
            previous = token.upper()
        out.append(token)
    return "".join(out)


def _without_from(sparql: str) -> str:
    """``sparql`` without its ``FROM <iri>`` clauses (``FROM NAMED`` stays): the query then
    reads the server's default graph, as ``default_graph`` asks of the embedded engine."""
    out: list[str] = []
    dropping = False
    for before, token, match in _tokens(sparql):
        if dropping:
            if match is not None and match.lastgroup == "skip" and token.startswith("<"):
                dropping = False
                continue
            if match is not None and token.upper() == "NAMED":
                out.append("FROM " + before + token)
                dropping = False
                continue
            out.append(before)
            continue
        out.append(before)
        if match is not None and token.upper() == "FROM":
            dropping = True
            continue
        out.append(token)
    return "".join(out)


def _term_text(term: Node) -> str:
    if isinstance(term, URIRef | Literal):
        return term.n3()
    raise InputError(f"cannot bind {term!r} on a SPARQL server: only IRIs and literals")


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

    # either engine (embedded, or RemoteEngine for a server) answers in the engine's shapes
    engine = store._engine
    raw: object
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
    if isinstance(raw, ox.QuerySolutions):
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
    for triple in raw:
        if len(triples) == row_cap:
            truncated = True
            break
        triples.append(triple)
    if not graph:
        return Answer("graph", b"", "", len(triples), truncated)
    data = ox.serialize(triples, format=GRAPH_MEDIA_TYPES[graph], prefixes=PREFIXES)
    return Answer("graph", data if isinstance(data, bytes) else b"", graph, len(triples),
                  truncated)
