"""``legalgraph load``: validate the graph, then put it into an external SPARQL 1.1 server."""

from __future__ import annotations

import time
from pathlib import Path

import click

from legalgraph.cli.options import data_option, load_store
from legalgraph.errors import InputError
from legalgraph.settings import Settings
from legalgraph.store import update_url


@click.command()
@click.option("--sparql-endpoint", "sparql_endpoint", metavar="URL",
              help="Query URL of the server, e.g. http://127.0.0.1:7878/query  "
              "[default: LEGALGRAPH_SPARQL_ENDPOINT]")
@click.option("--update-endpoint", "update_endpoint", metavar="URL",
              help="SPARQL 1.1 Update URL of the same dataset.  [default: the query URL with "
              "/query changed to /update, otherwise the query URL itself]")
@data_option
def load(sparql_endpoint: str | None, update_endpoint: str | None,
         data_paths: tuple[Path, ...]) -> None:
    """Validate the graph (ontology + data + derived facts), then replace the default graph of
    a SPARQL server with it, so `legalgraph serve --sparql-endpoint URL` can serve it.

    Nothing is sent unless the graph loads and conforms to the shapes (warnings allowed).
    The server needs SPARQL 1.1 Update (for `oxigraph serve`, the URL's /update). Exit status:
    0 loaded, 1 the graph does not conform or the server refused, 2 a file does not parse.
    """
    from legalgraph import validate as validation

    endpoint = sparql_endpoint or Settings.from_env().sparql_endpoint
    if not endpoint:
        raise InputError("give --sparql-endpoint URL (or set LEGALGRAPH_SPARQL_ENDPOINT)")
    started = time.perf_counter()
    store = load_store(data_paths)
    report = validation.validate(store)
    if not report.conforms(False):
        click.echo(report.render("text", strict=False), err=True, nl=False)
        click.echo("error: the graph does not conform to the shapes; nothing was loaded",
                   err=True)
        raise SystemExit(1)
    checked = time.perf_counter()
    remote = store.publish(endpoint, update_endpoint)
    click.echo(
        f"validated in {checked - started:.1f} s; loaded {len(remote)} triples "
        f"(data version {remote.version}) into {endpoint} through "
        f"{update_endpoint or update_url(endpoint)} in {time.perf_counter() - checked:.1f} s",
        err=True,
    )


COMMANDS = [load]
