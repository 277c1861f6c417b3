"""Commands over the whole graph: coverage, query, export, stats."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from legalgraph import coverage as coverage_module
from legalgraph import formats
from legalgraph.cli.options import data_option, load_store
from legalgraph.errors import InputError
from legalgraph.queries import parse_date
from legalgraph.resolve import Resolver
from legalgraph.store import to_python


@click.command()
@click.argument("substance")
@click.option("--as-of", "as_of", metavar="DATE", help="Day the answer speaks for (YYYY-MM-DD); "
              "default today.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@data_option
def coverage(substance: str, as_of: str | None, fmt: str, data_paths: tuple[Path, ...]) -> None:
    """What we know of SUBSTANCE in each of the 249 ISO 3166-1 entries: curated, derived or
    unknown, with control level, national schedule, medical use and a source."""
    day = parse_date(as_of, "--as-of date") if as_of else None
    store = load_store(data_paths)
    match = Resolver(store).substance(substance)
    rows = coverage_module.coverage(store, match.iri, day)
    click.echo(formats.render([r.as_dict() for r in rows], coverage_module.COLUMNS, fmt), nl=False)


@click.command()
@click.argument("query_or_file")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]),
              default="table", show_default=True)
@data_option
def query(query_or_file: str, fmt: str, data_paths: tuple[Path, ...]) -> None:
    """Run a SPARQL query (text, a .rq file, or - for standard input) on the graph.

    The graph's prefixes (lg:, id:, skos:, dcterms:, prov:, xsd:, rdfs:...) are predeclared.
    Unlike the public endpoint, this command runs federated queries: SERVICE clauses ask the
    servers they name, from this machine.
    """
    if query_or_file == "-":
        text = sys.stdin.read()
    elif query_or_file.endswith((".rq", ".sparql")) or Path(query_or_file).is_file():
        path = Path(query_or_file)
        if not path.is_file():
            raise InputError("no such file", where=query_or_file)
        text = path.read_text(encoding="utf-8")
    else:
        text = query_or_file
    store = load_store(data_paths)
    result = store.query(text)
    if result.kind == "ask":
        click.echo("true" if result.boolean else "false")
        return
    if result.kind == "graph":
        for s, p, o in result.triples:
            click.echo(f"{s.n3()} {p.n3()} {o.n3()} .")
        return
    rows = [{k: to_python(v) for k, v in row.items()} for row in result.rows]
    click.echo(formats.render(rows, result.variables, fmt), nl=False)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "jsonld", "xml"]), default="ttl",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@data_option
def export(fmt: str, output: Path | None, data_paths: tuple[Path, ...]) -> None:
    """The whole graph, derived facts included, for loading into another SPARQL server."""
    if output and not output.parent.is_dir():
        raise InputError(f"the folder {output.parent} does not exist", where=str(output))
    data = load_store(data_paths).export(fmt)
    if output:
        output.write_bytes(data)
        click.echo(f"wrote {len(data)} bytes to {output}", err=True)
    else:
        sys.stdout.buffer.write(data)


_STATS = """
SELECT ?kind (COUNT(DISTINCT ?record) AS ?count) WHERE {
  VALUES ?kind { lg:StatusAssertion lg:TherapeuticAuthorization lg:ResearchExemption
                 lg:PenaltyRegime lg:PendingMeasure lg:OtherExemption lg:TreatyParticipation
                 lg:ClinicalTrial lg:Source lg:Country lg:Subdivision lg:City lg:Substance
                 lg:NaturalMaterial lg:Schedule lg:UnverifiedClaim }
  OPTIONAL { ?record a ?kind }
}
GROUP BY ?kind ORDER BY ?kind
"""


@click.command()
@data_option
def stats(data_paths: tuple[Path, ...]) -> None:
    """Counts of records by kind, triples and the data version."""
    store = load_store(data_paths)
    derived = store.select(
        "SELECT (COUNT(*) AS ?n) WHERE { ?r lg:basis lg:Derived }")[0]["n"]
    rows = [{"kind": str(r["kind"]).rsplit("#", 1)[-1], "count": to_python(r["count"])}
            for r in store.select(_STATS)]
    rows.append({"kind": "derived records", "count": to_python(derived)})
    rows.append({"kind": "triples", "count": len(store)})
    click.echo(formats.render(rows, ["kind", "count"], "table"), nl=False)
    click.echo(f"data version {store.version}, modified {store.modified}")


COMMANDS = [coverage, query, export, stats]
