"""``legalgraph todo``: the maintainers' worklist."""

from __future__ import annotations

from pathlib import Path

import click

from legalgraph import todo as worklist
from legalgraph.cli.options import data_option, load_store
from legalgraph.compare import as_date


@click.command()
@click.option("--format", "fmt", type=click.Choice(worklist.FORMATS), default="text",
              show_default=True, help="text; markdown; json.")
@click.option("--only", "only", multiple=True, type=click.Choice(list(worklist.CATEGORIES)),
              help="Only this list (repeatable); default every list.")
@click.option("--older-than", "older_than", type=click.IntRange(min=0), default=365,
              show_default=True, metavar="DAYS",
              help="A record last verified more than DAYS before --as-of is 'not checked'.")
@click.option("--as-of", "as_of", metavar="DATE",
              help="The day the worklist speaks for (YYYY-MM-DD); default today.")
@data_option
def todo(fmt: str, only: tuple[str, ...], older_than: int, as_of: str | None,
         data_paths: tuple[Path, ...]) -> None:
    """The maintainers' worklist: low-confidence records, records resting only on weak sources
    (commercial pages, community wikis, mirrors), unverified claims, records not checked for
    more than a year, status assertions whose control level nothing states, and records whose
    editorial note mentions a conflict, each with the file and line where it is written."""
    found = worklist.worklist(load_store(data_paths), as_date(as_of, "--as-of date"),
                              older_than_days=older_than,
                              categories=only or tuple(worklist.CATEGORIES))
    click.echo(found.render(fmt), nl=False)


COMMANDS = [todo]
