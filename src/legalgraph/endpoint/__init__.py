"""The public SPARQL endpoint: the SPARQL 1.1 Protocol at /sparql, the service and dataset
descriptions, the health checks and the downloads of the whole graph.

- ``protocol``: the routes (:data:`protocol.blueprint`), from a request to an answer;
- ``services``: the settings, store, query workers, answer cache and admission, built once
  by the app factory (:class:`services.Services`);
- ``errors``: the one error policy (status, title, message; JSON or text; Retry-After);
- ``safety`` and ``lexer``: the screen that refuses updates, ``SERVICE`` and foreign ``FROM``,
  decided on every token an engine can read, and the size limits;
- ``negotiation``: which media type answers a request (the types are in
  :mod:`legalgraph.media`);
- ``cache``: the answers kept by data version, normalized query and media type;
- ``admission``: at most ``client_queries`` queries per client at a time;
- ``sandbox``: the killable, network-isolated worker processes that run the queries;
- ``dumps``: the whole graph as files, with their checksums.

The answers themselves are serialized by the store (:meth:`legalgraph.store.Store.answer`), the
only part that knows the engine.
"""
