"""``legalgraph serve``: the web app (SPARQL endpoint, query editor, lookup pages) on waitress."""

from __future__ import annotations

import errno
import logging
import socket
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from legalgraph.cli.options import data_option
from legalgraph.errors import InputError
from legalgraph.settings import Settings, describe

log = logging.getLogger("legalgraph.serve")

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def settings_options(function: click.decorators.FC) -> click.decorators.FC:
    """One option for each setting (:func:`legalgraph.settings.describe`): ``--time-limit`` for
    ``time_limit``, its docstring as help, its bounds as the type; ``None`` when not given, so
    that the environment and the defaults apply (:meth:`Settings.from_env`)."""
    for described in reversed(describe()):
        setting, meta = described.field, described.field.metadata
        if not meta.get("option", True):
            continue
        flag = "--" + setting.name.replace("_", "-")
        default = described.default
        if setting.type == "bool":
            shown = "on" if default else "off"
            function = click.option(f"{flag}/--no-{flag[2:]}", setting.name, default=None,
                                    help=f"{described.help}  [default: {shown}]")(function)
            continue
        kind: click.ParamType[Any]
        if setting.type == "int":
            kind = click.IntRange(meta.get("min"), meta.get("max"))
        elif setting.type == "float":
            kind = click.FloatRange(meta.get("min"), meta.get("max"))
        else:
            kind = click.STRING
        shown = default if default not in ("", None) else "none"
        function = click.option(flag, setting.name, type=kind, metavar=meta.get("metavar"),
                                help=f"{described.help}  [default: {shown}]")(function)
    return function


class UrlLimit:
    """WSGI middleware answering 414 for a request target longer than ``limit`` characters,
    before the app reads it."""

    def __init__(self, app: WsgiApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        size = len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", ""))
        if size <= self.limit:
            return self.app(environ, start_response)
        body = (f"414 URI too long\n\nthe request target has {size} characters; the limit is "
                f"{self.limit} (setting max_url_chars). Send a long SPARQL query by POST.\n"
                ).encode()
        start_response("414 URI Too Long", [("Content-Type", "text/plain; charset=utf-8"),
                                             ("Content-Length", str(len(body)))])
        return [body]


class RequestLog:
    """WSGI middleware writing one line per request: client, method, path, status, bytes, time."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterator[bytes]:
        started = time.perf_counter()
        seen: dict[str, str] = {}

        def capture(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            seen["status"] = status.split(" ", 1)[0]
            return start_response(status, headers, *args)

        size = 0
        body = self.app(environ, capture)
        try:
            for chunk in body:
                size += len(chunk)
                yield chunk
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
            path = environ.get("PATH_INFO", "")
            query = environ.get("QUERY_STRING", "")
            target = path + ("?" + query if query else "")
            if len(target) > 200:
                target = target[:199] + "…"
            log.info(
                '%s "%s %s" %s %d %.1fms',
                environ.get("REMOTE_ADDR", "-"),
                environ.get("REQUEST_METHOD", "-"),
                target,
                seen.get("status", "-"),
                size,
                (time.perf_counter() - started) * 1000,
            )


@click.command()
@settings_options
@data_option
def serve(data_paths: tuple[Path, ...], **options: Any) -> None:
    """Serve the SPARQL endpoint, the query editor and the lookup pages (waitress).

    Every option can also be set with a LEGALGRAPH_* environment variable (for example
    LEGALGRAPH_TIME_LIMIT=5); options win over the environment.
    """
    from waitress.server import create_server

    from legalgraph.web import create_app

    overrides = {k: v for k, v in options.items() if v is not None}
    if data_paths:
        overrides["data_paths"] = data_paths
    settings = Settings.from_env(**overrides)
    _check_address(settings.host, settings.port)  # before minutes of loading
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    app = create_app(settings)  # loads the graph and forks the query workers before threads
    try:
        server = create_server(
            RequestLog(UrlLimit(app, settings.max_url_chars)),
            host=settings.host,
            port=settings.port,
            threads=max(2, settings.workers * 2),
            max_request_body_size=max(settings.max_body_bytes * 2, 1 << 20),
            max_request_header_size=max(settings.max_url_chars * 2, 1 << 18),
            ident="legalgraph",
            # the endpoint reads X-Forwarded-For itself, only from the trusted proxies
            clear_untrusted_proxy_headers=not settings.trusted_proxies,
        )
    except (OSError, ValueError) as error:
        raise InputError(f"cannot listen on {settings.host}:{settings.port}: {error}",
                         where="--host/--port") from None
    store = app.config["STORE"]
    log.info(
        "legalgraph %s (data version %s, %d triples) on http://%s:%s/ — SPARQL at /sparql; "
        "time limit %gs, row cap %d, %d query workers",
        _version(), store.version, len(store), settings.host,
        getattr(server, "effective_port", settings.port),
        settings.time_limit, settings.row_cap, settings.workers,
    )
    try:
        server.run()
    except KeyboardInterrupt:
        log.info("stopped")


def _check_address(host: str, port: int) -> None:
    """Raise :class:`InputError` unless the server can listen on ``host``:``port``."""
    if not 0 <= port <= 65535:
        raise InputError(f"port {port} is not between 0 and 65535", where="--port")
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise InputError(f"cannot use host {host!r}: {error}", where="--host") from None
    family, kind, proto, _name, address = found[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            reason = ("something else listens there" if error.errno == errno.EADDRINUSE
                      else error.strerror or str(error))
            raise InputError(f"cannot listen on {host}:{port}: {reason}",
                             where="--host/--port") from None


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("legalgraph")
    except PackageNotFoundError:
        return "dev"


COMMANDS = [serve]
