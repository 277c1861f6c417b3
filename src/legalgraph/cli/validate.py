"""``legalgraph validate``: check the graph against the SHACL shapes."""

from __future__ import annotations

from pathlib import Path

import click

from legalgraph import build
from legalgraph import validate as validation
from legalgraph.shacl_report import FORMATS


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: grouped by file and record; turtle: a SHACL sh:ValidationReport; "
              "json; junit: JUnit XML for CI systems.")
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("--shapes", "shapes", multiple=True,
              type=click.Path(exists=True, path_type=Path),
              help="Shapes file or folder to use instead of the shipped shapes/ (repeatable).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of standard output.")
def validate(
    paths: tuple[Path, ...], fmt: str, strict: bool, shapes: tuple[Path, ...],
    output: Path | None,
) -> None:
    """Check Turtle files against the SHACL shapes and report every problem with its file
    and line.

    PATHS are Turtle files or folders; without them, the shipped ontology and data are
    checked. Given PATHS, the shipped ontology is loaded with them unless one of them is in
    ontology/. Derived facts are computed and checked too. Exit status: 0 when the graph
    conforms (warnings allowed unless --strict), 1 when it does not, 2 when a file cannot
    be read or parsed.
    """
    store = build.load(validation.graph_files(paths))
    report = validation.validate(store, shapes)
    text = report.render(fmt, strict=strict)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        click.echo(report.summary(strict), err=True)
    else:
        click.echo(text, nl=False)
    raise SystemExit(0 if report.conforms(strict) else 1)


COMMANDS = [validate]
