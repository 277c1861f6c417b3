"""``legalgraph diff``: what a data change changes, for review."""

from __future__ import annotations

from pathlib import Path

import click

from legalgraph import diff as data_diff
from legalgraph.compare import as_date


@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(data_diff.FORMATS), default="text",
              show_default=True, help="text; markdown (to paste in a pull request); json.")
@click.option("--repo", "repository", type=click.Path(exists=True, file_okay=False,
                                                      path_type=Path),
              help="Git repository whose revisions OLD and NEW name (default: the repository "
              "this legalgraph is checked out in).")
@click.option("--as-of", "as_of", metavar="DATE",
              help="The day that stands for 'today' in the answers (YYYY-MM-DD); default today.")
def diff(old: str, new: str, fmt: str, repository: Path | None, as_of: str | None) -> None:
    """Compare two versions of the data: OLD and NEW are git revisions (main, HEAD~1, a commit)
    or data folders.

    Lists the answers that change (substance, place, the days asked, each field before ->
    after), the curated records added, removed or edited, and the validation results that
    appear or go. Both versions load with the current rules and are checked with the current
    shapes, so the differences come from the data.
    """
    report = data_diff.diff(old, new, repository=repository,
                            as_of=as_date(as_of, "--as-of date"))
    click.echo(report.render(fmt), nl=False)


COMMANDS = [diff]
