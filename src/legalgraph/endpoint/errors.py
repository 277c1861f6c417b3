"""The endpoint's one error policy: every refusal and failure as a status, a title and a
message (with the line and column when the query is at fault), as JSON for API clients and as
plain text otherwise; a ``Retry-After`` when trying again can help. Never a traceback."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from flask import Response, current_app, render_template, request

from legalgraph import results
from legalgraph.endpoint import negotiation, safety
from legalgraph.endpoint.sandbox import OutOfMemory, PoolBusy, QueryTimeout, WorkerFailed
from legalgraph.endpoint.services import services_of
from legalgraph.errors import InputError, LegalgraphError, QueryError
from legalgraph.store import BackendError, BackendTimeout

_POSITION = re.compile(r"at (\d+):(\d+)")


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
    return length <= services_of(current_app).settings.max_body_bytes


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


def retry_later(response: Response, seconds: int) -> Response:
    """``response`` with ``Retry-After: seconds``."""
    response.headers["Retry-After"] = str(seconds)
    return response


def refused(refusal: safety.Refusal) -> Response:
    """A query the screen or the limits refuse."""
    return error_response(refusal.status, refusal.title, refusal.message,
                          line=refusal.line, column=refusal.column)


def not_acceptable(offered: list[str], kind: str | None = None) -> Response:
    """406: no media type the client accepts can carry this kind of answer."""
    what = {"graph": "a CONSTRUCT or DESCRIBE answer", "select": "a SELECT answer",
            "ask": "an ASK answer"}.get(kind or "", "an answer")
    return error_response(
        406, "not acceptable",
        f"none of the media types in Accept (or format) can carry {what}; offered: "
        + ", ".join(offered),
        offered=offered,
    )


def too_large() -> Response:
    """413: the request body is over ``max_body_bytes``."""
    limit = services_of(current_app).settings.max_body_bytes
    return error_response(413, "request too large",
                          f"the request body is larger than the limit of {limit} bytes")


@dataclass(frozen=True)
class _Problem:
    """What the error page shows."""

    status: int
    message: str
    suggestions: tuple[()] = ()


def backend_error(error: BackendError) -> Response:
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
        store = services_of(current_app).store
        page = render_template("error.html", error=_Problem(status, message),
                               data={"version": store.version, "modified": store.modified})
        response = Response(page, status, mimetype="text/html")
    response.headers["Retry-After"] = "5"
    return response


def query_failed(error: LegalgraphError, text: str, time_limit: float) -> Response:
    """Why the query ``text`` got no answer: malformed (400, with rdflib's clearer account
    when it has one), an update (403), out of time, workers or memory (503), the SPARQL server
    (502), or a failure of the engine (400) or of a worker (500)."""
    if isinstance(error, InputError):
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
    if isinstance(error, QueryTimeout | BackendTimeout):
        # a query out of time is a 503 on either backend; 504 is for the pages and
        # descriptions, whose requests to the SPARQL server are not queries of the client's
        stopped = (str(error) if isinstance(error, QueryTimeout) else
                   f"the query was stopped after the time limit of {time_limit:g} s "
                   f"({error})")
        return retry_later(error_response(
            503, "time limit", stopped + "; make the query more specific (fewer unbound "
            "patterns, a LIMIT) or run it on a copy of the data"), 5)
    if isinstance(error, PoolBusy):
        return retry_later(error_response(503, "busy", str(error) + "; try again shortly"), 1)
    if isinstance(error, OutOfMemory):
        return retry_later(error_response(503, "too much memory", str(error)), 5)
    if isinstance(error, BackendError):
        return backend_error(error)
    if isinstance(error, QueryError | WorkerFailed):
        return error_response(500 if isinstance(error, WorkerFailed) else 400,
                              "query failed", str(error))
    return error_response(400, "query failed", str(error))
