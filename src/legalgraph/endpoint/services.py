"""What the endpoint needs, built once by the app factory: the settings, the store, the query
workers, the answer cache and the admission of clients."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from flask import Flask

from legalgraph.endpoint.admission import Admission
from legalgraph.endpoint.cache import AnswerCache
from legalgraph.endpoint.sandbox import Pool
from legalgraph.errors import LegalgraphError, QueryError
from legalgraph.namespaces import DATASET_IRI
from legalgraph.settings import Settings
from legalgraph.store import Answer, Store

_KEY = "legalgraph.sparql"


@dataclass
class Services:
    """The endpoint's parts, one set per app."""

    settings: Settings
    store: Store
    pool: Pool
    """Killable worker processes, each with its own copy of the store (for a remote backend,
    its own connections to the server): the time limit stops any query, whatever the engine."""
    cache: AnswerCache[Answer]
    last_modified: datetime
    admission: Admission
    """At most ``client_queries`` queries per client at a time."""

    @classmethod
    def build(cls, settings: Settings, store: Store) -> Services:
        """The services for ``store``; call it before any thread starts (the pool forks)."""
        modified = (
            datetime(store.modified.year, store.modified.month, store.modified.day, tzinfo=UTC)
            if store.modified
            else datetime.now(UTC).replace(microsecond=0)
        )
        return cls(
            settings=settings,
            store=store,
            pool=Pool(partial(_worker_task, store, settings.base_iri), max(1, settings.workers),
                      isolate_network=store.backend == "embedded",
                      memory_cap=settings.worker_memory_mb << 20),
            cache=AnswerCache(settings.cache_entries),
            last_modified=modified,
            admission=Admission(settings.client_queries, settings.trusted_proxies),
        )

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


def install(app: Flask, services: Services) -> None:
    """Give ``app`` its services (the app factory does, before registering the routes)."""
    app.extensions[_KEY] = services


def services_of(app: Flask) -> Services:
    """The services of ``app``."""
    found: Services = app.extensions[_KEY]
    return found
