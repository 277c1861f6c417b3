"""The remote engine: a SPARQL 1.1 server over HTTP, asked like the embedded store."""

from __future__ import annotations

import base64
import http.client
import os
import re
import threading
import urllib.parse
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, TypeAlias

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.term import Node

from legalgraph.errors import InputError, QueryError
from legalgraph.namespaces import DATASET_IRI
from legalgraph.store.terms import VERSION_INFO, OxTerm, Term, to_rdflib

if TYPE_CHECKING:
    from legalgraph.store.graph import Store

_OxGraph: TypeAlias = "ox.NamedNode | ox.BlankNode | ox.DefaultGraph"
_CHUNK = 20000
_RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.8"
_RDF_ACCEPT = "application/n-triples, text/turtle;q=0.8"


class BackendError(QueryError):
    """The SPARQL server could not be reached, refused the request or failed (a web server
    answers 502)."""


class BackendTimeout(BackendError):
    """The SPARQL server did not answer in time (a web server answers 504)."""


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
        substitutions: dict[ox.Variable, OxTerm] | None = None,
        default_graph: _OxGraph | None = None,
        base_iri: str | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        graph = _form(sparql) in ("CONSTRUCT", "DESCRIBE")
        if not _FETCHING.search(sparql):  # a SERVICE call would run even on an empty store
            checked = self._parser.query(
                sparql, prefixes=prefixes, substitutions=substitutions,
                default_graph=default_graph, base_iri=base_iri,
            )  # raises SyntaxError like the embedded engine; evaluates on nothing
            graph = isinstance(checked, ox.QueryTriples)
        text = sparql
        if substitutions:
            text = substitute(text, {v.value: _from_oxigraph(t) for v, t in substitutions.items()})
        if default_graph is not None:
            text = _without_from(text)
        if prefixes:
            text = "".join(f"PREFIX {n}: <{i}>\n" for n, i in prefixes.items()) + text
        if base_iri:  # the query's own BASE, later in the prologue, still wins
            text = f"BASE <{base_iri}>\n" + text
        status, media, body = self._http.post(
            text.encode("utf-8"),
            "application/sparql-query",
            _RDF_ACCEPT if graph else _RESULTS_ACCEPT,
        )
        if status == 400:
            raise InputError(message=_first_line(body), where="query")
        if status >= 300:
            raise BackendError(f"{self.url} answered HTTP {status}: {_first_line(body)}")
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
            raise BackendError(f"{self.url} sent an answer that does not parse: {error}") from None

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
    version = f"<{DATASET_IRI}> <{VERSION_INFO}> "
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
                raise BackendTimeout(
                    f"the SPARQL server at {self.url} did not answer within {self.timeout:g} s"
                ) from None
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self._drop()  # a kept-alive connection the server had closed: try once more
                if attempt == 1:
                    continue
                raise BackendError(
                    f"the SPARQL server at {self.url} closed the connection") from None
            except (OSError, http.client.HTTPException) as error:
                self._drop()
                raise BackendError(
                    f"cannot reach the SPARQL server at {self.url}: {error}") from None
            if response.will_close:
                self._drop()
            media = (response.getheader("Content-Type") or "").split(";")[0].strip()
            return response.status, media, data
        raise BackendError(f"the SPARQL server at {self.url} closed the connection")


def _first_line(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    return text.splitlines()[0][:300] if text else "(no message)"


def _from_oxigraph(term: object) -> Term:
    return to_rdflib(term)


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
