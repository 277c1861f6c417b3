"""The graph store: ontology + data + derived facts, on an embedded or a remote engine.

This package is the only place that knows the query engine. Everything else asks it SPARQL and
gets rdflib terms back. :meth:`Store.load` builds the graph in an embedded Oxigraph store;
:meth:`Store.connect` (or ``Store.load(..., sparql_endpoint=URL)``, which first puts the graph
there) answers the same questions from an external SPARQL 1.1 server over HTTP, with the same
:class:`QueryResult`.

- ``terms``: query results and term conversions;
- ``graph``: :class:`Store`, loading, derived facts, export;
- ``remote``: the SPARQL 1.1 server engine, value substitution, upload;
- ``answers``: serialized answers for the SPARQL endpoint (:meth:`Store.answer`).
"""

from legalgraph.store.answers import GRAPH_MEDIA_TYPES, Answer
from legalgraph.store.graph import Store, content_version, prologue
from legalgraph.store.remote import (
    BackendError,
    BackendTimeout,
    RemoteEngine,
    substitute,
    update_url,
    upload,
)
from legalgraph.store.terms import QueryResult, Term, to_oxigraph, to_python

__all__ = [
    "GRAPH_MEDIA_TYPES",
    "Answer",
    "BackendError",
    "BackendTimeout",
    "QueryResult",
    "RemoteEngine",
    "Store",
    "Term",
    "content_version",
    "prologue",
    "substitute",
    "to_oxigraph",
    "to_python",
    "update_url",
    "upload",
]
