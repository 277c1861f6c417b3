"""The Flask application: the SPARQL endpoint, the lookup pages and the resource pages.

``create_app(settings, store)`` builds the app; each area is a blueprint in its own module:
``sparql`` (the SPARQL 1.1 Protocol endpoint and the query editor) and ``pages`` (the lookup
pages for journalists and the dereferenceable resource IRIs).
"""

from __future__ import annotations

from flask import Flask

from legalgraph import build
from legalgraph.errors import InputError
from legalgraph.settings import Settings
from legalgraph.store import Store


def create_app(settings: Settings | None = None, store: Store | None = None) -> Flask:
    """The application, serving ``store`` (default: the graph the settings name)."""
    from legalgraph.web import pages, sparql

    settings = settings or Settings.from_env()
    if store is None:
        store = load_for(settings)
    app = Flask(__name__)
    app.config["SETTINGS"] = settings
    app.config["STORE"] = store
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.register_blueprint(sparql.blueprint)
    app.register_blueprint(pages.blueprint)
    return app


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
