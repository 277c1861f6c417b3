"""The graph: ontology + data + derived facts in one store, asked SPARQL."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal
from rdflib.term import Node

from legalgraph import paths
from legalgraph.errors import InputError, QueryError
from legalgraph.namespaces import DATASET_IRI, PREFIXES
from legalgraph.store import answers
from legalgraph.store.answers import Answer
from legalgraph.store.remote import RemoteEngine, update_url, upload
from legalgraph.store.terms import (
    SERIALIZATIONS,
    VERSION_INFO,
    OxTerm,
    QueryResult,
    Term,
    convert,
    engine_errors,
    to_oxigraph,
    to_rdflib,
)


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
        derive: Callable[[Store], object] | None = None,
        version_inputs: Sequence[Path] = (),
        sparql_endpoint: str | None = None,
        update_endpoint: str | None = None,
        timeout: float = 10.0,
    ) -> Store:
        """Load Turtle ``files`` (default: the shipped ontology and data) as they are.

        ``derive``, when given, adds derived facts before the dataset is described (the build
        step, :func:`legalgraph.build.load`, passes the rules here; the store itself knows no
        rules); ``version_inputs`` are further files whose bytes the version hashes.
        Raises :class:`InputError` with the file, line and parser message when a file does not
        parse; nothing is half-loaded. With ``sparql_endpoint``, the graph built here then
        replaces the default graph of that server (see :func:`upload`) and the store returned
        asks that server, each query within ``timeout`` seconds.
        """
        chosen = list(files) if files is not None else paths.default_graph_files()
        engine = ox.Store()
        for path in chosen:
            data = read_file(path)
            try:
                engine.load(data, format=format_of(path), base_iri=path.resolve().as_uri())
            except SyntaxError as error:
                raise InputError.from_syntax_error(error, path) from None
        store = cls(engine, chosen, content_version(chosen, version_inputs))
        if derive is not None:
            derive(store)
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

    def add_constructed(self, sparql: str) -> int:
        """Run a CONSTRUCT query and add its triples to the graph, without leaving the engine
        (the build step's rules at any size). Returns how many triples it gave."""
        if not isinstance(self._engine, ox.Store):
            raise QueryError(f"the graph on {self.backend} is read-only here: derived facts "
                             "are added before it is published")
        with engine_errors():
            result = self._engine.query(sparql, prefixes=PREFIXES)
            if not isinstance(result, ox.QueryTriples):
                raise InputError(message="not a CONSTRUCT query", where="query")
            quads = [ox.Quad(t.subject, t.predicate, t.object) for t in result]
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
            ox.Quad(dataset, ox.NamedNode(VERSION_INFO), ox.Literal(self.version))
        )

    def _dataset_version(self) -> str:
        values = self.query(f"SELECT ?v WHERE {{ <{DATASET_IRI}> <{VERSION_INFO}> ?v }}")
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
        substitutions: dict[ox.Variable, OxTerm] | None = (
            {ox.Variable(name): to_oxigraph(value) for name, value in bindings.items()}
            if bindings
            else None
        )
        with engine_errors():
            raw = self._engine.query(sparql, prefixes=PREFIXES, substitutions=substitutions)
            return convert(raw)  # the engine evaluates while the answer is read

    def answer(
        self,
        sparql: str,
        *,
        tabular: str | None,
        graph: str | None,
        row_cap: int,
        whole_default_graph: bool = False,
        base_iri: str | None = None,
    ) -> Answer:
        """Run ``sparql`` and serialize the answer as the endpoint sends it: bytes in the
        media type ``tabular`` (SELECT, ASK) or ``graph`` (CONSTRUCT, DESCRIBE), cut at
        ``row_cap`` rows, written from the engine's terms (see :func:`answers.answer`)."""
        return answers.answer(self._engine, sparql, tabular=tabular, graph=graph,
                              row_cap=row_cap, whole_default_graph=whole_default_graph,
                              base_iri=base_iri)

    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
        """Run an ASK query."""
        result = self.query(sparql, bindings)
        return bool(result.boolean)

    def select(
        self, sparql: str, bindings: Mapping[str, Node] | None = None
    ) -> list[dict[str, Term]]:
        """Run a SELECT query and return its rows."""
        return self.query(sparql, bindings).rows

    def lexical_rows(self, sparql: str) -> Iterator[tuple[str | None, ...]]:
        """Stream a SELECT's rows as the lexical values of their terms (IRIs as the IRI,
        literals as their lexical form, unbound as ``None``), in the order of the query's
        variables.

        For bulk reads (the answer engine's index): nothing is converted to rdflib terms and
        no row is kept, so memory stays flat however many rows there are. A query that needs
        to tell an IRI from a literal asks for it (``isLiteral(?o)``).
        """
        with engine_errors():
            solutions = self._engine.query(sparql, prefixes=PREFIXES)
            if not isinstance(solutions, ox.QuerySolutions):
                raise InputError(message="not a SELECT query", where="query")
            for solution in solutions:
                yield tuple(None if term is None else term.value for term in solution)

    def triples(self) -> Iterator[tuple[Term, Term, Term]]:
        """Every triple of the graph."""
        for quad in self._engine.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            yield (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))

    def export(self, fmt: str = "ttl") -> bytes:
        """The whole graph, derived facts included, as ``ttl``, ``nt``, ``jsonld`` or ``xml``.

        The same graph gives the same bytes, however often it is loaded: blank nodes get their
        canonical labels (RDFC-1.0, from what is said about them; the parser's labels are
        random) and the triples are written sorted. The store itself is left as it is.
        """
        try:
            rdf_format = SERIALIZATIONS[fmt]
        except KeyError:
            raise InputError(
                f"unknown export format {fmt!r}; use one of {sorted(SERIALIZATIONS)}"
            ) from None
        lines = self._canonical_lines()
        if rdf_format == ox.RdfFormat.N_TRIPLES:
            return b"".join(line + b"\n" for line in lines)
        triples = (quad.triple for quad in ox.parse(b"\n".join(lines),
                                                    format=ox.RdfFormat.N_TRIPLES))
        dump = ox.serialize(triples, format=rdf_format, prefixes=PREFIXES)
        return dump if isinstance(dump, bytes) else b""

    def _canonical_lines(self) -> list[bytes]:
        """The graph as N-Triples lines, blank nodes labelled canonically, sorted."""
        dump = self._engine.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph(),
                                 prefixes={})
        lines = (dump or b"").splitlines()
        plain = [line for line in lines if b"_:" not in line]
        # the lines that may hold a blank node (or only the text "_:" in a literal): RDFC-1.0
        # labels a blank node from the triples that mention it, so these are enough
        blank = ox.Dataset(ox.parse(b"\n".join(line for line in lines if b"_:" in line),
                                    format=ox.RdfFormat.N_TRIPLES))
        blank.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        labelled = ox.serialize((quad.triple for quad in blank), format=ox.RdfFormat.N_TRIPLES)
        return sorted(plain + (labelled or b"").splitlines())

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        value = result.rows[0]["n"]
        return int(value.toPython()) if isinstance(value, Literal) else 0


def content_version(files: Sequence[Path], inputs: Sequence[Path] = ()) -> str:
    """The version a graph loaded from ``files`` gets: a hash of their names and bytes, and of
    the bytes of ``inputs`` (the rules, when facts are derived)."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(read_file(path))
    for path in inputs:
        digest.update(read_file(path))
    return digest.hexdigest()[:16]


def _xsd(name: str) -> str:
    return "http://www.w3.org/2001/XMLSchema#" + name


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(message=error.strerror or str(error), where=str(path)) from None


def format_of(path: Path) -> ox.RdfFormat:
    suffix = path.suffix.lower()
    for fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML,
                ox.RdfFormat.JSON_LD, ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        if suffix.lstrip(".") == fmt.file_extension:
            return fmt
    if suffix in (".rdf", ".owl"):
        return ox.RdfFormat.RDF_XML
    raise InputError(message=f"unknown RDF file type {suffix!r}", where=str(path))


