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
from dataclasses import dataclass

from flask import Blueprint, Response, current_app, render_template, request
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID, XSD, Namespace
from werkzeug.exceptions import RequestEntityTooLarge

from legalgraph import media
from legalgraph import queries as named_queries
from legalgraph.endpoint import dumps, errors, negotiation, safety
from legalgraph.endpoint.cache import normalize
from legalgraph.endpoint.services import services_of
from legalgraph.errors import LegalgraphError
from legalgraph.namespaces import DATASET_IRI, PREFIXES
from legalgraph.store import Answer, BackendError

blueprint = Blueprint("sparql", __name__)

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
_EXPOSED = "ETag, Last-Modified, X-Result-Truncated, X-Result-Size, X-Cache"


# -- errors (the one policy is in errors.py) ------------------------------------------


@blueprint.errorhandler(RequestEntityTooLarge)
def _too_large(_error: RequestEntityTooLarge) -> Response:
    return errors.too_large()


blueprint.app_errorhandler(BackendError)(errors.backend_error)


# -- health ---------------------------------------------------------------------------


@blueprint.route("/healthz")
def healthz() -> Response:
    """200 while the process serves requests (for load balancers)."""
    return Response(json.dumps({"status": "alive"}) + "\n", 200, mimetype="application/json")


@blueprint.route("/readyz")
def readyz() -> Response:
    """200 when the graph (or the SPARQL server behind it) answers a query, else 503."""
    endpoint = services_of(current_app)
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
    if not services_of(current_app).settings.cors:
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
    settings = services_of(current_app).settings
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
            return errors.error_response(400, "malformed request",
                                  f"the query is not UTF-8 text ({error.reason} at byte "
                                  f"{error.start})")
        return _Operation(text, False, args.getlist("default-graph-uri"),
                          args.getlist("named-graph-uri"))
    return errors.error_response(
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
        return errors.error_response(400, "malformed request", "give exactly one query parameter")
    if isinstance(operation, Response):
        return operation
    if operation.update:
        return errors.error_response(403, "update refused", safety.UPDATE_MESSAGE)
    if operation.query is None:
        if request.method in ("GET", "HEAD"):
            return _describe_service()
        return errors.error_response(400, "missing query",
                              "send the query in a 'query' parameter or as the request body")
    return _run(operation)


def _run(operation: _Operation) -> Response:
    endpoint = services_of(current_app)
    text = operation.query or ""
    choice = negotiation.choose(request.headers.get("Accept"), request.args.get("format")
                                or (request.form.get("format") if request.method == "POST"
                                    and request.mimetype.endswith("urlencoded") else None))
    if not choice.acceptable:
        return errors.not_acceptable(negotiation.offered())
    if operation.named_graphs:
        return errors.error_response(
            400, "graph refused",
            f"named-graph-uri=<{operation.named_graphs[0]}>: this endpoint has no named "
            "graphs; its one graph is the default graph, which queries see without naming it "
            f"(or as default-graph-uri=<{DATASET_IRI}>)",
        )
    for iri in operation.default_graphs:
        if not endpoint.is_ours(iri):
            return errors.error_response(
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
        return errors.refused(refusal)
    key = (endpoint.store.version, normalize(text), choice.tabular or "", choice.graph or "",
           "whole" if whole else "")
    cached = endpoint.cache.get(key)
    if cached is not None:
        return _answer_response(cached, key, hit=True)
    if not text.strip():
        return errors.error_response(400, "missing query", "the query is empty")
    try:
        safety.check_shape(text, limits)
        checked = safety.check(text, endpoint.is_ours)
    except safety.Refusal as refusal:
        return errors.refused(refusal)
    whole = whole or checked.own_dataset
    client = endpoint.admission.client(request.remote_addr,
                                       request.headers.get("X-Forwarded-For"))
    try:
        task = (text, choice.tabular, choice.graph, settings.row_cap, whole)
        with endpoint.admission.slot(client) as admitted:
            if not admitted:
                return errors.retry_later(errors.error_response(
                    429, "too many queries",
                    f"{client} already has {settings.client_queries} queries running (setting "
                    "client_queries); wait for one to finish"), 1)
            result: Answer = endpoint.pool.run(task, settings.time_limit)
    except LegalgraphError as error:
        return errors.query_failed(error, text, settings.time_limit)
    if not result.media_type:
        offered = negotiation.GRAPH if result.kind == "graph" else negotiation.TABULAR
        return errors.not_acceptable(list(offered), kind=result.kind)
    endpoint.cache.put(key, result, len(result.body))
    return _answer_response(result, key, hit=False)


def _answer_response(result: Answer, key: tuple[str, ...], *, hit: bool) -> Response:
    endpoint = services_of(current_app)
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
        return errors.not_acceptable(["text/html", *negotiation.GRAPH])
    return _graph_response(_service_graph(), rdf)


def _service_graph() -> Graph:
    endpoint = services_of(current_app)
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
    endpoint = services_of(current_app)
    ranges = negotiation.parse_accept(request.headers.get("Accept", "") or "*/*")
    fmt = request.args.get("format")
    choice = negotiation.choose(None, fmt).graph if fmt else negotiation.best(
        list(negotiation.GRAPH), ranges)
    if choice is None:
        return errors.not_acceptable(list(negotiation.GRAPH))
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
        settings=services_of(current_app).settings,
    )
    return Response(html, 200, mimetype="text/html")
