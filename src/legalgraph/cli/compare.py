"""Commands for analysts: compare, changes, timeline, the named queries, and the hierarchy."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from legalgraph import formats, hierarchy, queries
from legalgraph.cli.options import data_option, load_store
from legalgraph.compare import (
    CHANGE_COLUMNS,
    STATUS_COLUMNS,
    TIMELINE_COLUMNS,
    Change,
    Comparer,
    Status,
    TimelineEntry,
    as_date,
)
from legalgraph.errors import InputError
from legalgraph.resolve import Resolver
from legalgraph.store import to_python

_FORMATS = click.Choice(["table", "csv", "json", "markdown"])


def _fields_option(function: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "--fields", metavar="A,B,...",
        help="Only these fields, in this order (default: a readable set for table and "
        "markdown, every field for csv and json).")(function)


def _format_option(function: click.decorators.FC) -> click.decorators.FC:
    return click.option("--format", "fmt", type=_FORMATS, default="table", show_default=True,
                        help="Output format.")(function)


def _emit(rows: Sequence[Any], kind: Any, columns: Sequence[str], fmt: str,
          fields: str | None) -> None:
    """Render dataclass results of type ``kind``: ``fields`` if given, else the readable
    ``columns`` for table and markdown and every field for CSV and JSON."""
    every = list(kind.columns())
    if fields:
        chosen = [f.strip() for f in fields.split(",") if f.strip()]
        unknown = [f for f in chosen if f not in every]
        if unknown:
            raise InputError(f"--fields: no field {', '.join(map(repr, unknown))} "
                             f"(fields: {', '.join(every)})")
        columns = chosen
    elif fmt in ("json", "csv"):
        columns = every
    records = [row.as_dict() for row in rows]
    if fmt != "json":  # a list field (exceptions, sources) reads as one cell
        records = [{k: _cell(v) for k, v in record.items()} for record in records]
    click.echo(formats.render(records, columns, fmt), nl=False)


def _cell(value: Any) -> Any:
    """A list of values as one cell: ``religious: UDV only (USA); ...``, URLs by ``" | "``."""
    if not isinstance(value, list | tuple):
        return value
    parts = []
    for item in value:
        if isinstance(item, dict):
            scope = f": {item['scope']}" if item.get("scope") else ""
            parts.append(f"{item.get('kind')}{scope} ({item.get('place')})")
        else:
            parts.append(str(item))
    return "; ".join(parts) if value and isinstance(value[0], dict) else " | ".join(parts)


@click.command()
@click.argument("substance")
@click.argument("places", nargs=-1, required=True)
@click.option("--as-of", "as_of", metavar="DATE",
              help="Day the answer speaks for (YYYY-MM-DD); default today.")
@click.option("--own", is_flag=True,
              help="Only a place's own status: no inheritance from the country or state.")
@_format_option
@_fields_option
@data_option
def compare(substance: str, places: tuple[str, ...], as_of: str | None, own: bool, fmt: str,
            fields: str | None, data_paths: tuple[Path, ...]) -> None:
    """The status of SUBSTANCE in each PLACE on a date: national schedule, control level,
    medical use, therapeutic access, research exemption, basis (curated, derived, inherited or
    unknown, with why) and a source. Names, codes and synonyms work: "Holland", "nl", "NLD",
    "ecstasy", "magic mushrooms"."""
    day = as_date(as_of, "--as-of date")
    comparer = Comparer(load_store(data_paths))
    rows = comparer.status(substance, list(places), day, inherit=not own)
    _emit(rows, Status, STATUS_COLUMNS, fmt, fields)


@click.command()
@click.option("--from", "start", required=True, metavar="DATE", help="First day (YYYY-MM-DD).")
@click.option("--to", "end", required=True, metavar="DATE", help="Last day (YYYY-MM-DD).")
@click.option("--substance", help="Only changes about this substance or material.")
@_format_option
@_fields_option
@data_option
def changes(start: str, end: str, substance: str | None, fmt: str, fields: str | None,
            data_paths: tuple[Path, ...]) -> None:
    """What changed between two dates, and where: records that started or ended."""
    first, last = as_date(start, "--from date"), as_date(end, "--to date")
    comparer = Comparer(load_store(data_paths))
    _emit(comparer.changes(first, last, substance), Change, CHANGE_COLUMNS, fmt, fields)


@click.command()
@click.argument("substance")
@click.argument("place")
@_format_option
@_fields_option
@data_option
def timeline(substance: str, place: str, fmt: str, fields: str | None,
             data_paths: tuple[Path, ...]) -> None:
    """Every record of SUBSTANCE in PLACE, in date order."""
    comparer = Comparer(load_store(data_paths))
    _emit(comparer.timeline(substance, place), TimelineEntry, TIMELINE_COLUMNS, fmt, fields)


@click.group(name="queries")
def queries_group() -> None:
    """The named SPARQL queries under queries/: list, show, run."""


@queries_group.command(name="list")
@_format_option
def list_queries(fmt: str) -> None:
    """Every named query with its title and parameters."""
    rows = [
        {"name": q.name, "title": q.title,
         "parameters": " ".join(f"{p.name}={p.default}" for p in q.parameters)}
        for q in queries.all_queries().values()
    ]
    click.echo(formats.render(rows, ["name", "title", "parameters"], fmt), nl=False)


@queries_group.command(name="show")
@click.argument("name")
def show_query(name: str) -> None:
    """The text of the named query NAME, header included (runnable as-is)."""
    click.echo(queries.get(name).text, nl=False)


@queries_group.command(name="docs")
def docs_queries() -> None:
    """The reference page of the named queries, as Markdown (docs/queries.md)."""
    click.echo(queries.reference_markdown(), nl=False)


@queries_group.command(name="run")
@click.argument("name")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Bind a parameter (repeat a key for a list). Substances and places by name "
              "or code, dates as YYYY-MM-DD.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "markdown"]),
              default="table", show_default=True, help="Output format.")
@data_option
def run_query(name: str, params: tuple[str, ...], fmt: str,
              data_paths: tuple[Path, ...]) -> None:
    """Run the named query NAME with its defaults, or with --param KEY=VALUE values."""
    named = queries.get(name)
    pairs = []
    for param in params:
        key, sep, value = param.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--param {param!r}: expected KEY=VALUE")
        named.parameter(key.strip())
        pairs.append((key.strip(), value.strip()))
    store = load_store(data_paths)
    text = queries.bind_texts(named, pairs, Resolver(store) if pairs else None)
    result = store.query(text)
    rows = [{k: to_python(v) for k, v in row.items()} for row in result.rows]
    click.echo(formats.render(rows, result.variables, fmt), nl=False)


@click.command(name="hierarchy")
@click.option("--graphml", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the jurisdiction tree as GraphML to this file.")
@click.option("--svg", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a picture of the trees (countries with subdivisions) as SVG.")
@click.option("--substance", help="Group jurisdictions by identical regime for this substance "
              "(and colour the picture by control level).")
@click.option("--as-of", "as_of", metavar="DATE", help="Day for --substance (YYYY-MM-DD).")
@_format_option
@data_option
def hierarchy_command(graphml: Path | None, svg: Path | None, substance: str | None,
                      as_of: str | None, fmt: str, data_paths: tuple[Path, ...]) -> None:
    """The jurisdiction tree (lg:partOf): export it, and group places with identical regimes."""
    day = as_date(as_of, "--as-of date")
    comparer = Comparer(load_store(data_paths))
    tree = hierarchy.Tree.from_store(comparer.store)
    colours: dict[str, str] = {}
    if substance:
        groups = hierarchy.regime_groups(comparer, substance, day)
        click.echo(formats.render([g.as_dict() for g in groups], hierarchy.GROUP_COLUMNS, fmt),
                   nl=False)
        statuses = comparer.status(substance, tree.roots_with_children() + [
            p for r in tree.roots_with_children() for p in tree.descendants(r)], day)
        colours = hierarchy.colours_by_level(statuses)
    if graphml:
        tree.write_graphml(graphml)
        click.echo(f"wrote {graphml}", err=True)
    if svg:
        svg.write_text(tree.svg(colours), encoding="utf-8")
        click.echo(f"wrote {svg}", err=True)
    if not (substance or graphml or svg):
        rows = [{"code": tree.code(r), "name": tree.name(r),
                 "inside": " ".join(tree.code(c) for c in tree.descendants(r))}
                for r in tree.roots_with_children()]
        click.echo(formats.render(rows, ["code", "name", "inside"], fmt), nl=False)


COMMANDS = [compare, changes, timeline, queries_group, hierarchy_command]
