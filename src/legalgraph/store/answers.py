"""Serialized answers for the SPARQL endpoint: bytes in a negotiated media type, cut at a row
cap, written from the engine's own terms (no conversion to rdflib terms).

SELECT answers in JSON are written by the engine itself (its writer gives the same bytes as
:mod:`legalgraph.results`), within a byte budget, then counted and cut at the row
cap from those bytes; an answer over the budget is read again row by row and cut at the cap,
which is what every other answer gets.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from legalgraph import media, results
from legalgraph.errors import QueryError
from legalgraph.namespaces import PREFIXES
from legalgraph.store.terms import SERIALIZATIONS, XSD_STRING, ResultKind, engine_errors

if TYPE_CHECKING:
    from legalgraph.store.remote import RemoteEngine


GRAPH_MEDIA_TYPES: dict[str, ox.RdfFormat] = {
    m.name: SERIALIZATIONS[m.extension] for m in media.GRAPH
}
"""The engine's format for each media type of CONSTRUCT and DESCRIBE answers, in the order the
endpoint prefers them (:data:`legalgraph.media.GRAPH`)."""


_ENGINE_WRITERS = {media.SPARQL_JSON.name: ox.QueryResultsFormat.JSON}
"""The SELECT media types whose engine writer gives the bytes :mod:`legalgraph.results` does
(its TSV differs: numbers written bare, other escapes)."""
_ROW_BREAK = re.compile(rb'\},\{(?:"[^,}]|\})')
"""Where one row of the engine's compact SPARQL JSON ends and the next begins: ``},{`` then a
variable's name in quotes, or ``}`` (an empty row). Inside a string a quote is escaped, so a
``},{"`` there is ``},{`` ending the string, followed by ``,`` or ``}``, never by a name; a
``},{}`` may be in a string, so an empty row makes the count unsure."""
_BYTES_PER_ROW = 4096
_LEAST_BYTES = 1 << 16
_MOST_BYTES = 16 << 20
"""The engine writes at most ``row_cap`` times 4 KiB (64 KiB to 16 MiB); beyond, the answer is
read row by row, which stops at the cap."""


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
        return ("literal", term.value, "", "" if datatype == XSD_STRING else datatype)
    raise QueryError(f"unsupported term in result: {term!r}")


def _query(engine: ox.Store | RemoteEngine, sparql: str, whole_default_graph: bool,
           base_iri: str | None) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | bool:
    with engine_errors():
        return engine.query(
            sparql,
            prefixes=PREFIXES,
            default_graph=ox.DefaultGraph() if whole_default_graph else None,
            base_iri=base_iri,
        )


class _OverBudget(Exception):
    pass


class _Budget(io.BytesIO):
    """An in-memory binary file that takes at most ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def write(self, chunk: Any, /) -> int:
        if self.tell() + len(chunk) > self.limit:
            raise _OverBudget()
        return super().write(chunk)


def _engine_select(raw: ox.QuerySolutions, media_type: str, row_cap: int) -> Answer | None:
    """The answer as the engine writes it (cut at the row cap), when it fits the byte budget;
    ``None`` otherwise (the caller then reads the rows one by one)."""
    fmt = _ENGINE_WRITERS[media_type]
    budget = _Budget(min(_MOST_BYTES, max(_LEAST_BYTES, row_cap * _BYTES_PER_ROW)))
    try:
        raw.serialize(budget, format=fmt)
    except _OverBudget:
        return None
    except (OSError, RuntimeError) as error:
        raise QueryError(str(error)) from None
    body = budget.getvalue()
    counted = _count_rows(body)
    if counted is not None and counted <= row_cap:
        return Answer("select", body, media_type, counted, False)
    document = json.loads(body)  # JSON, the one engine writer used
    rows = document["results"]["bindings"]
    if len(rows) <= row_cap:
        return Answer("select", body, media_type, len(rows), False)
    document["results"]["bindings"] = rows[:row_cap]
    document["warnings"] = [_cut(row_cap)]
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    return Answer("select", body, media_type, row_cap, True)


def _count_rows(body: bytes) -> int | None:
    """The number of rows in the engine's SPARQL JSON ``body``, counted on its bytes (a tenth
    of the time of parsing it); ``None`` when the bytes alone cannot say (an empty row)."""
    start = body.find(b'"bindings":[')
    if not body.startswith(b'{"head":') or start < 0:
        return None
    start += len(b'"bindings":[')
    if body[start:start + 1] == b"]":
        return 0
    rows = 1
    for found in _ROW_BREAK.finditer(body, start):
        if found.group().endswith(b"}"):
            return None
        rows += 1
    return rows


def _cut(row_cap: int) -> str:
    return f"result cut at the row cap of {row_cap} rows"


def answer(
    engine: ox.Store | RemoteEngine,
    sparql: str,
    *,
    tabular: str | None,
    graph: str | None,
    row_cap: int,
    whole_default_graph: bool = False,
    base_iri: str | None = None,
) -> Answer:
    """Run ``sparql`` on ``engine`` and serialize the answer (for :meth:`Store.answer`).

    ``tabular`` is the media type for SELECT and ASK (see :data:`legalgraph.results.MEDIA_TYPES`),
    ``graph`` the one for CONSTRUCT and DESCRIBE (see :data:`GRAPH_MEDIA_TYPES`); ``None`` means
    that kind is not acceptable, and the answer comes back with an empty body and media type.
    ``whole_default_graph`` makes the store's default graph the query's default graph even when
    the query names a FROM graph (the endpoint maps its own dataset IRI to the whole graph).
    ``base_iri`` resolves the query's relative IRIs when it declares no BASE of its own.
    """
    # either engine (embedded, or RemoteEngine for a server) answers in the engine's shapes
    raw = _query(engine, sparql, whole_default_graph, base_iri)
    if isinstance(raw, bool | ox.QueryBoolean):
        body = results.write_ask(tabular, bool(raw)) if tabular else b""
        return Answer("ask", body, tabular or "", 1, False)
    if isinstance(raw, ox.QuerySolutions):
        if tabular in _ENGINE_WRITERS and isinstance(engine, ox.Store):
            written = _engine_select(raw, tabular, row_cap)
            if written is not None:
                return written
            raw = _query(engine, sparql, whole_default_graph, base_iri)  # read row by row
        if not isinstance(raw, ox.QuerySolutions):
            raise QueryError("the engine answered the same query differently")
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
        warning = _cut(row_cap) if truncated else ""
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
