"""The Flask application: the SPARQL endpoint, the lookup pages and the resource pages.

``create_app(settings, store)`` builds the app; each area is a blueprint in its own module:
the SPARQL endpoint, the query editor and the downloads of the whole graph
(:mod:`legalgraph.endpoint`), ``pages`` (the lookup pages for journalists and the
dereferenceable resource IRIs), ``card`` (the citable status card and citation formats) and
``jsonld`` (the JSON-LD context).

Around them: responses are compressed (brotli or gzip, by Flask-Compress), static files have
content-hashed names and are cached as immutable (``assets``), and the lookup pages carry an
ETag and answer a matching ``If-None-Match`` with 304.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, request
from flask_compress import Compress

from legalgraph import build
from legalgraph.errors import InputError
from legalgraph.settings import Settings
from legalgraph.store import Store

STATIC = Path(__file__).resolve().parent / "static"

#: What gets compressed: text of every kind the app sends (streamed answers stay as they are).
COMPRESSED_TYPES = [
    "text/html", "text/css", "text/plain", "text/csv", "text/turtle", "text/javascript",
    "application/javascript", "application/json", "application/ld+json",
    "application/atom+xml", "application/xml", "application/sparql-results+json",
    "application/sparql-results+xml", "application/n-triples", "image/svg+xml",
]


def create_app(settings: Settings | None = None, store: Store | None = None) -> Flask:
    """The application, serving ``store`` (default: the graph the settings name)."""
    from legalgraph.endpoint import dumps, protocol, services
    from legalgraph.web import assets, card, jsonld, pages, templating

    settings = settings or Settings.from_env()
    if store is None:
        store = load_for(settings)
    app = Flask(__name__, static_folder=None)
    app.config["SETTINGS"] = settings
    app.config["STORE"] = store
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    # the endpoint's store, query workers, cache and admission; built before any thread starts
    services.install(app, services.Services.build(settings, store))
    app.config.update(COMPRESS_MIMETYPES=COMPRESSED_TYPES, COMPRESS_ALGORITHM=["br", "gzip"],
                      COMPRESS_STREAMS=False)
    Compress(app)
    app.after_request(_validators)  # runs before compression: the ETag is of the plain body
    assets.install(app, STATIC)
    templating.install(app)
    app.register_blueprint(protocol.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(card.blueprint)
    app.register_blueprint(jsonld.blueprint)
    app.register_blueprint(dumps.blueprint)
    return app


def _validators(response: Response) -> Response:
    """An ETag on every complete answer of the lookup pages, and 304 when it matches."""
    if (request.method in ("GET", "HEAD") and response.status_code == 200
            and request.blueprint in ("pages", "card", "jsonld")
            and not response.is_streamed and "ETag" not in response.headers):
        response.add_etag()
        response.headers.setdefault("Cache-Control", "no-cache")
        response.make_conditional(request)
    return response


def load_for(settings: Settings) -> Store:
    """The store the settings ask for: the graph on the SPARQL server ``sparql_endpoint``
    names (each query within ``time_limit``), the shipped graph, or the given data files."""
    if settings.sparql_endpoint:
        if settings.data_paths:
            raise InputError(
                "give data paths or a SPARQL endpoint, not both: the server holds the data "
                "(put it there with `legalgraph load --sparql-endpoint URL`)"
            )
        return Store.connect(settings.sparql_endpoint, timeout=settings.time_limit)
    if not settings.data_paths:
        return build.load()
    files = []
    for path in settings.data_paths:
        files.extend(sorted(path.rglob("*.ttl")) if path.is_dir() else [path])
    return build.load(files)
