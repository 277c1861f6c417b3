"""The SPARQL 1.1 Protocol endpoint at /sparql (public and read-only), and the descriptions
that point to it.

* ``GET /sparql?query=``, ``POST`` form-encoded or ``application/sparql-query``: the answer,
  in the media type the client negotiates (``Accept`` or ``format``).
* ``GET /sparql`` without a query: the query editor for browsers, a SPARQL Service
  Description (Turtle) for machines.
* ``GET /dataset`` and ``/.well-known/void``: the VoID/DCAT description of the dataset, with
  ``void:sparqlEndpoint`` pointing at this server and the downloads (:mod:`~.dumps`).

Queries run in killable worker processes (:mod:`~.sandbox`) under the time limit; a
result cut at the row cap carries the header ``X-Result-Truncated: true`` (and, in JSON, a
``warnings`` field). Answers are cached by data version, normalized query and media type.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from flask import Blueprint, Flask, Response, current_app, render_template, request
from flask.blueprints import BlueprintSetupState
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID, XSD, Namespace
from werkzeug.exceptions import RequestEntityTooLarge

from legalgraph import media, results
from legalgraph import queries as named_queries
from legalgraph.endpoint import dumps, negotiation, safety
from legalgraph.endpoint.admission import Admission
from legalgraph.endpoint.cache import AnswerCache, normalize
from legalgraph.endpoint.sandbox import OutOfMemory, Pool, PoolBusy, QueryTimeout, WorkerFailed
from legalgraph.errors import InputError, LegalgraphError, QueryError
from legalgraph.namespaces import DATASET_IRI, PREFIXES
from legalgraph.settings import Settings
from legalgraph.store import (
    Answer,
    BackendError,
    BackendTimeout,
    Store,
)

blueprint = Blueprint("sparql", __name__)

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
_POSITION = re.compile(r"at (\d+):(\d+)")
_EXPOSED = "ETag, Last-Modified, X-Result-Truncated, X-Result-Size, X-Cache"


@dataclass
class Endpoint:
    """What the endpoint needs, built once per app."""

    settings: Settings
    store: Store
    pool: Pool
    """Killable worker processes, each with its own copy of the store (for a remote backend,
    its own connections to the server): the time limit stops any query, whatever the engine."""
    cache: AnswerCache[Answer]
    last_modified: datetime
    admission: Admission
    """At most ``client_queries`` queries per client at a time."""

    def is_ours(self, iri: str) -> bool:
        """Whether ``iri`` names our own data (the dataset or a resource under the base IRI)."""
        return iri == DATASET_IRI or iri.startswith(self.settings.base_iri)


def _worker_task(store: Store, base_iri: str,
                 request_: tuple[str, str | None, str | None, int, bool]) -> Answer:
    text, tabular, graph, row_cap, whole = request_
    try:
        return store.answer(text, tabular=tabular, graph=graph, row_cap=row_cap,
                            whole_default_graph=whole, base_iri=base_iri)
    except LegalgraphError:
        raise
    except Exception as error:  # never a 500 with a traceback: say what went wrong
        message = f"the query could not be answered: {type(error).__name__}: {error}"
        raise QueryError(message) from None


def _setup(state: BlueprintSetupState) -> None:
    app = state.app
    settings: Settings = app.config["SETTINGS"]
    store: Store = app.config["STORE"]
    modified = (
        datetime(store.modified.year, store.modified.month, store.modified.day, tzinfo=UTC)
        if store.modified
        else datetime.now(UTC).replace(microsecond=0)
    )
    app.extensions["legalgraph.sparql"] = Endpoint(
        settings=settings,
        store=store,
        pool=Pool(partial(_worker_task, store, settings.base_iri), max(1, settings.workers),
                  isolate_network=store.backend == "embedded",
                  memory_cap=settings.worker_memory_mb << 20),
        cache=AnswerCache(settings.cache_entries),
        last_modified=modified,
        admission=Admission(settings.client_queries, settings.trusted_proxies),
    )


blueprint.record_once(_setup)


def endpoint_of(app: Flask) -> Endpoint:
    """The endpoint state of ``app``."""
    found: Endpoint = app.extensions["legalgraph.sparql"]
    return found


# -- errors ---------------------------------------------------------------------------


def _wants_json() -> bool:
    fmt = (request.values.get("format") or "").lower() if _form_readable() else ""
    if "json" in fmt:
        return True
    accept = request.headers.get("Accept", "")
    if not accept.strip():
        return True  # the default answer is JSON, so is the default error
    ranges = negotiation.parse_accept(accept)
    json_q = max(negotiation.quality(m, ranges) for m in
                 ("application/json", results.JSON))
    text_q = max(negotiation.quality(m, ranges) for m in ("text/plain", "text/html"))
    return json_q > 0 and json_q >= text_q and "text/html" not in accept


def _form_readable() -> bool:
    length = request.content_length or 0
    return length <= endpoint_of(current_app).settings.max_body_bytes


def error_response(status: int, title: str, message: str, **extra: Any) -> Response:
    """An error as JSON for API clients, as plain text otherwise."""
    if _wants_json():
        document = {"status": status, "error": title, "message": message}
        document.update({k: v for k, v in extra.items() if v is not None})
        response = Response(json.dumps(document, ensure_ascii=False) + "\n", status,
                            mimetype="application/json")
    else:
        lines = [f"{status} {title}", "", message]
        if extra.get("line") is not None and "line" not in message:
            lines.append(f"(line {extra['line']}, column {extra.get('column')})")
        if extra.get("offered"):
            lines += ["", "Offered:", *(f"  {m}" for m in extra["offered"])]
        response = Response("\n".join(lines) + "\n", status, mimetype="text/plain")
    return response


@blueprint.errorhandler(RequestEntityTooLarge)
def _too_large(_error: RequestEntityTooLarge) -> Response:
    limit = endpoint_of(current_app).settings.max_body_bytes
    return error_response(413, "request too large",
                          f"the request body is larger than the limit of {limit} bytes")


@dataclass(frozen=True)
class _Problem:
    """What the error page shows."""

    status: int
    message: str
    suggestions: tuple[()] = ()


@blueprint.app_errorhandler(BackendError)
def _backend_error(error: BackendError) -> Response:
    """The SPARQL server is down, failed or too slow, anywhere in the app: 502 (504 when it
    timed out), as JSON or text for the endpoint and machines, as a page for people."""
    status = 504 if isinstance(error, BackendTimeout) else 502
    title = "backend timed out" if status == 504 else "backend failed"
    message = (f"the SPARQL server behind this site did not answer: {error}. "
               "Try again in a moment.")
    path = request.path
    html = negotiation.quality("text/html", negotiation.parse_accept(
        request.headers.get("Accept", ""))) > 0
    if path.startswith(("/sparql", "/dataset", "/.well-known", "/readyz")) or not html:
        response = error_response(status, title, message)
    else:
        store = endpoint_of(current_app).store
        page = render_template("error.html", error=_Problem(status, message),
                               data={"version": store.version, "modified": store.modified})
        response = Response(page, status, mimetype="text/html")
    response.headers["Retry-After"] = "5"
    return response


# -- health ---------------------------------------------------------------------------


@blueprint.route("/healthz")
def healthz() -> Response:
    """200 while the process serves requests (for load balancers)."""
    return Response(json.dumps({"status": "alive"}) + "\n", 200, mimetype="application/json")


@blueprint.route("/readyz")
def readyz() -> Response:
    """200 when the graph (or the SPARQL server behind it) answers a query, else 503."""
    endpoint = endpoint_of(current_app)
    try:
        endpoint.store.query("ASK { ?s ?p ?o }")
    except LegalgraphError as error:
        document = {"status": "not ready", "backend": endpoint.store.backend,
                    "message": str(error)}
        response = Response(json.dumps(document) + "\n", 503, mimetype="application/json")
        response.headers["Retry-After"] = "5"
        return response
    document = {"status": "ready", "backend": endpoint.store.backend,
                "version": endpoint.store.version}
    return Response(json.dumps(document) + "\n", 200, mimetype="application/json")


# -- CORS -----------------------------------------------------------------------------


@blueprint.after_request
def _cors(response: Response) -> Response:
    if not endpoint_of(current_app).settings.cors:
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = _EXPOSED
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = request.headers.get(
            "Access-Control-Request-Headers", "Content-Type, Accept, If-None-Match"
        )
        response.headers["Access-Control-Max-Age"] = "86400"
    response.vary.add("Accept")
    return response


# -- the protocol ---------------------------------------------------------------------


@dataclass
class _Operation:
    query: str | None
    update: bool
    default_graphs: list[str]
    named_graphs: list[str]


def _read_operation() -> _Operation | Response:
    settings = endpoint_of(current_app).settings
    if request.content_length and request.content_length > settings.max_body_bytes:
        raise RequestEntityTooLarge()
    args = request.args
    if request.method in ("GET", "HEAD"):  # HEAD mirrors GET
        queries, update = args.getlist("query"), bool(args.get("update"))
        return _Operation(_one(queries), update, args.getlist("default-graph-uri"),
                          args.getlist("named-graph-uri"))
    mimetype = request.mimetype
    if mimetype == "application/x-www-form-urlencoded":
        form = request.form
        return _Operation(_one(form.getlist("query")), "update" in form,
                          form.getlist("default-graph-uri") + args.getlist("default-graph-uri"),
                          form.getlist("named-graph-uri") + args.getlist("named-graph-uri"))
    if mimetype == "application/sparql-update":
        return _Operation(None, True, [], [])
    if mimetype == "application/sparql-query":
        try:
            text = request.get_data(cache=False).decode("utf-8")
        except UnicodeDecodeError as error:
            return error_response(400, "malformed request",
                                  f"the query is not UTF-8 text ({error.reason} at byte "
                                  f"{error.start})")
        return _Operation(text, False, args.getlist("default-graph-uri"),
                          args.getlist("named-graph-uri"))
    return error_response(
        415, "unsupported media type",
        f"POST a query as application/x-www-form-urlencoded (query=...) or as "
        f"application/sparql-query, not {mimetype or 'a body without Content-Type'}",
    )


class _Duplicate(Exception):
    pass


def _one(values: list[str]) -> str | None:
    if len(values) > 1:
        raise _Duplicate()
    return values[0] if values else None


@blueprint.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def sparql() -> Response:
    """The SPARQL 1.1 Protocol endpoint (read-only)."""
    if request.method == "OPTIONS":
        return Response(status=204, headers={"Allow": "GET, POST, OPTIONS"})
    try:
        operation = _read_operation()
    except _Duplicate:
        return error_response(400, "malformed request", "give exactly one query parameter")
    if isinstance(operation, Response):
        return operation
    if operation.update:
        return error_response(403, "update refused", safety.UPDATE_MESSAGE)
    if operation.query is None:
        if request.method in ("GET", "HEAD"):
            return _describe_service()
        return error_response(400, "missing query",
                              "send the query in a 'query' parameter or as the request body")
    return _run(operation)


def _run(operation: _Operation) -> Response:
    endpoint = endpoint_of(current_app)
    text = operation.query or ""
    choice = negotiation.choose(request.headers.get("Accept"), request.args.get("format")
                                or (request.form.get("format") if request.method == "POST"
                                    and request.mimetype.endswith("urlencoded") else None))
    if not choice.acceptable:
        return _not_acceptable(negotiation.offered())
    if operation.named_graphs:
        return error_response(
            400, "graph refused",
            f"named-graph-uri=<{operation.named_graphs[0]}>: this endpoint has no named "
            "graphs; its one graph is the default graph, which queries see without naming it "
            f"(or as default-graph-uri=<{DATASET_IRI}>)",
        )
    for iri in operation.default_graphs:
        if not endpoint.is_ours(iri):
            return error_response(
                400, "graph refused",
                f"<{iri}> is not a graph of this endpoint; it serves one graph "
                f"(<{DATASET_IRI}>), which queries see without naming it",
            )
    whole = bool(operation.default_graphs or operation.named_graphs)
    settings = endpoint.settings
    limits = safety.Limits(settings.max_query_chars, settings.max_nesting,
                           settings.max_triple_patterns)
    try:
        safety.check_length(text, limits)  # before the cache key is made of it
    except safety.Refusal as refusal:
        return _refused(refusal)
    key = (endpoint.store.version, normalize(text), choice.tabular or "", choice.graph or "",
           "whole" if whole else "")
    cached = endpoint.cache.get(key)
    if cached is not None:
        return _answer_response(cached, key, hit=True)
    if not text.strip():
        return error_response(400, "missing query", "the query is empty")
    try:
        safety.check_shape(text, limits)
        checked = safety.check(text, endpoint.is_ours)
    except safety.Refusal as refusal:
        return _refused(refusal)
    whole = whole or checked.own_dataset
    client = endpoint.admission.client(request.remote_addr,
                                       request.headers.get("X-Forwarded-For"))
    try:
        task = (text, choice.tabular, choice.graph, settings.row_cap, whole)
        with endpoint.admission.slot(client) as admitted:
            if not admitted:
                return _retry_later(error_response(
                    429, "too many queries",
                    f"{client} already has {settings.client_queries} queries running (setting "
                    "client_queries); wait for one to finish"), 1)
            result: Answer = endpoint.pool.run(task, settings.time_limit)
    except InputError as error:
        explained = safety.explain(text)
        if explained is not None:
            return error_response(
                explained.status, explained.title,
                f"{explained.message} (the engine's parser says: {error.message})",
                line=explained.line, column=explained.column,
            )
        message = error.message
        found = _POSITION.search(message)
        line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
        return error_response(400, "malformed query", message, line=line, column=column)
    except (QueryTimeout, BackendTimeout) as error:
        # a query out of time is a 503 on either backend; 504 is for the pages and
        # descriptions, whose requests to the SPARQL server are not queries of the client's
        stopped = (str(error) if isinstance(error, QueryTimeout) else
                   f"the query was stopped after the time limit of {settings.time_limit:g} s "
                   f"({error})")
        return _retry_later(error_response(
            503, "time limit", stopped + "; make the query more specific (fewer unbound "
            "patterns, a LIMIT) or run it on a copy of the data"), 5)
    except PoolBusy as error:
        return _retry_later(error_response(503, "busy", str(error) + "; try again shortly"), 1)
    except OutOfMemory as error:
        return _retry_later(error_response(503, "too much memory", str(error)), 5)
    except BackendError as error:
        return _backend_error(error)
    except (QueryError, WorkerFailed) as error:
        return error_response(500 if isinstance(error, WorkerFailed) else 400,
                              "query failed", str(error))
    except LegalgraphError as error:
        return error_response(400, "query failed", str(error))
    if not result.media_type:
        offered = negotiation.GRAPH if result.kind == "graph" else negotiation.TABULAR
        return _not_acceptable(list(offered), kind=result.kind)
    endpoint.cache.put(key, result, len(result.body))
    return _answer_response(result, key, hit=False)


def _retry_later(response: Response, seconds: int) -> Response:
    response.headers["Retry-After"] = str(seconds)
    return response


def _refused(refusal: safety.Refusal) -> Response:
    return error_response(refusal.status, refusal.title, refusal.message,
                          line=refusal.line, column=refusal.column)


def _not_acceptable(offered: list[str], kind: str | None = None) -> Response:
    what = {"graph": "a CONSTRUCT or DESCRIBE answer", "select": "a SELECT answer",
            "ask": "an ASK answer"}.get(kind or "", "an answer")
    return error_response(
        406, "not acceptable",
        f"none of the media types in Accept (or format) can carry {what}; offered: "
        + ", ".join(offered),
        offered=offered,
    )


def _answer_response(result: Answer, key: tuple[str, ...], *, hit: bool) -> Response:
    endpoint = endpoint_of(current_app)
    response = Response(result.body, 200, content_type=media.content_type(result.media_type))
    response.headers["X-Result-Truncated"] = "true" if result.truncated else "false"
    response.headers["X-Result-Size"] = str(result.size)
    response.headers["X-Cache"] = "hit" if hit else "miss"
    response.headers["Cache-Control"] = "public, max-age=60"
    response.set_etag(hashlib.sha256("\x1f".join(key).encode()).hexdigest()[:32])
    response.last_modified = endpoint.last_modified
    response.make_conditional(request)
    return response


# -- descriptions ---------------------------------------------------------------------


def _endpoint_url() -> str:
    return request.url_root.rstrip("/") + "/sparql"


def _describe_service() -> Response:
    """The editor when the client prefers HTML (a browser), the service description otherwise."""
    ranges = negotiation.parse_accept(request.headers.get("Accept", "") or "text/turtle")
    rdf = negotiation.best(list(negotiation.GRAPH), ranges)
    rdf_q = negotiation.quality(rdf, ranges) if rdf else 0.0
    if negotiation.quality("text/html", ranges) > rdf_q:
        return _editor()
    if rdf is None:
        return _not_acceptable(["text/html", *negotiation.GRAPH])
    return _graph_response(_service_graph(), rdf)


def _service_graph() -> Graph:
    endpoint = endpoint_of(current_app)
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("formats", FORMATS)
    service = URIRef(_endpoint_url())
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for offered in (*media.TABULAR, *media.GRAPH):
        graph.add((service, SD.resultFormat, FORMATS[offered.w3c_format]))
    graph.add((service, DCTERMS.description, Literal(
        "Public, read-only SPARQL 1.1 endpoint of legalgraph. Each query may run "
        f"{endpoint.settings.time_limit:g} s and returns at most {endpoint.settings.row_cap} "
        "rows (a cut answer has the header X-Result-Truncated: true).", lang="en")))
    dataset = BNode()
    default = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, DCTERMS.source, URIRef(DATASET_IRI)))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(len(endpoint.store), datatype=XSD.integer)))
    return graph


_DATASET_QUERY = f"""
CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ BIND(<{DATASET_IRI}> AS ?s) ?s ?p ?o }}
  UNION
  {{ <{DATASET_IRI}> ?link ?s . FILTER(isBlank(?s) || STRSTARTS(STR(?s), "{DATASET_IRI}/"))
     ?s ?p ?o }}
}}
"""


@blueprint.route("/dataset")
@blueprint.route("/.well-known/void")
def dataset() -> Response:
    """The VoID/DCAT description of the dataset, pointing at this server's endpoint."""
    endpoint = endpoint_of(current_app)
    ranges = negotiation.parse_accept(request.headers.get("Accept", "") or "*/*")
    fmt = request.args.get("format")
    choice = negotiation.choose(None, fmt).graph if fmt else negotiation.best(
        list(negotiation.GRAPH), ranges)
    if choice is None:
        return _not_acceptable(list(negotiation.GRAPH))
    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    for triple in endpoint.store.query(_DATASET_QUERY).triples:
        graph.add(triple)
    subject = URIRef(DATASET_IRI)
    graph.remove((subject, VOID.sparqlEndpoint, None))
    graph.add((subject, VOID.sparqlEndpoint, URIRef(_endpoint_url())))
    dumps.describe(graph, subject, request.url_root.rstrip("/"))
    response = _graph_response(graph, choice)
    response.set_etag(endpoint.store.version + "-" + media.BY_NAME[choice].rdflib + "-"
                      + dumps.dumps_of(current_app).fingerprint())
    response.last_modified = endpoint.last_modified
    response.make_conditional(request)
    return response


def _graph_response(graph: Graph, media_type: str) -> Response:
    data = graph.serialize(format=media.BY_NAME[media_type].rdflib, encoding="utf-8")
    return Response(data, 200, content_type=media.content_type(media_type))


# -- the query editor -----------------------------------------------------------------


def _editor() -> Response:
    examples = [
        {"name": q.name, "title": q.title, "description": q.description, "query": q.text}
        for q in named_queries.all_queries().values()
    ]
    prefixes = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
    html = render_template(
        "sparql.html",
        endpoint=_endpoint_url(),
        examples=examples,
        prefixes=PREFIXES,
        default_query=prefixes + "\nSELECT ?s ?p ?o WHERE {\n  ?s ?p ?o\n}\nLIMIT 10\n",
        settings=endpoint_of(current_app).settings,
    )
    return Response(html, 200, mimetype="text/html")
